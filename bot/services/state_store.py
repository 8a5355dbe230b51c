"""Load a cycle's engine state from its rows, and write a new state back."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Row, bindparam, select, update
from sqlalchemy.orm import Session

from bot.roles import Peran
from bot.storage import models as m
from bot.workflow import CycleState, CycleStatus, OpdProgress, OpdStatus, Task, TaskClosed, TaskStatus


_LOCK_CYCLE = select(m.Cycle).where(m.Cycle.id == bindparam("id")).with_for_update()  # built once: every press


def lock_cycle(session: Session, cycle_id: int) -> m.Cycle | None:
    """The cycle row, locked for the rest of the unit of work (serialises actions on a cycle)."""
    return session.scalars(_LOCK_CYCLE, {"id": cycle_id}).one_or_none()



#: The columns the engine state is read from: plain rows, not ORM objects (a cycle of 40 OPDs
#: has 150+ tasks, and a press needs them all but writes one or two; docs/BENCHMARKS.md).
TASK_COLUMNS = (m.Task.id, m.Task.seq, m.Task.step, m.Task.role, m.Task.opd_kode, m.Task.started_at, m.Task.due_at,
                m.Task.status, m.Task.instruction, m.Task.outcome, m.Task.note, m.Task.claimed_by,
                m.Task.completed_at, m.Task.origin, m.Task.origin_by)
OPD_COLUMNS = (m.CycleOpd.opd_kode, m.CycleOpd.status, m.CycleOpd.received_at, m.CycleOpd.received_by,
               m.CycleOpd.submitted_at, m.CycleOpd.verified_at, m.CycleOpd.verified_by, m.CycleOpd.returns,
               m.CycleOpd.last_note)
_STATE_TASKS = select(*TASK_COLUMNS).where(m.Task.cycle_id == bindparam("cycle")).order_by(m.Task.seq)
_STATE_OPDS = select(*OPD_COLUMNS).where(m.CycleOpd.cycle_id == bindparam("cycle")).order_by(m.CycleOpd.urutan)


def load_state(session: Session, cycle: m.Cycle) -> tuple[CycleState, dict[int, int]]:
    """The engine state and a map from task seq to task row id."""
    rows = session.execute(_STATE_TASKS, {"cycle": cycle.id}).all()
    opds = session.execute(_STATE_OPDS, {"cycle": cycle.id}).all()
    state = CycleState(
        sop_name=cycle.sop_name,
        sop_version=cycle.sop_version,
        tahun=cycle.tahun,
        opened_at=cycle.opened_at,
        opened_by=cycle.opened_by,
        status=CycleStatus(cycle.status),
        tasks=tuple(task_from_row(r) for r in rows),
        opds=tuple(_progress(p) for p in opds),
        letter=dict(cycle.letter or {}),
        letter_deadline=cycle.letter_deadline,
        window_closes_at=cycle.window_closes_at,
        closed_at=cycle.closed_at,
    )
    return state, {r.seq: r.id for r in rows}


def task_from_row(row: m.Task | Row[Any]) -> Task:
    return Task(
        seq=row.seq, step=row.step, role=row.role, opd=row.opd_kode,
        started_at=row.started_at, due_at=row.due_at, status=TaskStatus(row.status),
        instruction=row.instruction, outcome=row.outcome, note=row.note,
        actor_id=row.claimed_by, completed_at=row.completed_at, origin=row.origin, origin_by=row.origin_by,
    )


def _progress(row: Row[Any]) -> OpdProgress:
    return OpdProgress(
        kode=row.opd_kode, status=OpdStatus(row.status), received_at=row.received_at,
        received_by=row.received_by, submitted_at=row.submitted_at, verified_at=row.verified_at,
        verified_by=row.verified_by, returns=row.returns, last_note=row.last_note,
    )


def save_state(
    session: Session, cycle: m.Cycle, old: CycleState | None, new: CycleState, ids: dict[int, int]
) -> dict[int, int]:
    """Write what changed; returns the seq → row id map including new tasks.

    A task is closed with `WHERE status = 'open'`, so even without the cycle lock two closers
    of one task cannot both win: the loser gets TaskClosed.
    """
    cycle.status = new.status
    cycle.letter = dict(new.letter)
    cycle.letter_deadline = new.letter_deadline
    cycle.window_closes_at = new.window_closes_at
    cycle.closed_at = new.closed_at
    before = {t.seq: t for t in old.tasks} if old else {}
    added: list[m.Task] = []
    for task in new.tasks:
        previous = before.get(task.seq)
        if previous is None:
            added.append(m.Task(cycle_id=cycle.id, seq=task.seq, step=task.step, role=task.role,
                                opd_kode=task.opd, status=task.status, started_at=task.started_at,
                                due_at=task.due_at, instruction=task.instruction, origin=task.origin,
                                origin_by=task.origin_by,
                                next_alert_at=task.started_at if task.due_at else None))
        elif previous != task:
            result = cast(CursorResult[Any], session.execute(
                update(m.Task)
                .where(m.Task.id == ids[task.seq], m.Task.status == TaskStatus.OPEN)
                .values(status=task.status, outcome=task.outcome, note=task.note,
                        claimed_by=task.actor_id, completed_at=task.completed_at,
                        next_alert_at=None)
                .execution_options(synchronize_session="evaluate")
            ))
            if result.rowcount != 1:
                raise TaskClosed(task.seq, None)
    if added:  # one INSERT for the 40 receipt tasks of a distribution, not one flush each
        session.add_all(added)
        session.flush(added)
        ids.update((row.seq, row.id) for row in added)
    _save_progress(session, cycle, old, new)
    session.flush()
    return ids


def _save_progress(session: Session, cycle: m.Cycle, old: CycleState | None, new: CycleState) -> None:
    before = {p.kode: p for p in old.opds} if old else {}
    changed = [(index, p) for index, p in enumerate(new.opds) if before.get(p.kode) != p]
    if not changed:
        return
    rows = {r.opd_kode: r for r in session.scalars(select(m.CycleOpd).where(
        m.CycleOpd.cycle_id == cycle.id, m.CycleOpd.opd_kode.in_([p.kode for _, p in changed])))}
    for index, progress in changed:
        row = rows.get(progress.kode)
        if row is None:
            row = m.CycleOpd(cycle_id=cycle.id, opd_kode=progress.kode, urutan=index)
            session.add(row)
        row.status = progress.status
        row.received_at = progress.received_at
        row.received_by = progress.received_by
        row.submitted_at = progress.submitted_at
        row.verified_at = progress.verified_at
        row.verified_by = progress.verified_by
        row.returns = progress.returns
        row.last_note = progress.last_note
