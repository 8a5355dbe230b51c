"""The pure alert schedule: what is owed when, and who is above whom."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.roles import Peran
from bot.sop.definition import AlertPolicy
from bot.workflow.alerts import AlertKind, owed, schedule

T0 = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)


def test_short_step_policy_and_schedule():
    policy = AlertPolicy.for_duration(timedelta(minutes=30))
    assert policy.reminders_before == (timedelta(minutes=10),) and not policy.digest
    alerts = schedule(T0, T0 + timedelta(minutes=30), policy)
    assert [(a.kind, a.at - T0) for a in alerts] == [
        (AlertKind.REMINDER, timedelta(minutes=20)), (AlertKind.DUE, timedelta(minutes=30)),
        (AlertKind.ESCALATION, timedelta(minutes=60)), (AlertKind.ESCALATION, timedelta(minutes=90)),
        (AlertKind.ESCALATION, timedelta(minutes=120))]
    assert [a.escalation for a in alerts] == [0, 0, 1, 2, 3]


def test_long_step_h7_h3_h1_and_digest():
    policy = AlertPolicy.for_duration(30 * DAY)
    alerts = schedule(T0, T0 + 30 * DAY, policy)
    reminders = [a.at - T0 for a in alerts if a.kind is AlertKind.REMINDER]
    assert reminders == [23 * DAY, 27 * DAY, 29 * DAY] and policy.digest
    # a reminder that would fall before the start is left out
    short = schedule(T0, T0 + 2 * DAY, policy)
    assert [a.at - T0 for a in short if a.kind is AlertKind.REMINDER] == [DAY]


def test_owed_sends_the_newest_of_each_kind_once():
    alerts = schedule(T0, T0 + timedelta(minutes=30), AlertPolicy.for_duration(timedelta(minutes=30)))
    nothing = owed(alerts, 0, T0 + timedelta(minutes=5))
    assert (nothing.reminder, nothing.escalation, nothing.new_level) == (None, None, 0)
    assert nothing.next_alert_at == T0 + timedelta(minutes=20)
    later = owed(alerts, 0, T0 + timedelta(minutes=95))  # after a long downtime
    assert later.reminder.kind is AlertKind.DUE and later.escalation.escalation == 2
    assert later.new_level == 4 and later.next_alert_at == T0 + timedelta(minutes=120)
    assert later.late(later.reminder, T0 + timedelta(minutes=95), timedelta(minutes=2))
    again = owed(alerts, later.new_level, T0 + timedelta(minutes=96))
    assert (again.reminder, again.escalation) == (None, None)
    last = owed(alerts, 4, T0 + timedelta(days=1))
    assert last.escalation.escalation == 3 and last.next_alert_at is None and last.new_level == 5


def test_acknowledged_task_skips_what_falls_in_the_pause():
    alerts = schedule(T0, T0 + timedelta(minutes=30), AlertPolicy.for_duration(timedelta(minutes=30)))
    paused = owed(alerts, 0, T0 + timedelta(minutes=25), paused_until=T0 + timedelta(minutes=70))
    assert (paused.reminder, paused.escalation, paused.new_level) == (None, None, 1)
    assert paused.next_alert_at == T0 + timedelta(minutes=70)


def test_the_default_escalation_policy_stops_staff_steps_at_the_kabag():
    from bot.sop import load_sop

    sop = load_sop(None)
    staff = sop.escalation(4, Peran.TIM_SAKIP)
    assert staff.segera == (Peran.KABAG,) and set(staff.ringkasan) == {Peran.ASISTEN, Peran.SEKDA}
    assert staff.ringkasan_setelah == timedelta(days=1)
    opd = sop.escalation(9, Peran.OPD)
    assert opd.segera == (Peran.KEPALA_OPD,) and {Peran.ASISTEN, Peran.SEKDA} <= set(opd.ringkasan)
    assert sop.escalation(1, Peran.SEKDA).above == frozenset()
    assert sop.eskalasi.digest_at.strftime("%H.%M") == "07.30" and sop.eskalasi.ack_pause == timedelta(hours=24)
