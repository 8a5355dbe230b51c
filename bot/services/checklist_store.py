"""The step-10 checklist in the database: a task's sheet (ticked so far, or final), the items a
returned Perangkat Daerah must fix, the results per OPD and the returns per item of a cycle.
Session-level functions, inside the caller's unit of work."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.reports.checklist import ChecklistRecap, ItemTally
from bot.reports.model import StepAssessment
from bot.sop.checklist import Checklist, ChecklistItem
from bot.sop.definition import SopDefinition, StepKind
from bot.storage import models as m
from bot.workflow import ActionKind
from bot.workflow import checklist as rules
from bot.workflow.checklist import ItemResult
from bot.workflow.state import TaskStatus

#: The outcome of a return at the verification step (the task a returned submission came from).
RETURNED = "tidak_sesuai"


@dataclass(frozen=True)
class SheetLine:
    no: int  # 1-based, as the message numbers it
    item: ChecklistItem
    result: ItemResult | None = None
    carried: bool = False  # found sesuai at the previous verification; not ticked again yet

    @property
    def mark(self) -> str | None:
        """"ok", "fail" or None (not checked yet)."""
        return None if self.result is None else ("ok" if self.result.ok else "fail")


@dataclass(frozen=True)
class Sheet:
    lines: tuple[SheetLine, ...]
    alasan: tuple[str, ...]

    @property
    def checked(self) -> int:
        return sum(1 for line in self.lines if line.result is not None)

    @property
    def complete(self) -> bool:
        return self.checked == len(self.lines)

    @property
    def failed(self) -> tuple[SheetLine, ...]:
        return tuple(line for line in self.lines if line.mark == "fail")

    @property
    def carried(self) -> bool:
        return any(line.carried for line in self.lines)

    def payload(self) -> list[dict[str, object]]:
        return [line.result.as_payload() for line in self.lines if line.result is not None]


def checklist_of(sop: SopDefinition, step_no: int) -> Checklist | None:
    step = sop.step(step_no)
    return step.checklist if step.kind is StepKind.VERIFICATION else None


def sheet_of(s: Session, sop: SopDefinition, row: m.Task) -> Sheet | None:
    """The task's sheet; an open task starts from what was sesuai at the OPD's last verification."""
    checklist = checklist_of(sop, row.step)
    if checklist is None or row.opd_kode is None:
        return None
    own = _results(s, row.id)
    carried: dict[str, ItemResult] = {}
    if row.status is TaskStatus.OPEN and len(own) < len(checklist.items):
        previous = _previous(s, row, row.step, None)
        carried = {k: r for k, r in _results(s, previous.id).items() if r.ok} if previous else {}
    lines = []
    for no, item in enumerate(checklist.items, start=1):
        result = own.get(item.kode)
        lines.append(SheetLine(no, item, result or carried.get(item.kode), result is None and item.kode in carried))
    return Sheet(tuple(lines), checklist.alasan)


def fixes_of(s: Session, sop: SopDefinition, row: m.Task) -> tuple[SheetLine, ...]:
    """For a submission task opened by a return: the items that failed, with their reasons."""
    if row.origin != RETURNED or row.opd_kode is None or not sop.has_kind(StepKind.VERIFICATION):
        return ()
    step = sop.step_of_kind(StepKind.VERIFICATION)
    if step.checklist is None:
        return ()
    source = _previous(s, row, step.no, RETURNED)
    sheet = sheet_of(s, sop, source) if source is not None else None
    return sheet.failed if sheet is not None else ()


def tick(s: Session, row: m.Task, result: ItemResult, user_id: int | None, now: datetime) -> None:
    found = s.scalar(select(m.VerificationItem).where(m.VerificationItem.task_id == row.id,
                                                      m.VerificationItem.kode == result.kode))
    if found is None:
        found = m.VerificationItem(cycle_id=row.cycle_id, task_id=row.id, opd_kode=row.opd_kode, kode=result.kode)
        s.add(found)
    found.ok, found.alasan, found.catatan = result.ok, result.alasan, result.catatan
    found.checked_by, found.checked_at = user_id, now
    s.flush()


def record(s: Session, sop: SopDefinition, row: m.Task, action: ActionKind, payload: Mapping[str, object],
           user_id: int, now: datetime) -> None:
    """Write the results an accepted verification carried (the engine checked them), final."""
    if row.opd_kode is None:
        return
    for result in rules.results(checklist_of(sop, row.step), action, payload):
        tick(s, row, result, user_id, now)


# Built once (the recap reads them on every /rekap).
_VERIFIED = (select(m.Task.id, m.Task.opd_kode)
             .where(m.Task.cycle_id == bindparam("cycle"), m.Task.status == "done", m.Task.step == bindparam("step"))
             .order_by(m.Task.seq))
_ITEMS_OF = select(m.VerificationItem).where(m.VerificationItem.task_id.in_(bindparam("ids", expanding=True)))
_FAILED_ITEMS = (select(m.VerificationItem.kode, m.PerangkatDaerah.nama)
                 .join(m.PerangkatDaerah, m.PerangkatDaerah.kode == m.VerificationItem.opd_kode)
                 .where(m.VerificationItem.task_id.in_(
                     select(m.Task.id).where(m.Task.cycle_id == bindparam("cycle"), m.Task.status == "done",
                                             m.Task.step == bindparam("step"), m.Task.outcome == RETURNED)),
                        m.VerificationItem.ok.is_(False))
                 .order_by(m.VerificationItem.id))


def results_by_opd(s: Session, sop: SopDefinition, cycle_id: int) -> dict[str, dict[str, ItemResult]]:
    """Per OPD, the results of its latest finished verification in the cycle."""
    latest: dict[str, int] = {}
    for task_id, kode in s.execute(_VERIFIED, {"cycle": cycle_id, "step": _step_no(sop)}):
        latest[kode] = task_id
    rows = s.scalars(_ITEMS_OF, {"ids": list(latest.values())}) if latest else ()
    found: dict[str, dict[str, ItemResult]] = {}
    for item in rows:
        found.setdefault(item.opd_kode, {})[item.kode] = _result(item)
    return found


def load_summary(s: Session, sop: SopDefinition, cycle_id: int) -> ChecklistRecap | None:
    """The recap's and the monitoring form's view of the checklist (None: the SOP has none)."""
    step = sop.step_of_kind(StepKind.VERIFICATION) if sop.has_kind(StepKind.VERIFICATION) else None
    if step is None or step.checklist is None:
        return None
    failed = s.execute(_FAILED_ITEMS, {"cycle": cycle_id, "step": step.no}).all()
    counts = Counter(kode for kode, _ in failed)
    tally = tuple(ItemTally(item, counts[item.kode], tuple(dict.fromkeys(n for k, n in failed if k == item.kode)))
                  for item in step.checklist.items)
    return ChecklistRecap(step.checklist.items, results_by_opd(s, sop, cycle_id), tally)


def with_item_returns(s: Session, sop: SopDefinition, cycle_id: int, steps: Sequence[StepAssessment]
                      ) -> tuple[tuple[StepAssessment, ...], ChecklistRecap | None]:
    """The monitoring rows (the verification step's with its returns per item) and the summary."""
    summary = load_summary(s, sop, cycle_id)
    if summary is None:
        return tuple(steps), None
    no = _step_no(sop)
    return tuple(replace(a, returns_per_item=summary.returned) if a.no == no else a for a in steps), summary


def _step_no(sop: SopDefinition) -> int:
    return sop.step_of_kind(StepKind.VERIFICATION).no if sop.has_kind(StepKind.VERIFICATION) else -1


def _previous(s: Session, row: m.Task, step: int, outcome: str | None) -> m.Task | None:
    query = select(m.Task).where(m.Task.cycle_id == row.cycle_id, m.Task.opd_kode == row.opd_kode,
                                 m.Task.step == step, m.Task.seq < row.seq, m.Task.status == "done")
    if outcome is not None:
        query = query.where(m.Task.outcome == outcome)
    return s.scalars(query.order_by(m.Task.seq.desc()).limit(1)).first()


def _results(s: Session, task_id: int) -> dict[str, ItemResult]:
    return {r.kode: _result(r) for r in s.scalars(select(m.VerificationItem).where(
        m.VerificationItem.task_id == task_id))}


def _result(row: m.VerificationItem) -> ItemResult:
    return ItemResult(row.kode, row.ok, row.alasan, row.catatan)


__all__ = ["Sheet", "SheetLine"]
