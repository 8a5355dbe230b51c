"""A maintainer changes the SOP file, not the code: a copy of the bundled SOP with a 13th step of
an existing kind runs a whole cycle through the real Application and the Bot API double."""

from __future__ import annotations

from importlib import resources

import yaml
from sqlalchemy import select

from bot.demo import run_cycle
from bot.simulation import Simulation
from bot.sop.source import Yaml12Loader as _Yaml12Loader
from bot.storage import models as m
from tests.e2e.conftest import OPDS

#: The step the maintainer inserts before the signature: the Sekda reads the konsep first.
NEW_STEP = {
    "no": 7,
    "nama": "Pemeriksaan Konsep Surat oleh Sekretaris Daerah",
    "kegiatan": "Memeriksa konsep surat yang telah disetujui Asisten Administrasi Umum sebelum ditandatangani",
    "pelaksana": "sekda",
    "kelengkapan": "konsep surat",
    "waktu": "30 menit",
    "output": "konsep surat yang telah diperiksa Sekretaris Daerah",
    "keterangan": "",
    "kind": "decision",
    "branches": {"ya": 8, "tidak": 4},
}


def thirteen_steps() -> str:
    """The bundled file with NEW_STEP inserted as step 7; the later steps move up by one."""
    text = resources.files("bot.data").joinpath("sop-esakip.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=_Yaml12Loader)  # noqa: S506 (a SafeLoader)
    shift = lambda no: no + 1 if no is not None and no >= 7 else no  # noqa: E731
    steps = []
    for step in data["steps"]:
        step = {**step, "no": shift(step["no"]), "next": shift(step.get("next"))}
        if step.get("branches"):
            step["branches"] = {name: shift(target) for name, target in step["branches"].items()}
        if step["no"] == 6:
            step["branches"] = {"ya": 7, "tidak": 4}
        steps.append(step)
    steps.insert(6, NEW_STEP)
    data["steps"], data["version"] = steps, 2
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)


async def sekda_reads_the_konsep(sim: Simulation) -> None:
    sim.advance(minutes=10)
    await sim.press("sekda", "Setujui")


async def test_a_thirteenth_step_of_an_existing_kind_runs_end_to_end(tmp_path):
    path = tmp_path / "sop-esakip-13.yaml"
    path.write_text(thirteen_steps(), encoding="utf-8")
    async with Simulation(tmp_path / "run", opds=OPDS, sop_file=path) as sim:
        assert sim.svc.sop.total_steps == 13
        await run_cycle(sim, returned_opd="dinsos", before_signing=sekda_reads_the_konsep)
        sim.double.assert_no_violations()
        with sim.svc.db.transaction(write=False) as s:
            cycle = s.scalar(select(m.Cycle))
            steps = s.scalars(select(m.Task.step).where(m.Task.outcome == "approved")).all()
            archived = s.scalar(select(m.Task).where(m.Task.outcome == "archived"))
        texts = [msg.plain_text for msg in sim.messages("sekda")]
        tim = [msg.plain_text for msg in sim.messages("tim1")]
    assert cycle.status == "closed" and archived.step == 13
    assert sorted(steps) == [5, 6, 7]
    # each task message, once done, names its step by its new number
    assert any("Langkah 7 — Pemeriksaan Konsep Surat oleh Sekretaris Daerah: Disetujui" in t for t in texts)
    assert any("Langkah 8 — Penandatanganan Surat oleh Sekretaris Daerah: Ditandatangani" in t for t in texts)
    assert any("Langkah 13 — Dokumentasi dan Pengarsipan: Diarsipkan" in t for t in tim)
    assert any("Langkah 9 — Distribusi Surat kepada Perangkat Daerah" in t for t in tim)


