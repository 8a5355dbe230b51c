"""Reminders and escalations with an injected clock: exact, once, restart-safe, in working hours."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.formatting import WIB
from bot.storage import models as m
from bot.workflow import ActionKind as A

from .conftest import PEOPLE
from .test_cycles import act, only_open, tg, to_signed_letter


def alerts_sent(svc, purpose=None):
    with svc.db.transaction(write=False) as s:
        query = select(m.Outbox).where(m.Outbox.purpose.in_(["reminder", "due", "escalation", "digest"]))
        if purpose:
            query = query.where(m.Outbox.purpose == purpose)
        return [(o.chat_id, o.purpose, o.payload["text"]) for o in s.scalars(query.order_by(m.Outbox.id))]


def at(clock, hour, minute, day=24, month=11):
    clock.set(datetime(2026, month, day, hour, minute, tzinfo=WIB))


def test_short_step_reminder_due_and_escalation_exactly_once(svc, clock):
    svc.cycles.start(tg("sekda"))
    act(svc, "sekda", A.FORWARD)  # step 2 for the asisten, due 10.30 WIB
    assert only_open(svc, "asisten").due_at == datetime(2026, 11, 24, 10, 30, tzinfo=WIB)
    at(clock, 10, 19)
    assert svc.alerts.sweep().reminders == 0
    at(clock, 10, 20)
    assert svc.alerts.sweep().reminders == 1
    assert svc.alerts.sweep().tasks == 0  # nothing twice
    (chat, purpose, text), = alerts_sent(svc)
    assert chat == tg("asisten") and purpose == "reminder" and "10 menit lagi" in text
    at(clock, 10, 30)
    svc.alerts.sweep()
    assert alerts_sent(svc)[-1][1] == "due"
    at(clock, 11, 0)
    # the Asisten's step: the Sekda reads it in the morning digest, not as it runs late
    assert svc.alerts.sweep().escalations == 0
    assert [p for _, p, _ in alerts_sent(svc)] == ["reminder", "due"]
    at(clock, 11, 1)
    assert svc.alerts.sweep().tasks == 0


def test_a_staff_step_90_minutes_late_reaches_the_kabag_not_the_sekda(svc, clock):
    svc.cycles.start(tg("sekda"))
    act(svc, "sekda", A.FORWARD)
    act(svc, "asisten", A.FORWARD)
    act(svc, "kabag", A.FORWARD)  # step 4 for Tim SAKIP, 1 Jam
    due = only_open(svc, "tim1").due_at
    clock.set(due + timedelta(minutes=90))
    assert svc.alerts.sweep().escalations == 1
    chat, purpose, text = alerts_sent(svc, "escalation")[-1]
    assert chat == tg("kabag") and "terlewat 1 jam 30 menit" in text
    assert PEOPLE["tim1"][1] in text and "«Ingatkan»" in text and "tingkat" not in text
    clock.set(due + timedelta(hours=4))  # later escalations still stop at the Kabag
    svc.alerts.sweep()
    assert {c for c, _, _ in alerts_sent(svc, "escalation")} == {tg("kabag")}
    assert not [c for c, _, _ in alerts_sent(svc) if c in (tg("sekda"), tg("asisten"))]


def test_nothing_outside_working_hours_then_once_marked_late(svc, clock):
    at(clock, 15, 50)
    svc.cycles.start(tg("sekda"))  # due Wed 07.50 (10 min left today, 20 tomorrow)
    at(clock, 18, 0)
    assert svc.alerts.sweep().tasks == 0
    at(clock, 7, 29, day=25)
    assert svc.alerts.sweep().tasks == 0
    at(clock, 9, 0, day=25)  # the bot was down: reminder, due and two escalation times have passed
    result = svc.alerts.sweep()
    assert (result.tasks, result.reminders) == (1, 1)  # only the newest reminder, once
    texts = alerts_sent(svc)
    assert len(texts) == 1 and "tertunda" in texts[0][2] and texts[0][1] == "due"
    assert svc.alerts.sweep().tasks == 0


def test_task_done_stops_its_alerts(svc, clock):
    svc.cycles.start(tg("sekda"))
    act(svc, "sekda", A.FORWARD)
    act(svc, "asisten", A.FORWARD)
    at(clock, 10, 25)
    svc.alerts.sweep()
    with svc.db.transaction(write=False) as s:
        done = s.scalars(select(m.Task).where(m.Task.status == "done")).all()
        assert all(t.next_alert_at is None for t in done)
    assert {c for c, _, _ in alerts_sent(svc)} <= {tg("kabag")}


def test_nudge_from_a_superior_and_refusal_for_others(svc, clock):
    svc.cycles.start(tg("sekda"))
    act(svc, "sekda", A.FORWARD)
    task = only_open(svc, "asisten")
    assert svc.alerts.nudge(tg("sekda"), task.id) == 1
    from bot.workflow import NotYourTask

    with pytest.raises(NotYourTask):
        svc.alerts.nudge(tg("disdik"), task.id)


def test_acknowledge_pauses_reminders_not_the_deadline(svc, clock):
    svc.cycles.start(tg("sekda"))
    task = only_open(svc, "sekda")
    until = svc.alerts.acknowledge(tg("sekda"), task.id)
    assert until == clock.now() + timedelta(hours=24)
    at(clock, 10, 25)
    assert svc.alerts.sweep().reminders == 0
    assert only_open(svc, "sekda").due_at == task.due_at
    from bot.workflow import NotYourTask

    with pytest.raises(NotYourTask):
        svc.alerts.acknowledge(tg("kabag"), task.id)


def test_morning_digest_once_per_working_day(svc, clock):
    svc.cycles.start(tg("sekda"))
    act(svc, "sekda", A.FORWARD)  # the asisten's step 2 will be late
    at(clock, 7, 0, day=25)
    assert svc.alerts.digest() == 0  # before 07.30
    at(clock, 7, 31, day=25)
    assert svc.alerts.digest() == 0  # less than a day late: not yet for the Sekda
    at(clock, 7, 31, day=26)
    assert svc.alerts.digest() == 1
    assert svc.alerts.digest() == 0
    chat, purpose, text = alerts_sent(svc, "digest")[0]
    assert chat == tg("sekda") and "Langkah 2 (Disposisi Asisten Administrasi Umum)" in text
    at(clock, 8, 0, day=28)  # Saturday: no digest
    assert svc.alerts.digest() == 0


def test_two_sweeps_at_once_send_each_alert_once(svc, clock):
    import threading

    from sqlalchemy import func

    svc.cycles.start(tg("sekda"))
    act(svc, "sekda", A.FORWARD)
    act(svc, "asisten", A.FORWARD)  # step 3 (kabag) is open with its alerts
    at(clock, 10, 0, day=25)  # long overdue: due reminder and escalations owed
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def sweep() -> None:
        barrier.wait()
        try:
            svc.alerts.sweep()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with svc.db.transaction(write=False) as s:
        keys = s.scalars(select(m.Outbox.dedup_key).where(m.Outbox.dedup_key.like("alert:%"))).all()
        escalations = s.scalar(select(func.count()).select_from(m.AuditLog).where(m.AuditLog.action == "escalation"))
    assert len(keys) == len(set(keys)) == 1  # the kabag's "due" reminder; her superiors read the digest
    assert escalations == 1


def test_reminders_wait_over_cuti_bersama_natal_and_the_weekend(svc, clock):
    at(clock, 15, 50, day=23, month=12)  # Wednesday 23 December 2026
    svc.cycles.start(tg("sekda"))
    assert only_open(svc, "sekda").due_at == datetime(2026, 12, 28, 7, 50, tzinfo=WIB)
    for day in (24, 25, 26, 27):  # cuti bersama, Natal, Saturday, Sunday
        at(clock, 10, 0, day=day, month=12)
        assert svc.alerts.sweep().reminders == 0, day
    at(clock, 7, 40, day=28, month=12)
    assert svc.alerts.sweep().reminders == 1
    assert "10 menit lagi" in alerts_sent(svc)[-1][2]


def test_long_step_reminders_h7_h3_h1_and_escalation_to_the_digest(svc, clock):
    to_signed_letter(svc)
    act(svc, "tim1", A.DISTRIBUTE)
    act(svc, "disdik", A.CONFIRM_RECEIPT)
    act(svc, "disdik", A.SUBMIT)  # step 10 for Tim SAKIP: due when the 30-day window closes
    task = [t for t in svc.cycles.open_tasks_for(tg("tim1")) if t.step == 10][0]
    due = task.due_at.astimezone(WIB)

    def for_this_task():
        with svc.db.transaction(write=False) as s:
            return s.scalars(select(m.Outbox).where(m.Outbox.task_id == task.id,
                                                    m.Outbox.purpose != "task").order_by(m.Outbox.id)).all()

    svc.alerts.sweep()  # the first visit schedules it
    for before in (7, 3, 1):
        clock.set(svc.calendar.next_working_start(due - timedelta(days=before)))  # held over weekends
        svc.alerts.sweep()
        rows = for_this_task()
        assert len(rows) == {7: 2, 3: 4, 1: 6}[before]
        latest = rows[-2:]
        assert {r.chat_id for r in latest} == {tg("tim1"), tg("tim2")}  # both Tim SAKIP members
        assert all(r.purpose == "reminder" and "Pengingat: Langkah 10" in r.payload["text"]
                   and "Verifikasi Isian Data Kinerja" in r.payload["text"]
                   and "di input" not in r.payload["text"] for r in latest)
        assert all(r.payload["reply_markup"]["inline_keyboard"][0][0]["text"] == "Sedang dikerjakan"
                   for r in latest)
    assert len(for_this_task()) == 6
    clock.set(due + timedelta(days=1, hours=1))
    svc.alerts.sweep()
    assert all(r.purpose != "escalation" for r in for_this_task())  # a long step: morning digest
    with svc.db.transaction(write=False) as s:
        logged = s.scalars(select(m.AuditLog.after).where(m.AuditLog.action == "escalation",
                                                          m.AuditLog.entity_id == str(task.id))).all()
    assert logged and logged[-1]["ringkasan_pagi"] is True
