"""Pure assessment of each SOP step of a cycle against its mutu baku, for the form
"Monitoring Pelaksanaan SOP" (PermenPANRB 35/2012).

A step "berjalan dengan baik" when no task of it ran past its deadline (the mutu baku counted in
working time), nothing was escalated to a superior and no Perangkat Daerah was left unfinished
when the verification window closed. Loops through "Tidak" are reported, not judged: returning a
draft is the SOP working as intended.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from statistics import median

from bot.reports.model import StepAssessment, TaskRecord
from bot.sop.definition import SopDefinition, StepDefinition

RETURN_OUTCOMES = frozenset({"returned", "tidak_sesuai"})


def assess(sop: SopDefinition, tasks: Sequence[TaskRecord], escalations: Mapping[int, int],
           total_opd: int, now: datetime) -> tuple[StepAssessment, ...]:
    """One assessment per step of `sop`; `escalations` counts escalation events per step."""
    by_step: dict[int, list[TaskRecord]] = {}
    for task in tasks:
        by_step.setdefault(task.step, []).append(task)
    return tuple(_assess_step(step, sop.roles.get(step.pelaksana.value, step.pelaksana.label),
                              by_step.get(step.no, []), escalations.get(step.no, 0), total_opd, now)
                 for step in sop.steps)


def _assess_step(step: StepDefinition, pelaksana: str, tasks: list[TaskRecord], escalations: int, total_opd: int,
                 now: datetime) -> StepAssessment:
    base = dict(no=step.no, kegiatan=step.kegiatan, pelaksana=pelaksana, waktu_text=step.waktu_text,
                has_deadline=step.waktu is not None, per_opd=step.fan_out,
                total_opd=total_opd if step.fan_out else 0)
    if not tasks:
        return StepAssessment(penilaian="belum", **base)  # type: ignore[arg-type]
    # A fanned-out step is measured on its per-OPD tasks once they exist.
    per_opd = [t for t in tasks if t.opd is not None]
    measured = per_opd if step.fan_out and per_opd else tasks
    durations = [t.completed_at - t.started_at for t in measured
                 if t.status == "done" and t.completed_at is not None]
    late = sum(1 for t in tasks if t.due_at and t.completed_at and t.completed_at > t.due_at
               and t.status == "done")
    open_late = sum(1 for t in tasks if t.status == "open" and t.due_at and t.due_at < now)
    cancelled = sum(1 for t in measured if t.status == "cancelled")
    still_open = sum(1 for t in measured if t.status == "open")
    returns = sum(1 for t in tasks if t.outcome in RETURN_OUTCOMES)
    bad = late or open_late or escalations or cancelled
    return StepAssessment(
        penilaian="tidak_baik" if bad else "baik",
        executions=len(measured),
        done=sum(1 for t in measured if t.status == "done"),
        open=still_open,
        cancelled=cancelled,
        median=_median(durations),
        longest=max(durations) if durations else None,
        late=late,
        open_late=open_late,
        returns=returns,
        return_to=step.branches.get("tidak", step.branches.get("tidak_sesuai")) if returns else None,
        escalations=escalations,
        actors=_distinct(t.actor for t in tasks if t.actor),
        started_at=min(t.started_at for t in tasks),
        finished_at=None if still_open else max((t.completed_at for t in tasks if t.completed_at), default=None),
        **base,  # type: ignore[arg-type]
    )


def _median(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    return timedelta(seconds=round(median(v.total_seconds() for v in values)))


def _distinct(names: object) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for name in names:  # type: ignore[attr-defined]
        seen.setdefault(name, None)
    return tuple(seen)
