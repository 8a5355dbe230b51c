"""The checklist as data: the SOP file's `checklist` key is validated with clear errors, and the
pure rules (bot/workflow/checklist.py) decide what a verification may carry."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.sop import SopFileError, load_sop, parse_sop
from bot.sop.loader import BUNDLED_SOP
from bot.sop.source import Yaml12Loader as _Yaml12Loader
from bot.workflow import ActionKind as A
from bot.workflow import InvalidPayload, OpdStatus
from tests.unit.test_workflow import OPD_A, TIM1, at, distributed, open_task, wf  # noqa: F401 (fixture)

BUNDLED = Path(__file__).parents[2] / "bot" / "data" / BUNDLED_SOP


def bundled() -> dict:
    return yaml.load(BUNDLED.read_text(encoding="utf-8"), Loader=_Yaml12Loader)  # noqa: S506 (a SafeLoader)


def with_checklist(checklist, step=10) -> str:
    data = bundled()
    data["steps"][step - 1]["checklist"] = checklist
    if step != 10:
        data["steps"][9].pop("checklist")
    return yaml.safe_dump(data, allow_unicode=True)


def test_the_bundled_checklist_is_the_six_bukti_dukung_with_standard_reasons():
    checklist = load_sop().step(10).checklist
    assert [i.singkat for i in checklist.items] == ["Renstra", "IKU", "Perjanjian Kinerja", "Renja/RKT",
                                                    "Realisasi triwulan", "Rancangan LKj"]
    assert "Dokumen belum diunggah" in checklist.alasan and "Dokumen belum ditandatangani" in checklist.alasan
    assert all(len(reason) <= 60 for reason in checklist.alasan)


@pytest.mark.parametrize("checklist, error", [
    ({"butir": []}, "1 sampai 12 butir"),
    ({"butir": [{"kode": "IKU", "nama": "IKU"}]}, "kode butir: huruf kecil"),
    ({"butir": [{"kode": "iku", "nama": "IKU"}, {"kode": "iku", "nama": "Lagi"}]}, "kode butir harus unik"),
    ({"butir": [{"kode": "iku", "nama": "  "}]}, "tidak boleh kosong"),
    ({"butir": [{"kode": "iku", "nama": "IKU", "singkat": "x" * 25}]}, "paling banyak 24 karakter"),
    ({"butir": [{"kode": "iku", "nama": "IKU"}], "alasan": ["a", "a"]}, "tidak boleh ganda"),
    ({"butir": [{"kode": "iku", "nama": "IKU"}], "alasan": ["x" * 61]}, "1 sampai 60 karakter"),
    ({"butir": [{"kode": "iku", "nama": "IKU", "warna": "merah"}]}, "isian tidak dikenal"),
])
def test_a_bad_checklist_fails_with_the_step_and_the_field(checklist, error):
    with pytest.raises(SopFileError) as exc:
        parse_sop(with_checklist(checklist), "uji.yaml")
    assert "langkah 10, isian 'checklist" in str(exc.value) and error in str(exc.value)


def test_a_checklist_belongs_to_a_verification_step_only():
    with pytest.raises(SopFileError, match="langkah 9, isian 'checklist': hanya untuk langkah jenis verification"):
        parse_sop(with_checklist({"butir": [{"kode": "iku", "nama": "IKU"}]}, step=9), "uji.yaml")


def test_without_the_key_step_ten_keeps_its_two_buttons():
    data = bundled()
    data["steps"][9].pop("checklist")
    assert parse_sop(yaml.safe_dump(data, allow_unicode=True)).step(10).checklist is None


def results(failed=()):
    return [{"kode": k, "ok": k not in failed, "alasan": "Dokumen belum diunggah" if k in failed else None,
             "catatan": None} for k in ("renstra", "iku", "pk", "renja", "realisasi", "lkj")]


def submitted(wf):
    s = distributed(wf)
    s = wf.act(s, open_task(s, 8, "A").seq, A.CONFIRM_RECEIPT, OPD_A, at(20)).state
    return wf.act(s, open_task(s, 9, "A").seq, A.SUBMIT, OPD_A, at(30)).state


@pytest.mark.parametrize("action, payload, error", [
    (A.VERIFY_SESUAI, results(failed=("iku",)), "tidak dapat dinyatakan sesuai"),
    (A.VERIFY_TIDAK_SESUAI, results(), "tidak dapat dikembalikan"),
    (A.VERIFY_TIDAK_SESUAI, results(failed=("iku",))[:5], "sekali, sesuai urutannya"),
    (A.VERIFY_TIDAK_SESUAI, list(reversed(results(failed=("iku",)))), "sekali, sesuai urutannya"),
    (A.VERIFY_TIDAK_SESUAI, [{**r, "alasan": "Karena saya mau"} if r["kode"] == "iku" else r
                             for r in results(failed=("iku",))], "Alasan ketidaksesuaian tidak dikenal"),
    (A.VERIFY_TIDAK_SESUAI, [{**r, "alasan": None} for r in results(failed=("iku",))], "memerlukan alasan"),
    (A.VERIFY_SESUAI, [{**r, "catatan": "baik"} for r in results()], "tidak memerlukan alasan"),
    (A.VERIFY_SESUAI, "semua sesuai", "tidak sah"),
    (A.VERIFY_SESUAI, [{"kode": "renstra", "ok": "ya"}], "tidak sah"),
])
def test_results_that_contradict_the_action_are_refused(wf, action, payload, error):
    s = submitted(wf)
    with pytest.raises(InvalidPayload, match=error):
        wf.act(s, open_task(s, 10, "A").seq, action, TIM1, at(40), payload={"checklist": payload})


def test_a_return_by_checklist_carries_the_failed_items_as_its_note(wf):
    s = submitted(wf)
    payload = results(failed=("iku", "realisasi"))
    payload[4] = {**payload[4], "alasan": None, "catatan": "Triwulan IV kosong"}
    s = wf.act(s, open_task(s, 10, "A").seq, A.VERIFY_TIDAK_SESUAI, TIM1, at(40),
               payload={"checklist": payload}).state
    a = s.opd("A")
    assert a.status is OpdStatus.DIKEMBALIKAN and a.returns == 1
    assert a.last_note == "IKU: Dokumen belum diunggah; Realisasi triwulan: Triwulan IV kosong"
    assert open_task(s, 9, "A").instruction == a.last_note


def test_all_items_sesuai_verify(wf):
    s = submitted(wf)
    s = wf.act(s, open_task(s, 10, "A").seq, A.VERIFY_SESUAI, TIM1, at(40), payload={"checklist": results()}).state
    assert s.opd("A").status is OpdStatus.TERVERIFIKASI
