"""Every transition of the cycle state machine, and every illegal one."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.roles import Peran
from bot.sop import load_sop
from bot.working_calendar import AlwaysOpenCalendar
from bot.workflow import (
    DocumentDue,
    ActionKind as A,
    ActionNotAllowed,
    Actor,
    CycleClosed,
    CycleNotOpen,
    CycleStatus,
    InvalidPayload,
    NoteRequired,
    NotYourTask,
    OpdStatus,
    TaskClosed,
    TaskFinished,
    TaskNotFound,
    TaskOpened,
    TaskStatus,
    WindowClosed,
    Workflow,
)

T0 = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)
SEKDA = Actor(1, Peran.SEKDA)
ASISTEN = Actor(2, Peran.ASISTEN)
KABAG = Actor(3, Peran.KABAG)
TIM1 = Actor(4, Peran.TIM_SAKIP)
TIM2 = Actor(5, Peran.TIM_SAKIP)
OPD_A = Actor(10, Peran.OPD, "A")
OPD_B = Actor(11, Peran.OPD, "B")
OPD_C = Actor(12, Peran.OPD, "C")
KEPALA_A = Actor(20, Peran.KEPALA_OPD, "A")
ADMIN = Actor(99, Peran.ADMIN)
LETTER = {
    "nomor": "000.8/1/SETDA-ORG/XI/2026",
    "tanggal": "2026-11-24",
    "batas_waktu_pengisian": "2026-12-31",
    "hal": "Pengisian Data Kinerja pada Aplikasi E-SAKIP",
}


@pytest.fixture(scope="module")
def wf() -> Workflow:
    return Workflow(load_sop(), AlwaysOpenCalendar())


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def open_task(state, step, opd=None):
    matches = [t for t in state.open_tasks() if t.step == step and t.opd == opd]
    assert len(matches) == 1, (step, opd, state.open_tasks())
    return matches[0]


def do(wf, state, step, action, actor, minutes=1.0, opd=None, **kw):
    task = open_task(state, step, opd)
    return wf.act(state, task.seq, action, actor, at(minutes), **kw).state


def until_signed(wf):
    s = wf.start(2026, ["A", "B", "C"], SEKDA, T0).state
    s = do(wf, s, 1, A.FORWARD, SEKDA)
    s = do(wf, s, 2, A.FORWARD, ASISTEN)
    s = do(wf, s, 3, A.FORWARD, KABAG, note="Segera disusun")
    s = do(wf, s, 4, A.SUBMIT_DRAFT, TIM1, payload=LETTER)
    s = do(wf, s, 5, A.APPROVE, KABAG)
    s = do(wf, s, 6, A.APPROVE, ASISTEN)
    return do(wf, s, 7, A.SIGN, SEKDA)


def distributed(wf):
    return do(wf, until_signed(wf), 8, A.DISTRIBUTE, TIM1, minutes=10)


# -- start --------------------------------------------------------------------------------


def test_start_opens_step_one_for_the_sekda_with_its_deadline(wf):
    t = wf.start(2026, ["A", "B"], SEKDA, T0)
    (task,) = t.state.tasks
    assert (task.seq, task.step, task.role, task.due_at) == (1, 1, Peran.SEKDA, at(30))
    assert t.effects == (TaskOpened(task),)
    assert [p.status for p in t.state.opds] == [OpdStatus.MENUNGGU_SURAT] * 2
    assert t.state.status is CycleStatus.OPEN and t.state.current_step == 1


def test_admin_may_start_but_others_may_not(wf):
    assert wf.start(2026, ["A"], ADMIN, T0).state.opened_by == 99
    for actor in (ASISTEN, KABAG, TIM1, OPD_A):
        with pytest.raises(NotYourTask):
            wf.start(2026, ["A"], actor, T0)


def test_start_needs_opds_without_duplicates(wf):
    with pytest.raises(InvalidPayload, match="Belum ada Perangkat Daerah"):
        wf.start(2026, [], SEKDA, T0)
    with pytest.raises(InvalidPayload, match="ganda"):
        wf.start(2026, ["A", "A"], SEKDA, T0)


# -- steps 1-7 ----------------------------------------------------------------------------


def test_dispositions_forward_with_the_arahan_as_next_instruction(wf):
    s = wf.start(2026, ["A"], SEKDA, T0).state
    t = wf.act(s, 1, A.FORWARD, SEKDA, at(5), note="  Mohon segera  ")
    done, opened, due = t.effects
    assert isinstance(due, DocumentDue) and (due.kind, due.task, due.opened) == (
        "lembar_disposisi", done.task, opened.task)
    assert isinstance(done, TaskFinished) and done.task.outcome == "forwarded"
    assert done.task.note == "Mohon segera" and done.task.actor_id == 1
    assert done.task.completed_at == at(5)
    assert isinstance(opened, TaskOpened)
    assert (opened.task.step, opened.task.role, opened.task.instruction) == (2, Peran.ASISTEN, "Mohon segera")
    assert opened.task.due_at == at(35)
    s = t.state
    s = do(wf, s, 2, A.FORWARD, ASISTEN, minutes=10)
    task3 = open_task(s, 3)
    assert task3.instruction is None and task3.due_at == at(70)  # 1 Jam
    s = do(wf, s, 3, A.FORWARD, KABAG, minutes=20)
    assert open_task(s, 4).role is Peran.TIM_SAKIP


def test_draft_needs_the_letter_fields_and_is_kept(wf):
    s = wf.start(2026, ["A"], SEKDA, T0).state
    for step, actor in ((1, SEKDA), (2, ASISTEN), (3, KABAG)):
        s = do(wf, s, step, A.FORWARD, actor)
    task = open_task(s, 4)
    with pytest.raises(InvalidPayload, match="hal"):
        wf.act(s, task.seq, A.SUBMIT_DRAFT, TIM2, at(2), payload={**LETTER, "hal": ""})
    with pytest.raises(InvalidPayload, match="Batas waktu"):
        wf.act(s, task.seq, A.SUBMIT_DRAFT, TIM2, at(2), payload={**LETTER, "batas_waktu_at": at(1)})
    deadline = at(60 * 24 * 30)
    s = wf.act(s, task.seq, A.SUBMIT_DRAFT, TIM2, at(2), payload={**LETTER, "batas_waktu_at": deadline}).state
    assert s.letter["nomor"] == LETTER["nomor"] and "batas_waktu_at" not in s.letter
    assert s.letter_deadline == deadline
    assert s.task(task.seq).actor_id == TIM2.user_id
    assert open_task(s, 5).role is Peran.KABAG


@pytest.mark.parametrize(("step", "actor"), [(5, KABAG), (6, ASISTEN)])
def test_return_sends_the_draft_back_to_step_four_with_the_note(wf, step, actor):
    s = until_signed(wf)  # walk once to learn nothing breaks; now build a fresh path to `step`
    s = wf.start(2026, ["A"], SEKDA, T0).state
    for st, ac in ((1, SEKDA), (2, ASISTEN), (3, KABAG)):
        s = do(wf, s, st, A.FORWARD, ac)
    s = do(wf, s, 4, A.SUBMIT_DRAFT, TIM1, payload=LETTER)
    if step == 6:
        s = do(wf, s, 5, A.APPROVE, KABAG)
    task = open_task(s, step)
    with pytest.raises(NoteRequired):
        wf.act(s, task.seq, A.RETURN, actor, at(3), note="   ")
    t = wf.act(s, task.seq, A.RETURN, actor, at(3), note="Perbaiki tanggal")
    assert t.state.task(task.seq).outcome == "returned"
    redraft = open_task(t.state, 4)
    assert redraft.instruction == "Perbaiki tanggal" and redraft.started_at == at(3)
    # the corrected draft passes step 5 again
    s = do(wf, t.state, 4, A.SUBMIT_DRAFT, TIM2, payload={**LETTER, "tanggal": "2026-11-25"})
    assert s.letter["tanggal"] == "2026-11-25"
    assert open_task(s, 5)


def test_signature_has_no_deadline_and_opens_distribution(wf):
    s = wf.start(2026, ["A"], SEKDA, T0).state
    for st, ac in ((1, SEKDA), (2, ASISTEN), (3, KABAG)):
        s = do(wf, s, st, A.FORWARD, ac)
    s = do(wf, s, 4, A.SUBMIT_DRAFT, TIM1, payload=LETTER)
    s = do(wf, s, 5, A.APPROVE, KABAG)
    s = do(wf, s, 6, A.APPROVE, ASISTEN)
    assert open_task(s, 7).due_at is None
    s = do(wf, s, 7, A.SIGN, SEKDA, minutes=4)
    task8 = open_task(s, 8)
    assert task8.role is Peran.TIM_SAKIP and task8.due_at == at(4 + 24 * 60)


# -- steps 8-10, per OPD ------------------------------------------------------------------


def test_distribution_fans_out_a_receipt_task_per_opd_and_starts_the_window(wf):
    s = until_signed(wf)
    t = wf.act(s, open_task(s, 8).seq, A.DISTRIBUTE, TIM2, at(10))
    opened = [e.task for e in t.effects if isinstance(e, TaskOpened)]
    assert [(o.step, o.role, o.opd) for o in opened] == [(8, Peran.OPD, k) for k in "ABC"]
    assert all(o.due_at == at(10 + 24 * 60) for o in opened)
    assert t.state.window_closes_at == at(10 + 30 * 24 * 60)
    assert {p.status for p in t.state.opds} == {OpdStatus.BELUM_MENERIMA}


def test_receipt_then_submission_then_verification(wf):
    s = distributed(wf)
    assert wf.allowed_actions(open_task(s, 8, "A")) == (A.CONFIRM_RECEIPT,)
    s = do(wf, s, 8, A.CONFIRM_RECEIPT, KEPALA_A, minutes=20, opd="A")
    a = s.opd("A")
    assert (a.status, a.received_at, a.received_by) == (OpdStatus.MENGISI, at(20), 20)
    task9 = open_task(s, 9, "A")
    assert task9.role is Peran.OPD
    assert task9.due_at == at(20 + 60)  # no batas waktu in the letter: the seed's 1 Jam
    s = do(wf, s, 9, A.SUBMIT, OPD_A, minutes=30, opd="A", note="Sudah diisi")
    assert s.opd("A").status is OpdStatus.MENUNGGU_VERIFIKASI
    task10 = open_task(s, 10, "A")
    assert task10.role is Peran.TIM_SAKIP and task10.due_at == s.window_closes_at
    assert task10.instruction == "Sudah diisi"


def test_letter_deadline_is_the_filling_deadline(wf):
    s = wf.start(2026, ["A"], SEKDA, T0).state
    for st, ac in ((1, SEKDA), (2, ASISTEN), (3, KABAG)):
        s = do(wf, s, st, A.FORWARD, ac)
    deadline = at(60 * 24 * 20)
    s = do(wf, s, 4, A.SUBMIT_DRAFT, TIM1, payload={**LETTER, "batas_waktu_at": deadline})
    for st, ac, action in ((5, KABAG, A.APPROVE), (6, ASISTEN, A.APPROVE), (7, SEKDA, A.SIGN),
                           (8, TIM1, A.DISTRIBUTE)):
        s = do(wf, s, st, action, ac)
    s = do(wf, s, 8, A.CONFIRM_RECEIPT, OPD_A, opd="A")
    assert open_task(s, 9, "A").due_at == deadline


def test_tidak_sesuai_returns_the_opd_to_step_nine_and_counts(wf):
    s = distributed(wf)
    s = do(wf, s, 8, A.CONFIRM_RECEIPT, OPD_A, opd="A")
    s = do(wf, s, 9, A.SUBMIT, OPD_A, opd="A")
    task = open_task(s, 10, "A")
    with pytest.raises(NoteRequired):
        wf.act(s, task.seq, A.VERIFY_TIDAK_SESUAI, TIM1, at(40))
    s = wf.act(s, task.seq, A.VERIFY_TIDAK_SESUAI, TIM1, at(40), note="IKU belum sesuai Renstra").state
    a = s.opd("A")
    assert (a.status, a.returns, a.last_note) == (OpdStatus.DIKEMBALIKAN, 1, "IKU belum sesuai Renstra")
    again = open_task(s, 9, "A")
    assert again.instruction == "IKU belum sesuai Renstra"
    s = do(wf, s, 9, A.SUBMIT, OPD_A, minutes=50, opd="A")
    s = do(wf, s, 10, A.VERIFY_SESUAI, TIM2, minutes=60, opd="A")
    a = s.opd("A")
    assert (a.status, a.returns, a.verified_by, a.verified_at) == (OpdStatus.TERVERIFIKASI, 1, 5, at(60))


def test_recap_opens_only_when_every_opd_is_verified(wf):
    s = distributed(wf)
    for actor in (OPD_A, OPD_B, OPD_C):
        s = do(wf, s, 8, A.CONFIRM_RECEIPT, actor, opd=actor.opd)
        s = do(wf, s, 9, A.SUBMIT, actor, opd=actor.opd)
    s = do(wf, s, 10, A.VERIFY_SESUAI, TIM1, opd="A")
    s = do(wf, s, 10, A.VERIFY_SESUAI, TIM2, opd="B")
    assert not [t for t in s.open_tasks() if t.step == 11]
    t = wf.act(s, open_task(s, 10, "C").seq, A.VERIFY_SESUAI, TIM1, at(90))
    recap = open_task(t.state, 11)
    assert recap.role is Peran.KABAG and recap.due_at == at(120)
    assert isinstance(t.effects[-2], TaskOpened)
    assert t.effects[-1] == DocumentDue("rekap", recap)


def test_recap_and_archive_close_the_cycle(wf):
    s = distributed(wf)
    for actor in (OPD_A, OPD_B, OPD_C):
        s = do(wf, s, 8, A.CONFIRM_RECEIPT, actor, opd=actor.opd)
        s = do(wf, s, 9, A.SUBMIT, actor, opd=actor.opd)
        s = do(wf, s, 10, A.VERIFY_SESUAI, TIM1, opd=actor.opd)
    s = do(wf, s, 11, A.CONFIRM_RECAP, KABAG)
    assert open_task(s, 12).role is Peran.TIM_SAKIP
    t = wf.act(s, open_task(s, 12).seq, A.ARCHIVE, TIM2, at(200))
    assert t.state.status is CycleStatus.CLOSED and t.state.closed_at == at(200)
    assert isinstance(t.effects[-1], CycleClosed)
    assert t.state.open_tasks() == () and t.state.current_step is None
    with pytest.raises(CycleNotOpen):
        wf.act(t.state, 1, A.FORWARD, SEKDA, at(201))


# -- the step-10 window --------------------------------------------------------------------


def test_window_close_marks_unfinished_opds_and_opens_the_recap(wf):
    s = distributed(wf)
    s = do(wf, s, 8, A.CONFIRM_RECEIPT, OPD_A, opd="A")
    s = do(wf, s, 9, A.SUBMIT, OPD_A, opd="A")
    s = do(wf, s, 10, A.VERIFY_SESUAI, TIM1, opd="A")
    s = do(wf, s, 8, A.CONFIRM_RECEIPT, OPD_B, opd="B")  # B never submits; C never receives
    with pytest.raises(ActionNotAllowed, match="belum berakhir"):
        wf.close_window(s, s.window_closes_at - timedelta(seconds=1))
    t = wf.close_window(s, s.window_closes_at)
    assert WindowClosed(("B", "C")) in t.effects
    cancelled = [e.task for e in t.effects if isinstance(e, TaskFinished)]
    assert {(c.step, c.opd, c.status) for c in cancelled} == {
        (9, "B", TaskStatus.CANCELLED), (8, "C", TaskStatus.CANCELLED)}
    assert [p.status for p in t.state.opds] == [
        OpdStatus.TERVERIFIKASI, OpdStatus.TIDAK_SELESAI, OpdStatus.TIDAK_SELESAI]
    assert open_task(t.state, 11)
    with pytest.raises(ActionNotAllowed, match="sudah dibuka"):
        wf.close_window(t.state, s.window_closes_at + timedelta(days=1))


def test_window_cannot_close_before_distribution(wf):
    s = wf.start(2026, ["A"], SEKDA, T0).state
    with pytest.raises(ActionNotAllowed, match="belum didistribusikan"):
        wf.close_window(s, at(10**6))


# -- illegal actions -----------------------------------------------------------------------


def test_wrong_role_is_refused_with_a_readable_message(wf):
    s = wf.start(2026, ["A"], SEKDA, T0).state
    with pytest.raises(NotYourTask, match="Sekretaris Daerah, bukan untuk Kepala Bagian Organisasi"):
        wf.act(s, 1, A.FORWARD, KABAG, at(1))
    with pytest.raises(NotYourTask):
        wf.act(s, 1, A.FORWARD, ADMIN, at(1))


def test_wrong_opd_and_non_opd_roles_are_refused(wf):
    s = distributed(wf)
    task = open_task(s, 8, "A")
    with pytest.raises(NotYourTask, match="Perangkat Daerah lain"):
        wf.act(s, task.seq, A.CONFIRM_RECEIPT, OPD_B, at(20))
    with pytest.raises(NotYourTask, match="untuk Perangkat Daerah"):
        wf.act(s, task.seq, A.CONFIRM_RECEIPT, TIM1, at(20))
    assert not wf.can_act(task, OPD_B) and wf.can_act(task, KEPALA_A)


def test_action_that_the_step_does_not_offer(wf):
    s = wf.start(2026, ["A"], SEKDA, T0).state
    for action in (A.APPROVE, A.SIGN, A.RETURN, A.ARCHIVE, A.VERIFY_SESUAI):
        with pytest.raises(ActionNotAllowed, match="langkah 1"):
            wf.act(s, 1, action, SEKDA, at(1), note="x")
    s = distributed(wf)
    with pytest.raises(ActionNotAllowed):
        wf.act(s, open_task(s, 8, "A").seq, A.DISTRIBUTE, OPD_A, at(20))


def test_double_press_and_unknown_task(wf):
    s = wf.start(2026, ["A"], SEKDA, T0).state
    s2 = wf.act(s, 1, A.FORWARD, SEKDA, at(1)).state
    with pytest.raises(TaskClosed) as info:
        wf.act(s2, 1, A.FORWARD, SEKDA, at(2))
    assert info.value.actor_id == SEKDA.user_id
    with pytest.raises(TaskNotFound):
        wf.act(s2, 99, A.FORWARD, SEKDA, at(2))
    assert wf.allowed_actions(s2.task(1)) == ()


def test_two_tim_sakip_members_on_one_submission(wf):
    s = distributed(wf)
    s = do(wf, s, 8, A.CONFIRM_RECEIPT, OPD_A, opd="A")
    s = do(wf, s, 9, A.SUBMIT, OPD_A, opd="A")
    seq = open_task(s, 10, "A").seq
    won = wf.act(s, seq, A.VERIFY_SESUAI, TIM1, at(30)).state
    with pytest.raises(TaskClosed) as info:
        wf.act(won, seq, A.VERIFY_TIDAK_SESUAI, TIM2, at(30), note="x")
    assert info.value.actor_id == TIM1.user_id


def test_the_engine_is_pure():
    import ast
    import pathlib

    import bot.workflow
    import bot.sop
    import bot.working_calendar

    forbidden = {"telegram", "sqlalchemy", "apscheduler", "jinja2", "httpx", "aiohttp"}
    files = [*pathlib.Path(bot.workflow.__file__).parent.glob("*.py"),
             *pathlib.Path(bot.sop.__file__).parent.glob("*.py"),
             pathlib.Path(bot.working_calendar.__file__)]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{path.name} imports {name}"
