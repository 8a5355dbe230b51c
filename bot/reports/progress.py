"""Pure computations of the recap: deadlines and lateness per Perangkat Daerah, attention-first
ordering, the filters of /rekap and the totals."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.roles import Peran
from bot.reports.model import COUNT_ORDER, FILTERS, OpdLine, StatusCount, TaskRecord
from bot.workflow import OpdStatus, Outcome, TaskStatus

#: Among lines that are not late: who needs attention first.
ATTENTION_ORDER = (OpdStatus.BELUM_MENERIMA, OpdStatus.DIKEMBALIKAN, OpdStatus.MENGISI,
                   OpdStatus.TIDAK_SELESAI, OpdStatus.MENUNGGU_VERIFIKASI, OpdStatus.MENUNGGU_SURAT,
                   OpdStatus.TERVERIFIKASI)


def _lateness(task: TaskRecord) -> timedelta | None:
    if task.status != TaskStatus.DONE or task.due_at is None or task.completed_at is None or task.completed_at <= task.due_at:
        return None
    return task.completed_at - task.due_at


def _worst(values: Iterable[timedelta | None]) -> timedelta | None:
    found = [v for v in values if v is not None]
    return max(found) if found else None


def standing(tasks: Sequence[TaskRecord], receipt_step: int, submission_step: int,
             now: datetime) -> dict[str, Any]:
    """The progress fields of an OpdLine: the open task's deadline and how late the Perangkat
    Daerah is or was. Given as keywords, so the recap builds each line once (a copy of every
    line with `dataclasses.replace` was a tenth of a /rekap).

    `tasks` are this Perangkat Daerah's tasks in the order they were opened."""
    current = next((t for t in reversed(tasks) if t.status == TaskStatus.OPEN), None)
    late_by = remaining = None
    if current is not None and current.due_at is not None:
        if current.due_at < now:
            late_by = now - current.due_at
        else:
            remaining = current.due_at - now
    own = [t for t in tasks if t.role in (Peran.OPD, Peran.KEPALA_OPD)]
    reports = [t for t in own if t.step == submission_step]
    return dict(
        step=current.step if current else None,
        responsible=current.role if current else None,
        due_at=current.due_at if current else None,
        late_by=late_by, remaining=remaining,
        received_late_by=_worst(_lateness(t) for t in own if t.step == receipt_step),
        submitted_late_by=_worst(_lateness(t) for t in reports if t.outcome is Outcome.SUBMITTED),
        awaiting_submission=not reports or reports[-1].status != TaskStatus.DONE,
    )


def attention_key(line: OpdLine) -> tuple[int, float, int, int]:
    """Late work first (the latest first), then by how much the status needs someone."""
    if line.late_by is not None:
        return (0, -line.late_by.total_seconds(), 0, line.urutan)
    return (1, 0.0, ATTENTION_ORDER.index(line.status), line.urutan)


def order(lines: Iterable[OpdLine]) -> list[OpdLine]:
    return sorted(lines, key=attention_key)


def apply_filter(lines: Iterable[OpdLine], name: str | None) -> list[OpdLine]:
    """`belum`: not yet (validly) submitted; `terlambat`: late now or late at a past step."""
    if name is None:
        return list(lines)
    if name not in FILTERS:
        raise ValueError(f"unknown recap filter {name!r}")
    if name == "belum":
        return [line for line in lines if line.not_submitted]
    return [line for line in lines if line.is_late]


def counts(lines: Iterable[OpdLine]) -> tuple[StatusCount, ...]:
    statuses = [line.status for line in lines]
    return tuple(StatusCount(status, statuses.count(status)) for status in COUNT_ORDER)


def first_submissions(tasks: Iterable[TaskRecord], submission_step: int) -> tuple[datetime, ...]:
    """When each Perangkat Daerah first reported its filling (a resubmission is not counted)."""
    first: dict[str, datetime] = {}
    for t in tasks:
        if t.step == submission_step and t.outcome is Outcome.SUBMITTED and t.completed_at and t.opd:
            if t.opd not in first or t.completed_at < first[t.opd]:
                first[t.opd] = t.completed_at
    return tuple(sorted(first.values()))
