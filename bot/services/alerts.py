"""Reminders, escalations, acknowledgements, nudges and the superiors' morning digest."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from bot import messages
from bot.clock import Clock
from bot.presentation import keyboards
from bot.roles import Peran
from bot.services import audit
from bot.services.acting import ActingMap
from bot.services.errors import InvalidInput
from bot.services.lateness import working_days_late
from bot.services.outbox import enqueue
from bot.services.recipients import recipients
from bot.services.sops import SopCatalog
from bot.services.sweep_batch import TASKS, SweepBatch
from bot.services.views import TaskView, build_view
from bot.sop.definition import AlertPolicy, SopDefinition, StepKind
from bot.storage import Database, get_row
from bot.storage import models as m
from bot.working_calendar import DeadlineCalendar
from bot.workflow import NotYourTask, TaskStatus, Workflow
from bot.workflow.alerts import Alert, owed, schedule

#: The escalation policy (who is told, the digest hour, the acknowledgement pause) is the SOP
#: file's `eskalasi` (bot.sop.definition.EscalationPolicy, with its defaults).


@dataclass(frozen=True)
class DigestItem:
    """One late task in the morning digest: how late, also in working days (for the OPDs)."""

    view: TaskView
    late_by: timedelta
    hari_kerja: int


def teguran_keyboard(cycle_id: int) -> list[list[dict[str, str]]]:
    """Under Tim SAKIP's digest: the list of late OPDs, to draft a Surat Teguran (/teguran)."""
    from bot.presentation.labels import label

    return [[keyboards.button(label("teguran", "draft"), "daftar", cycle_id, ns="tg")]]


@dataclass(frozen=True)
class SweepResult:
    tasks: int = 0
    reminders: int = 0
    escalations: int = 0


@functools.cache
def _due_alerts(limit: int, skip_locked: bool) -> Select[Any]:
    """The tasks owed an alert now, earliest first; built once (the sweep runs every minute)."""
    query = (select(TASKS).where(TASKS.c.next_alert_at <= bindparam("now"))
             .order_by(TASKS.c.next_alert_at).limit(limit))
    return query.with_for_update(skip_locked=True) if skip_locked else query


