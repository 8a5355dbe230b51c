"""Pure assessment of each SOP step of a cycle against its mutu baku, for the form
"Monitoring Pelaksanaan SOP" (PermenPANRB 35/2012).

A step "berjalan dengan baik" when no task of it ran past its deadline (the mutu baku counted in
working time), nothing was escalated to a superior and no Perangkat Daerah was left unfinished
when the verification window closed. Loops through "Tidak" are reported, not judged: returning a
draft is the SOP working as intended.

A step whose deadline the letter sets (`due_from_letter`, step 9: the batas waktu pengisian) is
judged against that date, not the seed's waktu, and the assessment carries the date so that the
form can say so. A step done once per Perangkat Daerah counts Perangkat Daerah, not tasks (a
Perangkat Daerah returned and resubmitted has two tasks but finished once), and its pelaksana
are the people of the step's own role (not the operators who confirmed receipt at step 8).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from statistics import median

from bot.reports.model import StepAssessment, TaskRecord
from bot.sop.definition import SopDefinition, StepDefinition
from bot.workflow import Outcome, TaskStatus

RETURN_OUTCOMES = frozenset({Outcome.RETURNED, Outcome.TIDAK_SESUAI})


def assess(sop: SopDefinition, tasks: Sequence[TaskRecord], escalations: Mapping[int, int],
           total_opd: int, now: datetime, letter_deadline: datetime | None = None) -> tuple[StepAssessment, ...]:
    """One assessment per step of `sop`; `escalations` counts escalation events per step;
    `letter_deadline` is the batas waktu pengisian the letter set, if any."""
    by_step: dict[int, list[TaskRecord]] = {}
    for task in tasks:
        by_step.setdefault(task.step, []).append(task)
    return tuple(_assess_step(step, sop.roles.get(step.pelaksana.value, step.pelaksana.label),
                              by_step.get(step.no, []), escalations.get(step.no, 0), total_opd, now,
                              letter_deadline if step.due_from_letter else None)
                 for step in sop.steps)


def _assess_step(step: StepDefinition, pelaksana: str, tasks: list[TaskRecord], escalations: int, total_opd: int,
                 now: datetime, letter_deadline: datetime | None) -> StepAssessment:
    base = dict(no=step.no, kegiatan=step.kegiatan, pelaksana=pelaksana, waktu_text=step.waktu_text,
                has_deadline=step.waktu is not None or letter_deadline is not None, per_opd=step.fan_out,
                total_opd=total_opd if step.fan_out else 0, batas_surat=letter_deadline)
    if not tasks:
        return StepAssessment(penilaian="belum", **base)  # type: ignore[arg-type]
    # A fanned-out step is measured on its per-OPD tasks once they exist.
    per_opd = [t for t in tasks if t.opd is not None]
    measured = per_opd if step.fan_out and per_opd else tasks
    durations = [t.completed_at - t.started_at for t in measured
                 if t.status == TaskStatus.DONE and t.completed_at is not None]
    late = sum(1 for t in tasks if t.due_at and t.completed_at and t.completed_at > t.due_at
               and t.status == TaskStatus.DONE)
    fanned = step.fan_out and bool(per_opd)
    open_late = _count(measured, fanned, lambda t: t.status == TaskStatus.OPEN and t.due_at is not None
                       and t.due_at < now)
    cancelled = _count(measured, fanned, lambda t: t.status == TaskStatus.CANCELLED)
    still_open = _count(measured, fanned, lambda t: t.status == TaskStatus.OPEN)
    if fanned:
        done = sum(1 for t in _latest_per_opd(per_opd)
                   if t.status == TaskStatus.DONE and t.outcome not in RETURN_OUTCOMES)
    else:
        done = sum(1 for t in measured if t.status == TaskStatus.DONE)
    returns = sum(1 for t in tasks if t.outcome in RETURN_OUTCOMES)
    bad = late or open_late or escalations or cancelled
    return StepAssessment(
        penilaian="tidak_baik" if bad else "baik",
        executions=len(measured),
        done=done,
        open=still_open,
        cancelled=cancelled,
        median=_median(durations),
        longest=max(durations) if durations else None,
        late=late,
        open_late=open_late,
        returns=returns,
        return_to=step.branches.get("tidak", step.branches.get("tidak_sesuai")) if returns else None,
        escalations=escalations,
        actors=_distinct(t.actor for t in tasks if t.actor and t.role == step.pelaksana.value),
        started_at=min(t.started_at for t in tasks),
        finished_at=None if still_open else max((t.completed_at for t in tasks if t.completed_at), default=None),
        **base,  # type: ignore[arg-type]
    )


def _latest_per_opd(tasks: Sequence[TaskRecord]) -> list[TaskRecord]:
    """Each Perangkat Daerah's last task of the step (tasks come in the order they were opened)."""
    latest: dict[str, TaskRecord] = {}
    for task in tasks:
        if task.opd is not None:
            latest[task.opd] = task
    return list(latest.values())


def _count(tasks: Sequence[TaskRecord], per_opd: bool, test: Callable[[TaskRecord], bool]) -> int:
    """Tasks that pass `test`; for a step done per Perangkat Daerah, the Perangkat Daerah."""
    if per_opd:
        return len({t.opd for t in tasks if test(t)})
    return sum(1 for t in tasks if test(t))


def _median(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    return timedelta(seconds=round(median(v.total_seconds() for v in values)))


def _distinct(names: object) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for name in names:  # type: ignore[attr-defined]
        seen.setdefault(name, None)
    return tuple(seen)
