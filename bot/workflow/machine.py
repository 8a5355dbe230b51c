"""The cycle state machine: (state, action, actor, now) -> (new state, effects). No I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.roles import Peran
from bot.sop.definition import SopDefinition, StepDefinition, StepKind
from bot.working_calendar import DeadlineCalendar
from bot.workflow import access
from bot.workflow.actions import ActionKind, ActionNotAllowed, Actor, CycleNotOpen, DomainError
from bot.workflow.actions import FileRequired, InvalidPayload, NoteRequired, TaskClosed, TaskNotFound
from bot.workflow import checklist
from bot.workflow.effects import CycleClosed, DocumentDue, Effect, TaskFinished, TaskOpened, WindowClosed
from bot.workflow.kinds import KINDS, ActionSpec, KindSpec, Need
from bot.workflow.state import CycleState, CycleStatus, OpdProgress, OpdStatus, Outcome, Task, TaskStatus

#: Fields the drafting step must receive for the letter (the nomor may be given at signing).
LETTER_FIELDS = ("tanggal", "batas_waktu_pengisian", "hal")


@dataclass(frozen=True)
class Transition:
    state: CycleState
    effects: tuple[Effect, ...]


class Workflow:
    """Runs one SOP definition; deadlines come from the injected (pure) calendar."""

    def __init__(self, sop: SopDefinition, calendar: DeadlineCalendar) -> None:
        self.sop = sop
        self.calendar = calendar

    # -- queries ---------------------------------------------------------------------------

    def allowed_actions(self, task: Task) -> tuple[ActionKind, ...]:
        if not task.is_open:
            return ()
        return self.spec_of(task).action_kinds

    def spec_of(self, task: Task) -> KindSpec:
        """What the task's kind offers (a per-OPD receipt task of a distribution differs)."""
        spec = KINDS[self.sop.step(task.step).kind]
        return spec.receipt if spec.receipt is not None and task.opd is not None else spec

    def can_act(self, task: Task, actor: Actor) -> bool:
        try:
            self.authorize(task, actor)
        except DomainError:
            return False
        return task.is_open

    # -- transitions -----------------------------------------------------------------------

    def authorize_start(self, actor: Actor) -> None:
        """Raise NotYourTask unless the actor may start a cycle of this SOP."""
        access.authorize_start(self.sop.starters or access.STARTERS, actor)

    def start(self, tahun: int, opds: Sequence[str], actor: Actor, now: datetime) -> Transition:
        self.authorize_start(actor)
        if not any(step.fan_out for step in self.sop.steps):
            opds = ()  # nothing in this SOP is done per Perangkat Daerah
        elif not opds:
            raise InvalidPayload("workflow.no_opd")
        if len(set(opds)) != len(opds):
            raise InvalidPayload("workflow.duplicate_opd")
        state = CycleState(
            sop_name=self.sop.name,
            sop_version=self.sop.version,
            tahun=tahun,
            opened_at=now,
            opened_by=actor.user_id,
            opds=tuple(OpdProgress(kode=k) for k in opds),
        )
        return self._open(state, self.sop.first, now, opd=None, instruction=None)

    def act(
        self,
        state: CycleState,
        seq: int,
        action: ActionKind,
        actor: Actor,
        now: datetime,
        note: str | None = None,
        payload: Mapping[str, object] | None = None,
    ) -> Transition:
        if state.status is not CycleStatus.OPEN:
            raise CycleNotOpen()
        task = state.task(seq)
        if task is None:
            raise TaskNotFound()
        self.authorize(task, actor)
        if not task.is_open:
            raise TaskClosed(task.seq, task.actor_id)
        spec = self.spec_of(task)
        if action not in spec.action_kinds:
            raise ActionNotAllowed("workflow.action_not_on_step", step=task.step)
        what = spec.action(action)
        note = note.strip() if note and note.strip() else None
        payload = payload or {}
        note = checklist.settle(self._step(task).checklist, action, note, payload)
        if what.note is Need.REQUIRED and note is None:
            raise NoteRequired()
        if what.file is Need.REQUIRED and not payload.get("attachment"):
            raise FileRequired()
        if what.letter:
            state = self._take_letter(state, payload, now)
        if what.fans_out:
            return self._fan_out(state, task, what, actor, now, note)
        if what.opd_status is not None and task.opd is not None:
            state = self._reach(state, task.opd, what.opd_status, actor, now, note)
        target = self._target(task, what)
        if what.join and task.opd is not None:
            state, finished = self._finish(state, task, actor, now, what.outcome, note)
            effects: list[Effect] = [finished, *self._documents(what, finished.task, None)]
            if all(p.status is what.opd_status for p in state.opds) and target is not None:
                opened = self._open(state, target, now, None, None)
                return Transition(opened.state, (*effects, *opened.effects))
            return Transition(state, tuple(effects))
        return self._advance(state, task, what, actor, now, note, target)

    def close_window(self, state: CycleState, now: datetime) -> Transition:
        """Close the step-10 window: unfinished OPDs are marked, the recap step opens."""
        if state.status is not CycleStatus.OPEN:
            raise CycleNotOpen()
        if state.window_closes_at is None:
            raise ActionNotAllowed("workflow.window_not_started")
        if now < state.window_closes_at:
            raise ActionNotAllowed("workflow.window_still_open")
        if self.recap_opened(state):
            raise ActionNotAllowed("workflow.recap_already_open")
        effects: list[Effect] = []
        tasks = list(state.tasks)
        for i, task in enumerate(tasks):
            if task.is_open and task.opd is not None:
                tasks[i] = replace(task, status=TaskStatus.CANCELLED, outcome=Outcome.WINDOW_CLOSED,
                                   completed_at=now)
                effects.append(TaskFinished(tasks[i]))
        unfinished = tuple(p.kode for p in state.opds if p.status is not OpdStatus.TERVERIFIKASI)
        opds = tuple(
            p if p.status is OpdStatus.TERVERIFIKASI else replace(p, status=OpdStatus.TIDAK_SELESAI)
            for p in state.opds
        )
        state = replace(state, tasks=tuple(tasks), opds=opds)
        effects.append(WindowClosed(unfinished))
        verification = self.sop.step_of_kind(StepKind.VERIFICATION)
        opened = self._open(state, self.sop.step(verification.branches["sesuai"]), now, None, None)
        return Transition(opened.state, tuple(effects) + opened.effects)

    # -- what an action does, read from its ActionSpec ---------------------------------------

    def _take_letter(self, state: CycleState, payload: Mapping[str, object], now: datetime) -> CycleState:
        missing = [f for f in LETTER_FIELDS if not payload.get(f)]
        if missing:
            raise InvalidPayload("workflow.letter_incomplete", missing=missing)
        deadline = payload.get("batas_waktu_at")
        if deadline is not None and (not isinstance(deadline, datetime) or deadline <= now):
            raise InvalidPayload("workflow.deadline_not_after_today")
        letter = {k: v for k, v in payload.items() if k not in ("batas_waktu_at", "attachment")}
        return replace(state, letter=letter, letter_deadline=deadline)

    def _fan_out(self, state: CycleState, task: Task, what: ActionSpec, actor: Actor, now: datetime,
                 note: str | None) -> Transition:
        """One press opens the step's per-OPD task for every Perangkat Daerah; the verification
        window (when the SOP has a verification step) starts now."""
        step = self._step(task)
        window = (self.window_closes(now, state.letter_deadline)
                  if self.sop.has_kind(StepKind.VERIFICATION) else None)
        state, finished = self._finish(state, task, actor, now, what.outcome, note)
        state = replace(
            state,
            window_closes_at=window,
            opds=tuple(replace(p, status=OpdStatus.BELUM_MENERIMA) for p in state.opds),
        )
        effects: list[Effect] = [finished, *self._documents(what, finished.task, None)]
        for progress in state.opds:
            opened = self._open(state, step, now, progress.kode, None, role=step.receipt_by or Peran.OPD)
            state = opened.state
            effects.extend(opened.effects)
        return Transition(state, tuple(effects))

    def _reach(self, state: CycleState, kode: str, status: OpdStatus, actor: Actor, now: datetime,
               note: str | None) -> CycleState:
        """The Perangkat Daerah reaches `status`; what it did is recorded with it."""
        progress = state.opd(kode)
        changes: dict[str, Any] = {"status": status}
        if status is OpdStatus.MENGISI:
            changes.update(received_at=now, received_by=actor.user_id)
        elif status is OpdStatus.MENUNGGU_VERIFIKASI:
            changes.update(submitted_at=now)
        elif status is OpdStatus.TERVERIFIKASI:
            changes.update(verified_at=now, verified_by=actor.user_id)
        elif status is OpdStatus.DIKEMBALIKAN:
            changes.update(returns=(progress.returns if progress else 0) + 1, last_note=note,
                           verified_by=actor.user_id)
        return self._update_opd(state, kode, **changes)

    def _target(self, task: Task, what: ActionSpec) -> StepDefinition | None:
        step = self._step(task)
        if what.to is not None:
            return self.sop.step(step.branches[what.to])
        return self.sop.step(step.next) if step.next is not None else None

    @staticmethod
    def _documents(what: ActionSpec, done: Task, opened: Task | None) -> tuple[DocumentDue, ...]:
        return tuple(DocumentDue(kind, done, opened) for kind in what.documents)

    # -- building blocks -------------------------------------------------------------------

    def authorize(self, task: Task, actor: Actor) -> None:
        """Raise NotYourTask unless the actor's role (and OPD) is the task's."""
        access.authorize(task, actor)

    def _step(self, task: Task) -> StepDefinition:
        return self.sop.step(task.step)

    def recap_opened(self, state: CycleState) -> bool:
        """Whether the step after the verification window (the recap) has opened; an SOP
        without a verification step has no window and nothing to wait for."""
        if not self.sop.has_kind(StepKind.VERIFICATION):
            return False
        recap = self.sop.step_of_kind(StepKind.VERIFICATION).branches["sesuai"]
        return any(t.step == recap for t in state.tasks)

    def window_closes(self, distributed_at: datetime, letter_deadline: datetime | None) -> datetime | None:
        """When the verification window closes, for a letter distributed at `distributed_at`.

        The rule: never before the end of the letter's batas waktu pengisian (an OPD reporting on
        its last day is still verified, not "tidak selesai"). With `window_from_letter` the
        verification step's `waktu` is counted from that batas waktu; without it, from the
        distribution, and the batas waktu is the floor. No batas waktu: from the distribution."""
        step = self.sop.step_of_kind(StepKind.VERIFICATION)
        deadline = letter_deadline if letter_deadline is not None and letter_deadline > distributed_at else None
        start = deadline if step.window_from_letter and deadline is not None else distributed_at
        window = self._due(start, step)
        if deadline is None:
            return window
        return deadline if window is None or window < deadline else window

    def _due(self, now: datetime, step: StepDefinition) -> datetime | None:
        return self.calendar.due(now, step.waktu) if step.waktu else None

    def _finish(self, state: CycleState, task: Task, actor: Actor, now: datetime, outcome: Outcome,
                note: str | None) -> tuple[CycleState, TaskFinished]:
        done = replace(task, status=TaskStatus.DONE, outcome=outcome, note=note,
                       actor_id=actor.user_id, completed_at=now)
        tasks = tuple(done if t.seq == task.seq else t for t in state.tasks)
        return replace(state, tasks=tasks), TaskFinished(done)

    def _advance(self, state: CycleState, task: Task, what: ActionSpec, actor: Actor, now: datetime,
                 note: str | None, target: StepDefinition | None) -> Transition:
        """Finish `task` and open `target` (for the same OPD when the target fans out); with no
        target (the last step), the cycle closes."""
        state, finished = self._finish(state, task, actor, now, what.outcome, note)
        if target is None:
            state = replace(state, status=CycleStatus.CLOSED, closed_at=now)
            return Transition(state, (finished, *self._documents(what, finished.task, None), CycleClosed()))
        opd = task.opd if target.fan_out else None
        given = note if what.instruction else None
        opened = self._open(state, target, now, opd, given,
                            origin=(what.outcome, actor.user_id) if given is not None else None)
        first = next(e.task for e in opened.effects if isinstance(e, TaskOpened))
        return Transition(opened.state, (finished, *opened.effects, *self._documents(what, finished.task, first)))

    def _open(self, state: CycleState, step: StepDefinition, now: datetime, opd: str | None, instruction: str | None,
              role: Peran | None = None,
              origin: tuple[Outcome, int] | None = None) -> Transition:
        due = self._due(now, step)
        spec = KINDS[step.kind]
        if step.due_from_letter and state.letter_deadline:
            due = state.letter_deadline
        elif spec.ends_at_window and state.window_closes_at:
            due = state.window_closes_at
        task = Task(seq=state.next_seq, step=step.no, role=role or step.pelaksana, opd=opd,
                    started_at=now, due_at=due, instruction=instruction,
                    origin=origin[0] if origin else None, origin_by=origin[1] if origin else None)
        effects: list[Effect] = [TaskOpened(task)]
        effects.extend(DocumentDue(kind, task) for kind in spec.on_open)
        return Transition(replace(state, tasks=state.tasks + (task,)), tuple(effects))

    @staticmethod
    def _update_opd(state: CycleState, kode: str | None, **changes: Any) -> CycleState:
        opds = tuple(replace(p, **changes) if p.kode == kode else p for p in state.opds)
        return replace(state, opds=opds)
