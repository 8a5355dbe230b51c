"""A whole cycle through the services: state, audit and outbox commit together."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.services.errors import Conflict, NotRegistered
from bot.storage import models as m
from bot.workflow import ActionKind as A, NotYourTask, NoteRequired, TaskNotFound

from .conftest import PEOPLE

LETTER = {"nomor": "000.8/12/SETDA-ORG/XI/2026", "tanggal": "2026-11-24",
          "batas_waktu_pengisian": "2026-12-31", "hal": "Pengisian Data Kinerja pada Aplikasi E-SAKIP",
          "sifat": "Penting", "paragraf_tambahan": ""}


def tg(name: str) -> int:
    return PEOPLE[name][0]


def only_open(svc, who: str, step: int | None = None):
    tasks = [t for t in svc.cycles.open_tasks_for(tg(who)) if step is None or t.step == step]
    assert len(tasks) == 1, tasks
    return tasks[0]


def act(svc, who, action, step=None, **kw):
    return svc.cycles.act(tg(who), only_open(svc, who, step).id, action, **kw)


def to_signed_letter(svc, tahun: int | None = None) -> None:
    """A cycle started and taken to the signed letter: the distribution task is open."""
    svc.cycles.start(tg("sekda"), tahun)
    for who in ("sekda", "asisten", "kabag"):
        act(svc, who, A.FORWARD)
    act(svc, "tim1", A.SUBMIT_DRAFT, payload=LETTER)
    act(svc, "kabag", A.APPROVE)
    act(svc, "asisten", A.APPROVE)
    act(svc, "sekda", A.SIGN)


def outbox(svc, **where):
    with svc.db.transaction(write=False) as s:
        query = select(m.Outbox).order_by(m.Outbox.id)
        for key, value in where.items():
            query = query.where(getattr(m.Outbox, key) == value)
        return s.scalars(query).all()


def test_start_writes_task_audit_and_outbox_together(svc, clock):
    view = svc.cycles.start(tg("sekda"))
    assert (view.step, view.tahun, view.role.value) == (1, 2026, "sekda")
    assert view.due_at == clock.now() + timedelta(minutes=30)
    (row,) = outbox(svc, purpose="task")
    assert row.chat_id == tg("sekda") and "Langkah 1 dari 12" in row.payload["text"]
    buttons = [b["text"] for r in row.payload["reply_markup"]["inline_keyboard"] for b in r]
    assert buttons == ["Disposisikan ke Asisten", "Tambah arahan"]
    with svc.db.transaction(write=False) as s:
        assert s.scalar(select(func.count()).select_from(m.AuditLog).where(
            m.AuditLog.action == "cycle_start")) == 1
        assert s.scalar(select(func.count()).select_from(m.CycleOpd)) == 3
    with pytest.raises(Conflict, match="sudah berjalan"):
        svc.cycles.start(tg("admin"))


def test_only_sekda_or_admin_start_and_strangers_are_refused(svc):
    with pytest.raises(NotYourTask):
        svc.cycles.start(tg("kabag"))
    with pytest.raises(NotRegistered):
        svc.cycles.start(424242)


def test_a_failed_use_case_leaves_nothing_behind(svc):
    svc.cycles.start(tg("sekda"))
    before = (len(outbox(svc)), _count(svc, m.AuditLog))
    task = only_open(svc, "sekda")
    with pytest.raises(NotYourTask):
        svc.cycles.act(tg("kabag"), task.id, A.FORWARD)
    with pytest.raises(TaskNotFound):
        svc.cycles.act(tg("sekda"), 99999, A.FORWARD)
    assert (len(outbox(svc)), _count(svc, m.AuditLog)) == before


def _count(svc, model) -> int:
    with svc.db.transaction(write=False) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_full_cycle_with_a_correction_and_a_returned_opd(svc, clock):
    svc.cycles.start(tg("sekda"))
    act(svc, "sekda", A.FORWARD, note="Mohon <segera> & teliti")
    task2 = only_open(svc, "asisten")
    assert task2.instruction == "Mohon <segera> & teliti"
    text = outbox(svc, chat_id=tg("asisten"))[-1].payload["text"]
    assert "Mohon &lt;segera&gt; &amp; teliti" in text
    act(svc, "asisten", A.FORWARD)
    act(svc, "kabag", A.FORWARD)
    # both Tim SAKIP members get step 4; the one who drafts wins, the other's copy is updated
    assert len(outbox(svc, chat_id=tg("tim2"), purpose="task")) == 1
    act(svc, "tim1", A.SUBMIT_DRAFT, payload=LETTER)
    with pytest.raises(NoteRequired):
        act(svc, "kabag", A.RETURN, note=" ")
    act(svc, "kabag", A.RETURN, note="Tanggal surat keliru")
    redraft = only_open(svc, "tim2")
    assert redraft.step == 4 and redraft.instruction == "Tanggal surat keliru"
    act(svc, "tim2", A.SUBMIT_DRAFT, payload={**LETTER, "tanggal": "2026-11-25"})
    act(svc, "kabag", A.APPROVE)
    act(svc, "asisten", A.APPROVE)
    act(svc, "sekda", A.SIGN)
    with svc.db.transaction(write=False) as s:
        signed = s.scalar(select(m.Document).where(m.Document.kind == "surat_pemberitahuan"))
        assert signed.verification_code and signed.signed_at == clock.now()
    clock.advance(minutes=5)
    act(svc, "tim1", A.DISTRIBUTE)
    for who in ("disdik", "dinsos", "delang"):
        # one message: the letter as the document, its receipt button under it
        letters = outbox(svc, chat_id=tg(who), purpose="task")
        assert len(letters) == 1 and letters[0].kind == "document"
        assert letters[0].payload["document_id"] == signed.id
        assert letters[0].payload["reply_markup"]["inline_keyboard"][0][0]["text"] == "Terima surat"
        act(svc, who, A.CONFIRM_RECEIPT)
        act(svc, who, A.SUBMIT, note="Sudah diisi")
    tasks10 = svc.cycles.open_tasks_for(tg("tim1"))
    assert sorted(t.opd_kode for t in tasks10) == ["DINSOS", "DISDIK", "KEC-DELANG"]
    by_opd = {t.opd_kode: t for t in tasks10}
    svc.cycles.act(tg("tim1"), by_opd["DISDIK"].id, A.VERIFY_SESUAI)
    svc.cycles.act(tg("tim2"), by_opd["DINSOS"].id, A.VERIFY_TIDAK_SESUAI, note="IKU tidak sesuai Renstra")
    with pytest.raises(Conflict, match="sudah diproses oleh Agus Prasetyo"):
        svc.cycles.act(tg("tim1"), by_opd["DINSOS"].id, A.VERIFY_SESUAI)
    returned = only_open(svc, "dinsos")
    assert returned.step == 9 and returned.instruction == "IKU tidak sesuai Renstra"
    act(svc, "dinsos", A.SUBMIT)
    svc.cycles.act(tg("tim1"), by_opd["KEC-DELANG"].id, A.VERIFY_SESUAI)
    act(svc, "tim2", A.VERIFY_SESUAI)
    act(svc, "kabag", A.CONFIRM_RECAP)
    act(svc, "tim1", A.ARCHIVE)
    with svc.db.transaction(write=False) as s:
        cycle = s.scalar(select(m.Cycle))
        assert cycle.status == "closed"
        assert s.scalar(select(m.CycleOpd.returns).where(m.CycleOpd.opd_kode == "DINSOS")) == 1
        actions = s.scalars(select(m.AuditLog.action).where(m.AuditLog.cycle_id == cycle.id)
                            .order_by(m.AuditLog.id)).all()
    assert actions[0] == "cycle_start" and actions[-1] == "task_archive"
    assert actions.count("task_sesuai") == 3 and actions.count("task_return") == 1
    closed = outbox(svc, chat_id=tg("sekda"))[-1].payload["text"]
    assert "selesai" in closed and "Terverifikasi: 3 dari 3" in closed


def test_two_tim_sakip_members_press_at_once_exactly_one_wins(svc):
    svc.cycles.start(tg("sekda"))
    for who in ("sekda", "asisten", "kabag"):
        act(svc, who, A.FORWARD)
    task = only_open(svc, "tim1")
    results: dict[str, object] = {}
    barrier = threading.Barrier(2)

    def press(who: str) -> None:
        barrier.wait()
        try:
            results[who] = svc.cycles.act(tg(who), task.id, A.SUBMIT_DRAFT, payload=LETTER)
        except Conflict as exc:
            results[who] = exc

    threads = [threading.Thread(target=press, args=(w,)) for w in ("tim1", "tim2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    errors = [r for r in results.values() if isinstance(r, Conflict)]
    assert len(errors) == 1 and "sudah diproses oleh" in str(errors[0])
    with svc.db.transaction(write=False) as s:
        assert s.scalar(select(func.count()).select_from(m.Task).where(m.Task.step == 5)) == 1


def test_window_close_marks_the_unfinished(svc, clock):
    to_signed_letter(svc)
    act(svc, "tim1", A.DISTRIBUTE)
    act(svc, "disdik", A.CONFIRM_RECEIPT)
    assert svc.cycles.close_due_windows() == []
    with svc.db.transaction(write=False) as s:
        window = s.scalar(select(m.Cycle.window_closes_at))
    clock.set(window)
    assert len(svc.cycles.close_due_windows()) == 1
    assert svc.cycles.close_due_windows() == []
    assert only_open(svc, "kabag").step == 11
    texts = [o.payload["text"] for o in outbox(svc, chat_id=tg("kabag"), purpose="info", kind="message")]
    assert any("Dinas Pendidikan" in t and "tidak selesai" in t for t in texts)
    assert only_open(svc, "kabag").due_at > window
    with svc.db.transaction(write=False) as s:
        recap = s.scalar(select(m.Document).where(m.Document.kind == "rekap"))
    assert recap is not None and recap.size > 1000  # step 11's recapitulation, also after a closed window
    assert date(2026, 1, 1) < window.date()
