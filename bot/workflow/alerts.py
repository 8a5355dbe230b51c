"""When an open task is owed a reminder or an escalation (pure; the sweep asks this module).

A task's alerts form a fixed, ordered schedule derived from its start, its due instant and the
step's policy. The task row keeps `alert_level` (how many of them were handled) and
`next_alert_at`, so a sweep finds what is owed with an indexed query, and a restart after
downtime handles each level once: only the newest owed reminder and the newest owed escalation
are sent, marked as late, never one message per missed tick.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.sop.definition import AlertPolicy


class AlertKind(StrEnum):
    REMINDER = "reminder"  # before the deadline, to the assignee
    DUE = "due"  # at the deadline, to the assignee
    ESCALATION = "escalation"  # after the deadline, to the role above


@dataclass(frozen=True)
class Alert:
    level: int  # position in the schedule, from 0
    kind: AlertKind
    at: datetime
    escalation: int = 0  # 1 for the first escalation, ...


def schedule(started_at: datetime, due_at: datetime, policy: AlertPolicy) -> tuple[Alert, ...]:
    times: list[tuple[AlertKind, datetime, int]] = []
    for before in sorted(policy.reminders_before, reverse=True):
        at = due_at - before
        if at > started_at:
            times.append((AlertKind.REMINDER, at, 0))
    times.append((AlertKind.DUE, due_at, 0))
    for k in range(1, policy.max_escalations + 1):
        times.append((AlertKind.ESCALATION, due_at + policy.escalate_every * k, k))
    return tuple(Alert(i, kind, at, esc) for i, (kind, at, esc) in enumerate(times))


@dataclass(frozen=True)
class Owed:
    """What a sweep at `now` must send for one task, and where its bookkeeping moves to."""

    reminder: Alert | None  # the newest owed reminder/due alert, if any
    escalation: Alert | None  # the newest owed escalation, if any
    new_level: int
    next_alert_at: datetime | None

    def late(self, alert: Alert, now: datetime, tolerance: timedelta) -> bool:
        return now - alert.at > tolerance


def owed(alerts: tuple[Alert, ...], level: int, now: datetime, paused_until: datetime | None = None) -> Owed:
    due = [a for a in alerts[level:] if a.at <= now]
    rest = alerts[level + len(due):]
    next_at = rest[0].at if rest else None
    if paused_until is not None and paused_until > now:
        # Acknowledged ("sedang dikerjakan"): what falls due during the pause is skipped.
        if next_at is not None:
            next_at = max(next_at, paused_until)
        return Owed(None, None, level + len(due), next_at)
    reminders = [a for a in due if a.kind is not AlertKind.ESCALATION]
    escalations = [a for a in due if a.kind is AlertKind.ESCALATION]
    return Owed(reminders[-1] if reminders else None, escalations[-1] if escalations else None,
                level + len(due), next_at)


# Who is told when a step runs late is the SOP file's `eskalasi` (per role and per step), read
# into bot.sop.definition.EscalationPolicy; its defaults are DEFAULT_ESCALATION there.