class Alerts:
    def __init__(self, db: Database, clock: Clock, sop: SopDefinition, workflow: Workflow,
                 calendar: DeadlineCalendar, *, sweep_seconds: float = 30, ack_pause: timedelta | None = None,
                 catalog: SopCatalog | None = None) -> None:
        self.db = db
        self.clock = clock
        self.sop = sop
        self.workflow = workflow
        self.catalog = catalog
        self.calendar = calendar
        self.tz = calendar.tz  # the deployment's zone
        self.tolerance = timedelta(seconds=max(2 * sweep_seconds, 120))
        self.ack_pause = ack_pause  # None: each SOP file's jeda_sedang_dikerjakan

    def _workflow(self, s: Session, cycle: m.Cycle) -> Workflow:
        """The workflow the task's cycle runs on (the SOP text it started with)."""
        return self.catalog.workflow(s, cycle) if self.catalog is not None else self.workflow

    def policy(self, row: m.Task, sop: SopDefinition | None = None) -> AlertPolicy:
        step = (sop or self.sop).step(row.step)
        if step.alerts is not None:
            return step.alerts
        if step.waktu:
            nominal = step.waktu.as_timedelta()
        elif row.due_at is not None:  # a deadline from the letter or the window
            nominal = row.due_at - row.started_at
        else:
            raise ValueError(f"task {row.id} has no deadline, hence no alerts")
        if row.due_at is not None and step.kind in (StepKind.SUBMISSION, StepKind.VERIFICATION):
            nominal = max(nominal, row.due_at - row.started_at)  # the letter's or window's deadline
        return AlertPolicy.for_duration(nominal)

    def _view(self, s: Session, row: m.Task) -> TaskView:
        cycle = get_row(s, m.Cycle, row.cycle_id)
        wf = self._workflow(s, cycle)
        return build_view(s, wf.sop, wf, cycle, row)

    # -- the sweep --------------------------------------------------------------------------

    def sweep(self, limit: int = 500) -> SweepResult:
        """Send what is owed now, once per task and level. Nothing goes out outside working hours."""
        now = self.clock.now()
        if not self.calendar.is_working_time(now):
            return SweepResult()
        with self.db.transaction() as s:
            # Only open tasks have a next_alert_at (closing a task clears it), so the query can
            # use the next_alert_at index alone; a status filter makes SQLite pick the status index.
            # Plain rows, not ORM objects: a sweep reads its tasks and writes them back in bulk.
            rows: Sequence[Any] = s.execute(_due_alerts(limit, self.db.is_postgresql), {"now": now}).all()
            if not rows:
                return SweepResult()
            acting = ActingMap.load(s, now, self.tz, skip_absent=True, task_ids=[row.id for row in rows])
            batch = SweepBatch(s, acting, self.tz)
            with s.no_autoflush:
                for row in rows:
                    self._process(s, batch, row, now)
            batch.write()
            return SweepResult(len(rows), batch.reminders, batch.escalations)

    def _process(self, s: Session, batch: SweepBatch, row: m.Task, now: datetime) -> None:
        if row.status != TaskStatus.OPEN or row.due_at is None:
            batch.move(row, row.alert_level, None)
            return
        cycle = batch.cycle(row.cycle_id)
        wf = self._workflow(s, cycle)
        policy, alerts = batch.plan(lambda r: self.policy(r, wf.sop), row)
        result = owed(alerts, row.alert_level, now, row.acknowledged_until)
        batch.move(row, result.new_level, result.next_alert_at)
        if result.reminder is None and result.escalation is None:
            return
        views: list[TaskView] = []

        def view() -> TaskView:  # built only when a text needs it
            if not views:
                views.append(build_view(s, wf.sop, wf, cycle, row, opd_names=batch.opd_names))
            return views[0]

        if result.reminder is not None:
            late = result.late(result.reminder, now, self.tolerance)
            text = batch.reminder_text(row, view, result.reminder.kind.value, now, late)
            keyboard = keyboards.acknowledge_keyboard(row.id) if policy.digest else []
            for user in batch.acting.for_task(row.id, batch.recipients(row.role, row.opd_kode)):
                batch.send(user, row, result.reminder, text, keyboard, now)
                batch.reminders += 1
        if result.escalation is not None and not policy.digest:
            targets = wf.sop.escalation(row.step, row.role).segera
            if targets:  # an empty `segera`: the superiors read it in the morning digest
                self._escalate(batch, row, view(), result.escalation, now, targets)
        if result.escalation is not None:
            batch.audits.append(dict(
                at=now, cycle_id=row.cycle_id, actor_label="sistem", action="escalation",
                entity="task", entity_id=str(row.id),
                after={"tingkat": result.escalation.escalation, "langkah": row.step,
                       "opd": row.opd_kode, "ringkasan_pagi": policy.digest}))

    def _escalate(self, batch: SweepBatch, row: m.Task, view: TaskView, alert: Alert, now: datetime,
                  targets: tuple[Peran, ...]) -> None:
        if row.due_at is None:  # only a task with a deadline is escalated
            return
        assignees = batch.acting.for_task(row.id, batch.recipients(view.role, view.opd_kode))
        text = messages.render("escalation", tz=self.tz, task=view, late_by=now - row.due_at,
                               assignees=[u.nama for u in assignees], level=alert.escalation,
                               late=alert.at < now - self.tolerance)
        keyboard = keyboards.nudge_keyboard(row.id)
        for role in targets:
            for user in batch.recipients(role, view.opd_kode if role is Peran.KEPALA_OPD else None):
                batch.send(user, row, alert, text, keyboard, now)
                batch.escalations += 1

    # -- acknowledgement and nudge ----------------------------------------------------------

    def acknowledge(self, telegram_id: int, task_id: int) -> datetime:
        """'Sedang dikerjakan': pause reminders for a while; the deadline does not move."""
        now = self.clock.now()
        with self.db.transaction() as s:
            user, row = _user_and_task(s, telegram_id, task_id)
            view = self._view(s, row)
            from bot.services.state_store import task_from_row
            from bot.workflow import Actor

            from bot.services.acting import actor_for

            self.workflow.authorize(task_from_row(row), actor_for(s, user, row, now, self.tz))
            if not view.is_open:
                raise InvalidInput("alerts.ack_done")
            pause = self.ack_pause or self._workflow(s, get_row(s, m.Cycle, row.cycle_id)).sop.eskalasi.ack_pause
            row.acknowledged_until = now + pause
            audit.record(s, at=now, action="acknowledge", entity="task", entity_id=row.id,
                         actor_id=user.id, actor_label=user.nama, cycle_id=row.cycle_id,
                         after={"sampai": row.acknowledged_until})
            return row.acknowledged_until

    def nudge(self, telegram_id: int, task_id: int) -> int:
        """A superior's 'Ingatkan': one message to the assignees; returns how many were told."""
        now = self.clock.now()
        with self.db.transaction() as s:
            user, row = _user_and_task(s, telegram_id, task_id)
            role = user.peran
            sop = self._workflow(s, get_row(s, m.Cycle, row.cycle_id)).sop
            above = set(sop.escalation(row.step, row.role).above) | {Peran.ADMIN}
            if role not in above:
                raise NotYourTask("alerts.nudge_superiors_only")
            if role is Peran.KEPALA_OPD and user.opd_kode != row.opd_kode:  # a head nudges their own OPD only
                raise NotYourTask("workflow.task_of_other_opd")
            if row.status != TaskStatus.OPEN:
                raise InvalidInput("alerts.nudge_done")
            view = self._view(s, row)
            text = messages.render("nudge", tz=self.tz, task=view, sender=user.nama, sender_peran=role.label, now=now)
            targets = recipients(s, view.role, view.opd_kode, now, tz=self.tz)
            for target in targets:
                enqueue(s, now=now, chat_id=target.telegram_id, user_id=target.id, cycle_id=row.cycle_id,
                        task_id=row.id, kind="message", purpose="nudge", payload={"text": text})
            audit.record(s, at=now, action="nudge", entity="task", entity_id=row.id, actor_id=user.id,
                         actor_label=user.nama, cycle_id=row.cycle_id, after={"penerima": len(targets)})
            return len(targets)

    # -- the morning digest -----------------------------------------------------------------

    def digest(self) -> int:
        """Once per working day from the primary SOP's ringkasan_pagi (07.30): each superior gets
        what is late under them (the `segera` roles, and the `ringkasan` ones for day-long delays)."""
        now = self.clock.now()
        local = now.astimezone(self.tz)
        if not self.calendar.is_working_day(local.date()) or local.time() < self.sop.eskalasi.digest_at:
            return 0
        sent = 0
        with self.db.transaction() as s:
            late = s.scalars(select(m.Task).where(m.Task.status == TaskStatus.OPEN, m.Task.due_at < now)
                             .order_by(m.Task.due_at)).all()
            per_user: dict[int, list] = {}
            users: dict[int, m.User] = {}
            for row in late:
                if row.due_at is None:  # the query asks for due_at < now
                    continue
                esc = self._workflow(s, get_row(s, m.Cycle, row.cycle_id)).sop.escalation(row.step, row.role)
                roles = set(esc.segera) | (set(esc.ringkasan) if now - row.due_at >= esc.ringkasan_setelah else set())
                item = DigestItem(self._view(s, row), now - row.due_at,
                                  working_days_late(self.calendar, row.due_at, now))
                for role in roles:
                    targets = _heads(s, row.opd_kode) if role is Peran.KEPALA_OPD else recipients(s, role, None, now, tz=self.tz, skip_absent=True)
                    for user in targets:
                        users[user.id] = user
                        per_user.setdefault(user.id, []).append(item)
            for user_id, items in per_user.items():
                key = f"digest:{user_id}:{local.date().isoformat()}"
                if s.scalar(select(m.Outbox.id).where(m.Outbox.dedup_key == key)):
                    continue
                # Perangkat Daerah ranked by lateness (most late first), then the officials' tasks.
                opds = sorted((i for i in items if i.view.opd_kode), key=lambda i: -i.late_by)
                others = [i for i in items if not i.view.opd_kode]
                teguran = users[user_id].peran == Peran.TIM_SAKIP.value and bool(opds)
                parts = messages.split(messages.render("digest", tz=self.tz, opds=opds, others=others, now=now,
                                                       teguran=teguran))
                markup = {"inline_keyboard": teguran_keyboard(opds[0].view.cycle_id)} if teguran else None
                for index, part in enumerate(parts):
                    payload = {"text": part, **({"reply_markup": markup} if markup and index == len(parts) - 1 else {})}
                    enqueue(s, now=now, chat_id=users[user_id].telegram_id, user_id=user_id,
                            kind="message", purpose="digest", payload=payload,
                            dedup_key=key if index == 0 else f"{key}:{index}")
                sent += 1
        return sent


def _heads(s: Session, opd: str | None) -> list[m.User]:
    return list(s.scalars(select(m.User).where(m.User.aktif, m.User.unreachable_at.is_(None),
                                               m.User.peran == Peran.KEPALA_OPD,
                                               m.User.opd_kode == opd)))


def _user_and_task(s: Session, telegram_id: int, task_id: int) -> tuple[m.User, m.Task]:
    from bot.services.errors import NotRegistered
    from bot.workflow import TaskNotFound

    user = s.scalar(select(m.User).where(m.User.telegram_id == telegram_id, m.User.aktif))
    if user is None:
        raise NotRegistered()
    row = s.get(m.Task, task_id)
    if row is None:
        raise TaskNotFound()
    return user, row
