"""What one deadline sweep looks up once and writes at once (bot/services/alerts.py runs it).

A sweep of 100 due tasks is mostly bookkeeping, so it is kept to a few queries and three bulk
statements: the due tasks and the reachable users come as plain rows, each (role, OPD)'s
recipients and each (step, start, deadline)'s alert schedule are worked out once, a reminder is
rendered once for every task that differs only in its Perangkat Daerah, and the task bookkeeping,
outbox rows and audit rows are written as Core statements executed with many parameter sets.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any, cast

from markupsafe import escape
from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from bot import messages
from bot.roles import Peran
from bot.services.acting import ActingMap
from bot.services.recipients import pick_recipients
from bot.services.outbox import TOPIC as OUTBOX_TOPIC
from bot.services.views import TaskView, opd_names
from bot.sop.definition import AlertPolicy
from bot.storage import get_row, note_write
from bot.storage import models as m
from bot.workflow.alerts import Alert, schedule
from bot.storage.types import OutboxStatus

#: Stands for a Perangkat Daerah's name in a reminder rendered once for many (autoescape keeps it).
OPD_PLACEHOLDER = "\x00opd\x00"

#: The sweep's three writes, as Core statements run once with many parameter sets (the ORM's
#: bulk paths would also look for each row among the session's loaded tasks).
TASKS = cast(Table, m.Task.__table__)
_MOVE = (update(TASKS).where(TASKS.c.id == bindparam("row_id"))
         .values(alert_level=bindparam("level"), next_alert_at=bindparam("next")))
_OUTBOX = insert(cast(Table, m.Outbox.__table__))
_AUDIT = insert(cast(Table, m.AuditLog.__table__))


class SweepBatch:
    """What one sweep looks up once and writes at once."""

    def __init__(self, s: Session, acting: ActingMap, tz: tzinfo) -> None:
        self.s = s
        self.acting = acting  # Plh./Plt. (absent officials left out) and reassigned tasks
        self.tz = tz  # the deployment's zone, for the reminders' deadlines
        self.opd_names = opd_names(s)
        self._cycles: dict[int, m.Cycle] = {}
        # The reachable users as plain rows, grouped by role and by (role, OPD): each (role, OPD)
        # a sweep meets is picked from its few candidates, not from every user.
        users = s.execute(select(m.User.id, m.User.telegram_id, m.User.nama, m.User.peran, m.User.opd_kode)
                          .where(m.User.aktif, m.User.unreachable_at.is_(None)).order_by(m.User.id)).all()
        self._by_role: dict[str, list[Any]] = {}
        self._by_opd: dict[tuple[str, str | None], list[Any]] = {}
        for user in users:
            self._by_role.setdefault(user.peran, []).append(user)
            self._by_opd.setdefault((user.peran, user.opd_kode), []).append(user)
        self._recipients: dict[tuple[Peran, str | None], list[Any]] = {}
        self._plans: dict[tuple[int, int, datetime, datetime], tuple[AlertPolicy, tuple[Alert, ...]]] = {}
        self._texts: dict[tuple[object, ...], str] = {}
        self.task_updates: list[dict[str, object]] = []
        self.messages: list[dict[str, object]] = []
        self.audits: list[dict[str, object]] = []
        self.reminders = self.escalations = 0

    def move(self, row: Any, level: int, next_alert_at: datetime | None) -> None:
        self.task_updates.append({"row_id": row.id, "level": level, "next": next_alert_at})

    def write(self) -> None:
        """Three statements, each executed once with many parameter sets."""
        if self.task_updates:
            self.s.connection().execute(_MOVE, self.task_updates)
        if self.messages:
            self.s.connection().execute(_OUTBOX, self.messages)
            note_write(self.s, OUTBOX_TOPIC)
        if self.audits:
            self.s.connection().execute(_AUDIT, self.audits)

    def plan(self, policy_of: Callable[[Any], AlertPolicy], row: Any) -> tuple[AlertPolicy, tuple[Alert, ...]]:
        """The task's alert policy and schedule: the same for every task of a step opened
        together with one deadline (40 OPDs' receipts), so computed once per sweep."""
        key = (row.cycle_id, row.step, row.started_at, row.due_at)  # a cycle runs on its own SOP text
        if key not in self._plans:
            policy = policy_of(row)
            self._plans[key] = (policy, schedule(row.started_at, row.due_at, policy))
        return self._plans[key]

    def reminder_text(self, row: Any, view: Callable[[], TaskView], alert: str, now: datetime, late: bool) -> str:
        """The reminder of `row`, rendered once per sweep for every task that differs from it only
        in which Perangkat Daerah it is for: rendered with a placeholder for the OPD's name, which
        each copy replaces with its own (escaped as the template would; tests/services/test_alerts_text.py
        compares every text with a direct render)."""
        key = (row.step, row.role, row.cycle_id, row.started_at, row.due_at, row.claimed_by, row.instruction,
               row.outcome, row.note, row.completed_at, bool(self.opd_names.get(row.opd_kode or "")), alert, now, late)
        text = self._texts.get(key)
        if text is None:
            shown = view()
            neutral = dataclasses.replace(shown, opd_nama=OPD_PLACEHOLDER if shown.opd_nama else None)
            text = self._texts[key] = messages.render("reminder", tz=self.tz, task=neutral, alert=alert, now=now, late=late)
        if OPD_PLACEHOLDER not in text:
            return text
        return text.replace(OPD_PLACEHOLDER, str(escape(self.opd_names.get(row.opd_kode or "") or "")))

    def cycle(self, cycle_id: int) -> m.Cycle:
        if cycle_id not in self._cycles:
            self._cycles[cycle_id] = get_row(self.s, m.Cycle, cycle_id)
        return self._cycles[cycle_id]

    def recipients(self, role: Peran, opd: str | None) -> list[Any]:
        """pick_recipients (the heads alone for a Kepala OPD), over the few candidates."""
        key = (role, opd)
        if key not in self._recipients:
            if role is Peran.KEPALA_OPD:
                found = list(self._by_opd.get((role.value, opd), ()))
            elif role is Peran.OPD:
                candidates = [*self._by_opd.get((Peran.OPD, opd), ()),
                              *self._by_opd.get((Peran.KEPALA_OPD, opd), ())]
                found = pick_recipients(candidates, role, opd)
            else:
                found = pick_recipients(self._by_role.get(role.value, []), role, opd, self.acting)
            self._recipients[key] = found
        return self._recipients[key]

    def send(self, user: Any, row: Any, alert: Alert, text: str, keyboard: list, now: datetime) -> None:
        self.messages.append(dict(
            created_at=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=row.cycle_id,
            task_id=row.id, kind="message", purpose=alert.kind.value, status=OutboxStatus.PENDING, attempts=0,
            next_attempt_at=now, payload={"text": text, "reply_markup": {"inline_keyboard": keyboard}},
            dedup_key=f"alert:{row.id}:{alert.level}:{user.id}"))