async def test_an_open_cycle_keeps_the_sop_it_started_with(tmp_path):
    from bot.app import sop_drift

    path = tmp_path / "sop-esakip.yaml"
    path.write_text(resources.files("bot.data").joinpath("sop-esakip.yaml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    async with Simulation(tmp_path / "run", opds=OPDS, sop_file=path) as sim:
        await sim.say("sekda", "/mulai 2026")
        await sim.press("sekda", "Lewati")
        await sim.press("sekda", "Disposisikan ke Asisten")
        path.write_text(thirteen_steps(), encoding="utf-8")  # Bagian Organisasi edits the file
        await sim.reload()
        assert sim.svc.sop.total_steps == 13
        assert sop_drift(sim.svc) == [
            "Siklus 1 berjalan dengan SOP versi 1; berkas SOP kini versi 2 (esakip). "
            "Perubahan berlaku untuk siklus berikutnya."]
        # the open cycle goes on with its 12 steps, however the file now reads
        await sim.press("asisten", "Disposisikan ke Kabag")
        assert "Langkah 3 dari 12 — Arahan Kepala Bagian Organisasi" in sim.last_text("kabag")
        await sim.press("kabag", "Disposisikan ke Tim SAKIP")
        await sim.say("tim1", "/tugas")
        assert "Langkah 4 dari 12 — Penyusunan Konsep Surat Pemberitahuan" in sim.last_text("tim1")
        # a new cycle runs on the file as it is now
        view = sim.svc.cycles.start(sim.tg("sekda"), tahun=2025)
        assert view.total_steps == 13
        await sim.settle()
        with sim.svc.db.transaction(write=False) as s:
            cycles = s.scalars(select(m.Cycle).order_by(m.Cycle.id)).all()
            assert [c.sop_version for c in cycles] == [1, 2]
            assert cycles[0].sop_digest != cycles[1].sop_digest
            assert s.scalar(select(m.SopSnapshot).where(m.SopSnapshot.digest == cycles[0].sop_digest)) is not None


async def test_with_two_sops_mulai_asks_which_and_refuses_a_stale_or_foreign_press(tmp_path):
    text = resources.files("bot.data").joinpath("sop-esakip.yaml").read_text(encoding="utf-8")
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(text, encoding="utf-8")
    second.write_text(text.replace("name: esakip", "name: esakip-uji")
                      .replace("judul: Pengisian E-SAKIP", "judul: Uji Coba E-SAKIP"), encoding="utf-8")
    async with Simulation(tmp_path / "run", opds=OPDS, sop_file=f"{first},{second}") as sim:
        await sim.say("sekda", "/mulai 2026")
        assert "Siklus SOP mana yang akan dimulai?" in sim.last_text("sekda")
        question = sim.messages("sekda")[-1]
        # a forged index and a press by someone who may not start a cycle change nothing
        qid = await sim.double.press_raw(sim.tg("sekda"), question.message_id, "mu:yr:202607")
        await sim.settle()
        assert "tidak berlaku" in sim.double.callback_answers[qid].text
        qid = await sim.double.press_raw(sim.tg("kabag"), question.message_id, "mu:yr:202601")
        await sim.settle()
        assert "hanya dapat dimulai oleh Sekretaris Daerah atau administrator" in sim.double.callback_answers[qid].text
        await sim.press("sekda", "Uji Coba E-SAKIP")
        assert any("Siklus Uji Coba E-SAKIP Tahun Kinerja 2026 dimulai" in m.plain_text for m in sim.messages("sekda"))
        # pressed again (the question now shows no buttons; a second client could): one open cycle per SOP
        qid = await sim.double.press_raw(sim.tg("sekda"), question.message_id, "mu:yr:202601")
        await sim.settle()
        assert "sudah berjalan" in sim.double.callback_answers[qid].text
        await sim.say("sekda", "/mulai 2026")
        await sim.press("sekda", "Pengisian E-SAKIP")
        assert any("Siklus Pengisian E-SAKIP Tahun Kinerja 2026 dimulai" in m.plain_text for m in sim.messages("sekda"))
        sim.double.assert_no_violations()
        with sim.svc.db.transaction(write=False) as s:
            assert sorted(s.scalars(select(m.Cycle.sop_name))) == ["esakip", "esakip-uji"]
