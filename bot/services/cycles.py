"""Use-cases of a cycle: start it, act on a task, close the verification window, read tasks.

Each use-case is one unit of work: the state change, its audit record and its outbox rows
commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import formatting
from bot.clock import Clock
from bot.roles import Peran
from bot.services import audit, checklist_store
from bot.services import tahun as years
from bot.services.acting import actor_for, actor_label, acting_roles, capacity, visible_tasks
from bot.services.errors import Conflict, NotFound, NotRegistered
from bot.services.notifier import Notifier
from bot.services.sops import SopCatalog
from bot.services.state_store import load_state, lock_cycle, save_state, task_from_row as view_task
from bot.services.views import TaskView, attachment_of, build_view
from bot.sop.definition import SopDefinition
from bot.storage import Database, get_row, RowMissing
from bot.storage import models as m
from bot.workflow import (ActionKind, Actor, CycleStatus, DocumentDue, OpdStatus, TaskClosed, TaskNotFound, TaskStatus,
                          Transition, Workflow)

#: Renders or records one document the engine said is due (DocumentDue), inside the unit of
#: work after the engine acted and before notifications are written (so that the distribution
#: can attach the signed letter). Keyed by DocumentDue.kind.
Producer = Callable[[Session, m.Cycle, m.User | None, DocumentDue, Transition, Mapping[str, object], datetime],
                    None]
Hook = Producer  # the former name

# The queries every /tugas and press runs, built once: building a select and its cache key cost
# about as much CPU as running it on SQLite (docs/BENCHMARKS.md, "2026-12-02 (session 5)").
_USER = select(m.User).where(m.User.telegram_id == bindparam("tg"), m.User.aktif)
_OPEN = select(m.Task).where(m.Task.status == TaskStatus.OPEN).order_by(m.Task.due_at, m.Task.id)
_OPEN_OF_OPD = _OPEN.where(m.Task.role.in_([Peran.OPD, Peran.KEPALA_OPD]),
                           m.Task.opd_kode == bindparam("opd"))
_OPEN_OF_ROLES = _OPEN.where(m.Task.role.in_(bindparam("roles", expanding=True)))
_CYCLES = select(m.Cycle).where(m.Cycle.id.in_(bindparam("ids", expanding=True)))


@dataclass(frozen=True)
class ActResult:
    task: TaskView  # the task acted on, after the action (the tasks it opened are in the outbox)


class Cycles:
    def __init__(self, db: Database, clock: Clock, catalog: SopCatalog,
                 notifier: Notifier, producers: Mapping[str, Producer] | None = None) -> None:
        self.db = db
        self.clock = clock
        self.catalog = catalog
        self.sop = catalog.primary.sop  # the primary SOP (the first file)
        self.workflow = catalog.primary
        self.tz = catalog.calendar.tz  # the deployment's zone
        self.notifier = notifier
        self.producers = dict(producers or {})

    # -- use-cases --------------------------------------------------------------------------

    def start(self, telegram_id: int, tahun: int | None = None, sop: str | None = None) -> TaskView:
        """Start a cycle of the SOP named `sop` (the primary when None), pinned to its text."""
        now = self.clock.now()
        workflow = self.catalog.current(sop)
        definition = workflow.sop
        if not reports_yearly(definition):  # one letter per cycle (surat masuk): the calendar year
            tahun = years.year(now, self.tz)
        else:  # the tahun kinerja, checked here too (a forged or stale button)
            tahun = years.check(tahun, now, self.tz) if tahun is not None else years.default_tahun(now, self.tz)
        with self.db.transaction() as s:
            user = _user(s, telegram_id)
            existing = s.scalar(select(m.Cycle).where(m.Cycle.sop_name == definition.name,
                                                      m.Cycle.tahun == tahun, m.Cycle.status == CycleStatus.OPEN))
            if existing is not None:
                raise Conflict("cycle.running_since", title=definition.title, tahun=tahun,
                               since=formatting.tanggal_jam(existing.opened_at, self.tz))
            opds = list(s.scalars(select(m.PerangkatDaerah.kode).where(m.PerangkatDaerah.aktif)
                                  .order_by(m.PerangkatDaerah.id)))
            t = workflow.start(tahun, opds, _actor(user), now)
            digest = self.catalog.pin(s, definition, now)
            cycle = m.Cycle(sop_name=definition.name, sop_version=definition.version, sop_digest=digest,
                            tahun=tahun, status=t.state.status, opened_at=now, opened_by=user.id,
                            letter={})
            s.add(cycle)
            try:
                s.flush()
            except IntegrityError:
                raise Conflict("cycle.running", title=definition.title, tahun=tahun) from None
            ids = save_state(s, cycle, None, t.state, {})
            audit.record(s, at=now, action="cycle_start", entity="cycle", entity_id=cycle.id,
                         actor_id=user.id, actor_label=user.nama, cycle_id=cycle.id,
                         after={"tahun": tahun, "opd": opds})
            self.notifier.apply(s, cycle, t.effects, ids, user, now, workflow)
            return build_view(s, definition, workflow, cycle, get_row(s, m.Task, ids[1]))

    def act(self, telegram_id: int, task_id: int, action: ActionKind, note: str | None = None,
            payload: Mapping[str, object] | None = None) -> ActResult:
        now = self.clock.now()
        with self.db.transaction() as s:
            user, row = _user_and_task(s, telegram_id, task_id)
            actor = self._refuse_if_done(s, user, row, now)
            cycle = lock_cycle(s, row.cycle_id)
            if cycle is None:  # the task's own cycle (a foreign key)
                raise RowMissing(f"Cycle {row.cycle_id} does not exist")
            workflow = self.catalog.workflow(s, cycle)
            state, ids = load_state(s, cycle)
            try:
                t = workflow.act(state, row.seq, action, actor, now, note, payload)
                ids = save_state(s, cycle, state, t.state, ids)
            except TaskClosed:
                s.refresh(row)
                raise _already_done(s, row, self.tz) from None
            checklist_store.record(s, workflow.sop, row, action, payload or {}, user.id, now)
            self._produce(s, cycle, user, t, payload or {}, now)
            audit.record(s, at=now, action=f"task_{action.value}", entity="task", entity_id=row.id,
                         actor_id=user.id, actor_label=actor_label(s, user, actor, now, self.tz), cycle_id=cycle.id,
                         before={"task": state.task(row.seq), "opd": state.opd(row.opd_kode or "")},
                         after={"task": t.state.task(row.seq), "opd": t.state.opd(row.opd_kode or ""),
                                "payload": {k: v for k, v in (payload or {}).items()
                                            if k != "batas_waktu_at"}})
            self.notifier.apply(s, cycle, t.effects, ids, user, now, workflow)
            s.flush()
            s.refresh(row)
            return ActResult(build_view(s, workflow.sop, workflow, cycle, row))

    def refuse_if_done(self, telegram_id: int, task_id: int) -> None:
        """What `act` would answer a stale or repeated press, read without the write lock (most
        presses of an old button are); nothing when the task is still open to this user."""
        with self.db.transaction(write=False) as s:
            user, row = _user_and_task(s, telegram_id, task_id)
            self._refuse_if_done(s, user, row, self.clock.now())

    def _refuse_if_done(self, s: Session, user: m.User, row: m.Task, now: datetime) -> Actor:
        """The Actor for `user` on `row` (in the task's role while acting for it: Plh./Plt.);
        a press on a task no longer open is refused, saying by whom and when it was done."""
        actor = actor_for(s, user, row, now, self.tz)
        if row.status != TaskStatus.OPEN:
            self.workflow.authorize(view_task(row), actor)
            raise _already_done(s, row, self.tz)
        return actor

    def close_due_windows(self) -> list[int]:
        """Close every step-10 window that has ended; returns the cycles closed (for the sweep)."""
        now = self.clock.now()
        closed = []
        with self.db.transaction(write=False) as s:
            candidates = list(s.scalars(select(m.Cycle.id).where(
                m.Cycle.status == CycleStatus.OPEN, m.Cycle.window_closes_at <= now)))
        for cycle_id in candidates:
            with self.db.transaction() as s:
                cycle = lock_cycle(s, cycle_id)
                if cycle is None or cycle.status != CycleStatus.OPEN:
                    continue
                workflow = self.catalog.workflow(s, cycle)
                state, ids = load_state(s, cycle)
                if workflow.recap_opened(state):
                    continue
                t = workflow.close_window(state, now)
                ids = save_state(s, cycle, state, t.state, ids)
                audit.record(s, at=now, action="window_close", entity="cycle", entity_id=cycle.id,
                             cycle_id=cycle.id,
                             after={"tidak_selesai": [p.kode for p in t.state.opds
                                                      if p.status is OpdStatus.TIDAK_SELESAI]})
                self._produce(s, cycle, None, t, {}, now)
                self.notifier.apply(s, cycle, t.effects, ids, None, now, workflow)
                closed.append(cycle_id)
        return closed

    def _produce(self, s: Session, cycle: m.Cycle, user: m.User | None, t: Transition,
                 payload: Mapping[str, object], now: datetime) -> None:
        for effect in t.effects:
            if isinstance(effect, DocumentDue):
                producer = self.producers.get(effect.kind)
                if producer is None:
                    raise LookupError(f"no producer for the document {effect.kind!r}")
                producer(s, cycle, user, effect, t, payload, now)

    def check_starter(self, telegram_id: int, sop: str | None = None) -> None:
        """Raise the engine's refusal unless this user may start a cycle of `sop` (before /mulai
        asks anything)."""
        with self.db.transaction(write=False) as s:
            self.catalog.current(sop).authorize_start(_actor(_user(s, telegram_id)))

    # -- queries ----------------------------------------------------------------------------

    def task(self, telegram_id: int, task_id: int) -> TaskView:
        """A task as its assignee (or any official) may see it."""
        with self.db.transaction(write=False) as s:
            user, row = _user_and_task(s, telegram_id, task_id)
            if user.peran in (Peran.OPD, Peran.KEPALA_OPD) and row.opd_kode != user.opd_kode:
                raise TaskNotFound()
            return self._view(s, get_row(s, m.Cycle, row.cycle_id), row)

    def own_task(self, telegram_id: int, task_id: int) -> TaskView:
        """The task, open or done, if its role (and OPD) is this user's; else a DomainError (a
        button of someone else's task never shows that task to the presser)."""
        with self.db.transaction(write=False) as s:
            user, row = _user_and_task(s, telegram_id, task_id)
            self.workflow.authorize(view_task(row), actor_for(s, user, row, self.clock.now(), self.tz))
            return self._view(s, get_row(s, m.Cycle, row.cycle_id), row)

    def require_actionable(self, telegram_id: int, task_id: int) -> TaskView:
        """The task, if this user may act on it now; otherwise the reason, as a DomainError."""
        with self.db.transaction(write=False) as s:
            user, row = _user_and_task(s, telegram_id, task_id)
            cycle = get_row(s, m.Cycle, row.cycle_id)
            view = self._view(s, cycle, row)
            self.workflow.authorize(view_task(row), actor_for(s, user, row, self.clock.now(), self.tz))
            if not view.is_open:
                raise _already_done(s, row, self.tz)
            return view

    def open_tasks_for(self, telegram_id: int) -> list[TaskView]:
        with self.db.transaction(write=False) as s:
            user = _user(s, telegram_id)
            role = user.peran
            if role in (Peran.OPD, Peran.KEPALA_OPD):
                found = s.scalars(_OPEN_OF_OPD, {"opd": user.opd_kode}).all()
            else:
                roles = [role.value, *acting_roles(s, user, self.clock.now(), self.tz)]
                found = s.scalars(_OPEN_OF_ROLES, {"roles": roles}).all()
            rows = visible_tasks(s, user, found)
            cycles = {c.id: c for c in s.scalars(_CYCLES, {"ids": list({r.cycle_id for r in rows})})} if rows else {}
            return [self._view(s, cycles[r.cycle_id], r, with_attachment=True) for r in rows]

    def _view(self, s: Session, cycle: m.Cycle, row: m.Task, with_attachment: bool = False) -> TaskView:
        workflow = self.catalog.workflow(s, cycle)
        view = build_view(s, workflow.sop, workflow, cycle, row)
        return attachment_of(s, workflow.sop, view) if with_attachment and view.is_open else view


