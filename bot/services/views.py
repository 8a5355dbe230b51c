"""Plain read models handed to adapters: no ORM rows, no Telegram objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.roles import Peran
from bot.sop.definition import SopDefinition, StepKind
from bot.storage import models as m
from bot.presentation import labels
from bot.workflow import ActionKind, Task, Workflow
from bot.workflow.kinds import KINDS

@dataclass(frozen=True)
class StepRef:
    """Another step, as a message names it ("Tim SAKIP (Langkah 4 — Penyusunan Konsep Surat)")."""

    no: int
    nama: str
    role_label: str


@dataclass(frozen=True)
class TaskView:
    id: int
    cycle_id: int
    tahun: int
    seq: int
    step: int
    total_steps: int
    kind: StepKind
    nama: str  # the step's short name (chat)
    kegiatan: str  # the SOP's own words (quoted, one tap away)
    kelengkapan: str
    output: str
    waktu_text: str
    role: Peran
    opd_kode: str | None
    opd_nama: str | None
    status: str
    started_at: datetime
    due_at: datetime | None
    instruction: str | None = None
    outcome: str | None = None
    note: str | None = None
    completed_at: datetime | None = None
    actor_nama: str | None = None
    actor_peran: str | None = None
    actions: tuple[ActionKind, ...] = ()
    next_role_label: str | None = None
    letter: Mapping[str, object] = field(default_factory=dict)
    sop_name: str = ""
    sop_title: str = ""  # "Pengisian E-SAKIP": the SOP's short title in chat
    #: Where the task's actions lead: "next" and each branch ("tidak", "tidak_sesuai").
    targets: Mapping[str, StepRef] = field(default_factory=dict)
    due_from_letter: bool = False
    ends_at_window: bool = False

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def role_label(self) -> str:
        return self.role.label

    @property
    def outcome_label(self) -> str:
        return labels.outcome(self.outcome)

    @property
    def deadline_basis(self) -> str:
        """What the deadline rests on, shown beside it: the mutu baku, or the letter's date."""
        if self.due_from_letter and self.letter.get("batas_waktu_pengisian"):
            return "batas waktu pengisian dalam surat"
        if self.ends_at_window:
            return f"masa verifikasi {self.waktu_text}"
        return self.waktu_text

    @property
    def is_receipt(self) -> bool:
        return KINDS[self.kind].receipt is not None and self.opd_kode is not None


def build_view(session: Session, sop: SopDefinition, workflow: Workflow, cycle: m.Cycle,
               row: m.Task, task: Task | None = None,
               opd_names: Mapping[str, str] | None = None) -> TaskView:
    """The task as adapters show it; pass `opd_names` when building many views at once."""
    step = sop.step(row.step)
    if opd_names is not None:
        opd_nama = opd_names.get(row.opd_kode) if row.opd_kode else None
    else:
        opd_nama = session.scalar(select(m.PerangkatDaerah.nama).where(
            m.PerangkatDaerah.kode == row.opd_kode)) if row.opd_kode else None
    actor = session.get(m.User, row.claimed_by) if row.claimed_by else None
    if task is None:
        from bot.services.state_store import task_from_row

        task = task_from_row(row)
    targets = {name: _ref(sop, no) for name, no in step.branches.items()}
    if step.next is not None:
        targets["next"] = _ref(sop, step.next)
    next_label = targets["next"].role_label if "next" in targets else None
    return TaskView(
        id=row.id, cycle_id=cycle.id, tahun=cycle.tahun, seq=row.seq, step=row.step,
        total_steps=sop.total_steps, kind=step.kind, nama=step.nama, kegiatan=step.kegiatan,
        kelengkapan=step.kelengkapan or "-", output=step.output, waktu_text=step.waktu_text,
        role=Peran(row.role), opd_kode=row.opd_kode, opd_nama=opd_nama,
        status=row.status, started_at=row.started_at, due_at=row.due_at,
        instruction=row.instruction, outcome=row.outcome, note=row.note,
        completed_at=row.completed_at, actor_nama=actor.nama if actor else None,
        actor_peran=Peran(actor.peran).label if actor else None,
        actions=workflow.allowed_actions(task), next_role_label=next_label,
        letter=dict(cycle.letter or {}), sop_name=sop.name, sop_title=sop.title, targets=targets,
        due_from_letter=step.due_from_letter, ends_at_window=KINDS[step.kind].ends_at_window,
    )


def _ref(sop: SopDefinition, no: int) -> StepRef:
    target = sop.step(no)
    return StepRef(no=no, nama=target.nama, role_label=Peran(target.pelaksana).label)


def opd_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(m.PerangkatDaerah.kode, m.PerangkatDaerah.nama)).all())
