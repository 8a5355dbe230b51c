"""The checklist service on a real database (SQLite and, when it answers, PostgreSQL): ticks are
stored as made, finishing records the results with the action, the recap reads them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.services.checklist_store import load_summary
from bot.services.errors import Conflict, InvalidInput
from bot.storage import models as m
from bot.workflow import ActionKind as A
from bot.workflow import NotYourTask
from tests.services.conftest import svc  # noqa: F401 (fixture)
from tests.services.test_cycles import act, only_open, tg, to_signed_letter


def to_step_ten(svc):
    to_signed_letter(svc, 2026)
    act(svc, "tim1", A.DISTRIBUTE)
    act(svc, "disdik", A.CONFIRM_RECEIPT)
    act(svc, "disdik", A.SUBMIT, note="Sudah diisi")
    return only_open(svc, "tim1", step=10)


def test_ticks_then_a_return_then_a_second_sheet_that_starts_from_the_sesuai_items(svc):
    task = to_step_ten(svc)
    assert task.checklist is not None and task.checklist.checked == 0
    with pytest.raises(InvalidInput, match="belum diperiksa"):
        svc.checklist.finish(tg("tim1"), task.id)
    for index in range(6):
        view = svc.checklist.tick(tg("tim1"), task.id, index, index != 1, alasan=0 if index == 1 else None)
    view = svc.checklist.tick(tg("tim2"), task.id, 4, False, catatan="  Triwulan IV kosong  ")  # shared, replaced
    assert [line.mark for line in view.checklist.lines] == ["ok", "fail", "ok", "ok", "fail", "ok"]
    assert view.checklist.lines[4].result.catatan == "Triwulan IV kosong"
    with pytest.raises(NotYourTask):
        svc.checklist.tick(tg("disdik"), task.id, 0, True)
    with pytest.raises(InvalidInput, match="alasan"):
        svc.checklist.tick(tg("tim1"), task.id, 0, False)
    result = svc.checklist.finish(tg("tim2"), task.id)
    assert result.task.outcome == "tidak_sesuai"
    returned = only_open(svc, "disdik", step=9)
    assert [line.item.kode for line in returned.perbaikan] == ["iku", "realisasi"]
    with pytest.raises(Conflict, match="sudah diproses oleh Agus Prasetyo"):
        svc.checklist.tick(tg("tim1"), task.id, 0, True)
    with svc.db.transaction(write=False) as s:
        assert s.scalar(select(m.CycleOpd.last_note).where(m.CycleOpd.opd_kode == "DISDIK")) == \
            "IKU: Dokumen belum diunggah; Realisasi triwulan: Triwulan IV kosong"
        actions = s.scalars(select(m.AuditLog.after).where(m.AuditLog.action == "task_tidak_sesuai")).all()
        assert len(actions[0]["payload"]["checklist"]) == 6
    act(svc, "disdik", A.SUBMIT, note="Sudah diperbaiki")
    second = only_open(svc, "tim1", step=10)
    assert second.checklist.checked == 4 and second.checklist.carried
    svc.checklist.tick(tg("tim1"), second.id, 1, True)
    svc.checklist.tick(tg("tim1"), second.id, 4, True)
    assert svc.checklist.finish(tg("tim1"), second.id).task.outcome == "sesuai"
    with svc.db.transaction(write=False) as s:
        summary = load_summary(s, svc.sop, second.cycle_id)
        assert s.scalar(select(m.CycleOpd.status).where(m.CycleOpd.opd_kode == "DISDIK")) == "terverifikasi"
    assert all(r.ok for r in summary.results["DISDIK"].values()) and len(summary.results["DISDIK"]) == 6
    assert {t.item.kode: t.returns for t in summary.tally} == {"renstra": 0, "iku": 1, "pk": 0, "renja": 0,
                                                               "realisasi": 1, "lkj": 0}
    assert summary.returned[0].opds == ("Dinas Pendidikan",)


def test_a_sesuai_without_results_records_every_item_sesuai(svc):
    task = to_step_ten(svc)
    svc.cycles.act(tg("tim1"), task.id, A.VERIFY_SESUAI)
    with svc.db.transaction(write=False) as s:
        rows = s.scalars(select(m.VerificationItem).where(m.VerificationItem.task_id == task.id)).all()
    assert len(rows) == 6 and all(r.ok for r in rows)
