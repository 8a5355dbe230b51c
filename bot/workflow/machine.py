"""The cycle state machine: (state, action, actor, now) -> (new state, effects). No I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.roles import Peran
from bot.sop.definition import SopDefinition, StepDefinition, StepKind
from bot.working_calendar import DeadlineCalendar
from bot.workflow.actions import (
    NOTE_REQUIRED,
    ActionKind,
    ActionNotAllowed,
    Actor,
    CycleNotOpen,
    DomainError,
    InvalidPayload,
    NoteRequired,
    NotYourTask,
    TaskClosed,
    TaskNotFound,
)
from bot.workflow.effects import CycleClosed, Effect, TaskFinished, TaskOpened, WindowClosed
from bot.workflow.state import CycleState, CycleStatus, OpdProgress, OpdStatus, Task, TaskStatus

#: The actions each kind of step offers; a per-OPD receipt task of a distribution step differs.
_ACTIONS: dict[StepKind, tuple[ActionKind, ...]] = {
    StepKind.DISPOSITION: (ActionKind.FORWARD,),
    StepKind.DRAFTING: (ActionKind.SUBMIT_DRAFT,),
    StepKind.DECISION: (ActionKind.APPROVE, ActionKind.RETURN),
    StepKind.SIGNATURE: (ActionKind.SIGN,),
    StepKind.DISTRIBUTION: (ActionKind.DISTRIBUTE,),
    StepKind.SUBMISSION: (ActionKind.SUBMIT,),
    StepKind.VERIFICATION: (ActionKind.VERIFY_SESUAI, ActionKind.VERIFY_TIDAK_SESUAI),
    StepKind.RECAP: (ActionKind.CONFIRM_RECAP,),
    StepKind.ARCHIVE: (ActionKind.ARCHIVE,),
}

#: Roles allowed to start a cycle.
STARTERS = frozenset({Peran.SEKDA, Peran.ADMIN})

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
        step = self.sop.step(task.step)
        if step.kind is StepKind.DISTRIBUTION and task.opd is not None:
            return (ActionKind.CONFIRM_RECEIPT,)
        return _ACTIONS[step.kind]

    def can_act(self, task: Task, actor: Actor) -> bool:
        try:
            self.authorize(task, actor)
        except DomainError:
            return False
        return task.is_open

    # -- transitions -----------------------------------------------------------------------

    def start(self, tahun: int, opds: Sequence[str], actor: Actor, now: datetime) -> Transition:
        if actor.peran not in STARTERS:
            raise NotYourTask("Siklus hanya dapat dimulai oleh Sekretaris Daerah atau administrator.")
        if not opds:
            raise InvalidPayload("Belum ada Perangkat Daerah yang terdaftar; siklus tidak dapat dimulai.")
        if len(set(opds)) != len(opds):
            raise InvalidPayload("Daftar Perangkat Daerah memuat kode ganda.")
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
        if action not in self.allowed_actions(task):
            raise ActionNotAllowed(f"Tindakan ini tidak tersedia pada langkah {task.step}.")
        note = note.strip() if note and note.strip() else None
        if action in NOTE_REQUIRED and note is None:
            raise NoteRequired()
        handler = getattr(self, f"_on_{action.value}")
        return handler(state, task, actor, now, note, payload or {})

    def close_window(self, state: CycleState, now: datetime) -> Transition:
        """Close the step-10 window: unfinished OPDs are marked, the recap step opens."""
        if state.status is not CycleStatus.OPEN:
            raise CycleNotOpen()
        if state.window_closes_at is None:
            raise ActionNotAllowed("Surat belum didistribusikan; batas waktu verifikasi belum berjalan.")
        if now < state.window_closes_at:
            raise ActionNotAllowed("Batas waktu verifikasi belum berakhir.")
        if self.recap_opened(state):
            raise ActionNotAllowed("Rekapitulasi sudah dibuka.")
        effects: list[Effect] = []
        tasks = list(state.tasks)
        for i, task in enumerate(tasks):
            if task.is_open and task.opd is not None:
                tasks[i] = replace(task, status=TaskStatus.CANCELLED, outcome="window_closed",
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

    # -- one handler per action ------------------------------------------------------------

    def _on_forward(self, state, task, actor, now, note, payload) -> Transition:
        return self._advance(state, task, actor, now, "forwarded", note, self._next(task), note)

    def _on_submit_draft(self, state, task, actor, now, note, payload) -> Transition:
        missing = [f for f in LETTER_FIELDS if not payload.get(f)]
        if missing:
            raise InvalidPayload("Isian surat belum lengkap: " + ", ".join(missing) + ".")
        deadline = payload.get("batas_waktu_at")
        if deadline is not None and (not isinstance(deadline, datetime) or deadline <= now):
            raise InvalidPayload("Batas waktu pengisian harus setelah hari ini.")
        letter = {k: v for k, v in payload.items() if k != "batas_waktu_at"}
        state = replace(state, letter=letter, letter_deadline=deadline)
        return self._advance(state, task, actor, now, "drafted", note, self._next(task), None)

    def _on_approve(self, state, task, actor, now, note, payload) -> Transition:
        target = self.sop.step(self._step(task).branches["ya"])
        return self._advance(state, task, actor, now, "approved", note, target, note)

    def _on_return(self, state, task, actor, now, note, payload) -> Transition:
        target = self.sop.step(self._step(task).branches["tidak"])
        return self._advance(state, task, actor, now, "returned", note, target, note)

    def _on_sign(self, state, task, actor, now, note, payload) -> Transition:
        return self._advance(state, task, actor, now, "signed", note, self._next(task), None)

    def _on_distribute(self, state, task, actor, now, note, payload) -> Transition:
        step = self._step(task)
        verification = self.sop.step_of_kind(StepKind.VERIFICATION)
        window = self._due(now, verification)
        state, finished = self._finish(state, task, actor, now, "distributed", note)
        state = replace(
            state,
            window_closes_at=window,
            opds=tuple(replace(p, status=OpdStatus.BELUM_MENERIMA) for p in state.opds),
        )
        effects: list[Effect] = [finished]
        for progress in state.opds:
            opened = self._open(state, step, now, progress.kode, None, role=step.receipt_by or Peran.OPD)
            state = opened.state
            effects.extend(opened.effects)
        return Transition(state, tuple(effects))

    def _on_confirm_receipt(self, state, task, actor, now, note, payload) -> Transition:
        state = self._update_opd(state, task.opd, status=OpdStatus.MENGISI, received_at=now,
                                 received_by=actor.user_id)
        return self._advance(state, task, actor, now, "received", note, self._next(task), None)

    def _on_submit(self, state, task, actor, now, note, payload) -> Transition:
        state = self._update_opd(state, task.opd, status=OpdStatus.MENUNGGU_VERIFIKASI,
                                 submitted_at=now)
        return self._advance(state, task, actor, now, "submitted", note, self._next(task), note)

    def _on_sesuai(self, state, task, actor, now, note, payload) -> Transition:
        state = self._update_opd(state, task.opd, status=OpdStatus.TERVERIFIKASI,
                                 verified_at=now, verified_by=actor.user_id)
        state, finished = self._finish(state, task, actor, now, "sesuai", note)
        if all(p.status is OpdStatus.TERVERIFIKASI for p in state.opds):
            target = self.sop.step(self._step(task).branches["sesuai"])
            opened = self._open(state, target, now, None, None)
            return Transition(opened.state, (finished, *opened.effects))
        return Transition(state, (finished,))

    def _on_tidak_sesuai(self, state, task, actor, now, note, payload) -> Transition:
        progress = state.opd(task.opd or "")
        returns = progress.returns + 1 if progress else 1
        state = self._update_opd(state, task.opd, status=OpdStatus.DIKEMBALIKAN, returns=returns,
                                 last_note=note, verified_by=actor.user_id)
        target = self.sop.step(self._step(task).branches["tidak_sesuai"])
        return self._advance(state, task, actor, now, "tidak_sesuai", note, target, note)

    def _on_confirm_recap(self, state, task, actor, now, note, payload) -> Transition:
        return self._advance(state, task, actor, now, "recap_confirmed", note, self._next(task), note)

    def _on_archive(self, state, task, actor, now, note, payload) -> Transition:
        state, finished = self._finish(state, task, actor, now, "archived", note)
        state = replace(state, status=CycleStatus.CLOSED, closed_at=now)
        return Transition(state, (finished, CycleClosed()))

    # -- building blocks -------------------------------------------------------------------

    def authorize(self, task: Task, actor: Actor) -> None:
        """Raise NotYourTask unless the actor's role (and OPD) is the task's."""
        if task.role in (Peran.OPD, Peran.KEPALA_OPD):
            if actor.peran not in (Peran.OPD, Peran.KEPALA_OPD):
                raise NotYourTask(
                    f"Tugas ini untuk Perangkat Daerah, bukan untuk {actor.peran.label}."
                )
            if actor.opd != task.opd:
                raise NotYourTask("Tugas ini milik Perangkat Daerah lain, bukan Perangkat Daerah Bapak/Ibu.")
        elif actor.peran is not task.role:
            raise NotYourTask(
                f"Tugas ini untuk {task.role.label}, bukan untuk {actor.peran.label}."
            )

    def _step(self, task: Task) -> StepDefinition:
        return self.sop.step(task.step)

    def _next(self, task: Task) -> StepDefinition | None:
        nxt = self._step(task).next
        return self.sop.step(nxt) if nxt is not None else None

    def recap_opened(self, state: CycleState) -> bool:
        recap = self.sop.step_of_kind(StepKind.VERIFICATION).branches["sesuai"]
        return any(t.step == recap for t in state.tasks)

    def _due(self, now: datetime, step: StepDefinition) -> datetime | None:
        return self.calendar.due(now, step.waktu) if step.waktu else None

    def _finish(self, state, task, actor, now, outcome, note) -> tuple[CycleState, TaskFinished]:
        done = replace(task, status=TaskStatus.DONE, outcome=outcome, note=note,
                       actor_id=actor.user_id, completed_at=now)
        tasks = tuple(done if t.seq == task.seq else t for t in state.tasks)
        return replace(state, tasks=tasks), TaskFinished(done)

    def _advance(self, state, task, actor, now, outcome, note, target, instruction) -> Transition:
        """Finish `task` and open `target` (for the same OPD when the target fans out)."""
        state, finished = self._finish(state, task, actor, now, outcome, note)
        if target is None:
            return Transition(state, (finished,))
        opd = task.opd if target.fan_out else None
        opened = self._open(state, target, now, opd, instruction)
        return Transition(opened.state, (finished, *opened.effects))

    def _open(self, state, step, now, opd, instruction, role: Peran | None = None) -> Transition:
        due = self._due(now, step)
        if step.kind is StepKind.SUBMISSION and step.due_from_letter and state.letter_deadline:
            due = state.letter_deadline
        elif step.kind is StepKind.VERIFICATION and state.window_closes_at:
            due = state.window_closes_at
        task = Task(seq=state.next_seq, step=step.no, role=role or step.pelaksana, opd=opd,
                    started_at=now, due_at=due, instruction=instruction)
        return Transition(replace(state, tasks=state.tasks + (task,)), (TaskOpened(task),))

    @staticmethod
    def _update_opd(state: CycleState, kode: str | None, **changes: Any) -> CycleState:
        opds = tuple(replace(p, **changes) if p.kode == kode else p for p in state.opds)
        return replace(state, opds=opds)
