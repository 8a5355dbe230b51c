"""Plain read models handed to adapters: no ORM rows, no Telegram objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.roles import Peran
from bot.services.acting import capacity
from bot.sop.definition import SopDefinition, StepKind
from bot.storage import models as m
from bot.workflow import ActionKind, Task, Workflow

OUTCOME_LABEL = {
    "forwarded": "Didisposisikan",
    "drafted": "Konsep surat disampaikan",
    "approved": "Disetujui",
    "returned": "Dikembalikan untuk diperbaiki",
    "signed": "Ditandatangani",
    "distributed": "Surat didistribusikan",
    "received": "Surat diterima",
    "submitted": "Pengisian dilaporkan",
    "sesuai": "Dinyatakan sesuai",
    "tidak_sesuai": "Dinyatakan tidak sesuai dan dikembalikan",
    "recap_confirmed": "Rekapitulasi diterima",
    "archived": "Diarsipkan",
    "window_closed": "Ditutup karena batas waktu verifikasi berakhir",
}


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
    actor_selaku: str | None = None  # "Plh. Asisten Administrasi Umum" when acting for the role
    actions: tuple[ActionKind, ...] = ()
    next_role_label: str | None = None
    letter: Mapping[str, object] = field(default_factory=dict)

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def role_label(self) -> str:
        return self.role.label

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABEL.get(self.outcome or "", self.outcome or "")

    @property
    def deadline_basis(self) -> str:
        """What the deadline rests on, shown beside it: the mutu baku, or the letter's date."""
        if self.kind is StepKind.SUBMISSION and self.letter.get("batas_waktu_pengisian"):
            return "batas waktu pengisian dalam surat"
        if self.kind is StepKind.VERIFICATION:
            return f"masa verifikasi {self.waktu_text}"
        return self.waktu_text

    @property
    def is_receipt(self) -> bool:
        return self.kind is StepKind.DISTRIBUTION and self.opd_kode is not None


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
    next_label = None
    if step.next is not None and step.kind is StepKind.DISPOSITION:
        next_label = Peran(sop.step(step.next).pelaksana).label
    return TaskView(
        id=row.id, cycle_id=cycle.id, tahun=cycle.tahun, seq=row.seq, step=row.step,
        total_steps=sop.total_steps, kind=step.kind, nama=step.nama, kegiatan=step.kegiatan,
        kelengkapan=step.kelengkapan or "-", output=step.output, waktu_text=step.waktu_text,
        role=Peran(row.role), opd_kode=row.opd_kode, opd_nama=opd_nama,
        status=row.status, started_at=row.started_at, due_at=row.due_at,
        instruction=row.instruction, outcome=row.outcome, note=row.note,
        completed_at=row.completed_at, actor_nama=actor.nama if actor else None,
        actor_peran=Peran(actor.peran).label if actor else None,
        actor_selaku=capacity(session, actor, row.role, row.completed_at) if actor else None,
        actions=workflow.allowed_actions(task), next_role_label=next_label,
        letter=dict(cycle.letter or {}),
    )


def opd_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(m.PerangkatDaerah.kode, m.PerangkatDaerah.nama)).all())