def reports_yearly(definition: SopDefinition) -> bool:
    """Whether a cycle of this SOP reports on a tahun kinerja (it has per-OPD steps); the other
    SOPs (one letter per cycle) run in the calendar year."""
    return any(step.fan_out for step in definition.steps)


def _user(s: Session, telegram_id: int) -> m.User:
    user = s.scalar(_USER, {"tg": telegram_id})
    if user is None:
        raise NotRegistered()
    return user


def _user_and_task(s: Session, telegram_id: int, task_id: int) -> tuple[m.User, m.Task]:
    """The registered user and the task they ask about (NotRegistered, TaskNotFound)."""
    user = _user(s, telegram_id)
    row = s.get(m.Task, task_id)
    if row is None:
        raise TaskNotFound()
    return user, row


def _actor(user: m.User) -> Actor:
    return Actor(user.id, user.peran, user.opd_kode)


def _already_done(s: Session, row: m.Task, tz: tzinfo) -> Conflict:
    """The refusal of a press on a task already processed: by whom (in which capacity) and when."""
    who = s.get(m.User, row.claimed_by) if row.claimed_by else None
    if who is None or row.completed_at is None:
        return Conflict("cycle.task_void")
    selaku = capacity(s, who, row.role, row.completed_at, tz)
    at = formatting.tanggal_jam(row.completed_at, tz)
    if selaku:
        return Conflict("cycle.task_done_acting", nama=who.nama, selaku=selaku, at=at)
    return Conflict("cycle.task_done", nama=who.nama, peran=who.peran.label, at=at)


__all__ = ["ActResult", "Cycles", "NotFound"]
