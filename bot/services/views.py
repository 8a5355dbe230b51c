"""Plain read models handed to adapters: no ORM rows, no Telegram objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.roles import Peran
from bot.services.acting import capacity
from bot.services.checklist_store import Sheet, SheetLine, fixes_of, sheet_of
from bot.sop.definition import SopDefinition, StepKind
from bot.storage import models as m
from bot.presentation import labels
from bot.workflow import ActionKind, Outcome, Task, TaskStatus, Workflow
from bot.workflow.kinds import KINDS

# Built once (each /tugas builds a view per task; docs/BENCHMARKS.md, "2026-12-02 (session 5)").
_OPD_NAME = select(m.PerangkatDaerah.nama).where(m.PerangkatDaerah.kode == bindparam("kode"))
_LATEST_DOCUMENT = (select(m.Document.filename).where(m.Document.cycle_id == bindparam("cycle"),
                                                      m.Document.kind == bindparam("kind"))
                    .order_by(m.Document.id.desc()).limit(1))
_LATEST_OPD_DOCUMENT = _LATEST_DOCUMENT.where(m.Document.opd_kode == bindparam("opd"))


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
    status: TaskStatus
    started_at: datetime
    due_at: datetime | None
    instruction: str | None = None
    outcome: Outcome | None = None
    note: str | None = None
    completed_at: datetime | None = None
    actor_nama: str | None = None
    actor_peran: str | None = None
    actor_selaku: str | None = None  # "Plh. Asisten Administrasi Umum" when acting for the role
    actions: tuple[ActionKind, ...] = ()
    next_role_label: str | None = None
    letter: Mapping[str, object] = field(default_factory=dict)
    sop_name: str = ""
    sop_title: str = ""  # "Pengisian E-SAKIP": the SOP's short title in chat
    kinerja: bool = False  # the cycle reports on a tahun kinerja ("Tahun Kinerja 2026")
    #: Where the task's actions lead: "next" and each branch ("tidak", "tidak_sesuai").
    targets: Mapping[str, StepRef] = field(default_factory=dict)
    due_from_letter: bool = False
    ends_at_window: bool = False
    role_name: str = ""  # the role as the SOP file names it ("Kepala Bagian")
    instruction_from: Outcome | None = None  # the outcome that gave the instruction (RETURNED)
    instruction_by: str | None = None  # who wrote it
    attachment_name: str | None = None  # the file sent with the task (filled by attachment_of)
    checklist: Sheet | None = None  # verification by checklist: the items and their ticks
    perbaikan: tuple[SheetLine, ...] = ()  # a returned submission: the items to fix, and why

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    @property
    def role_label(self) -> str:
        return self.role_name or self.role.label

    @property
    def outcome_label(self) -> str:
        return labels.outcome(self.outcome)

    @property
    def deadline_basis(self) -> str:
        """What the deadline rests on, shown beside it: the mutu baku, or the letter's date."""
        if self.due_from_letter and self.letter.get("batas_waktu_pengisian"):
            return labels.label("deadline_basis", "letter")
        waktu = self.waktu_text.lower()  # the SOP writes "30 Menit" and "30 menit" alike
        if self.ends_at_window:
            return labels.label("deadline_basis", "window").format(waktu=waktu)
        return waktu

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
        opd_nama = session.scalar(_OPD_NAME, {"kode": row.opd_kode}) if row.opd_kode else None
    actor = session.get(m.User, row.claimed_by) if row.claimed_by else None
    if task is None:
        from bot.services.state_store import task_from_row

        task = task_from_row(row)
    targets = {name: _ref(sop, no) for name, no in step.branches.items()}
    if step.next is not None:
        targets["next"] = _ref(sop, step.next)
    next_label = targets["next"].role_label if "next" in targets else None
    return TaskView(
        id=row.id, cycle_id=cycle.id, tahun=cycle.tahun, kinerja=any(st.fan_out for st in sop.steps),
        seq=row.seq, step=row.step,
        total_steps=sop.total_steps, kind=step.kind, nama=step.nama, kegiatan=step.kegiatan,
        kelengkapan=step.kelengkapan or "-", output=step.output, waktu_text=step.waktu_text,
        role=row.role, opd_kode=row.opd_kode, opd_nama=opd_nama,
        status=row.status, started_at=row.started_at, due_at=row.due_at,
        instruction=row.instruction, outcome=row.outcome, note=row.note,
        completed_at=row.completed_at, actor_nama=actor.nama if actor else None,
        actor_peran=actor.peran.label if actor else None,
        actor_selaku=capacity(session, actor, row.role, row.completed_at, workflow.calendar.tz) if actor else None,
        actions=workflow.allowed_actions(task), next_role_label=next_label,
        letter=dict(cycle.letter or {}), sop_name=sop.name, sop_title=sop.title, targets=targets,
        due_from_letter=step.due_from_letter, ends_at_window=KINDS[step.kind].ends_at_window,
        role_name=role_label(sop, row.role), instruction_from=row.origin,
        instruction_by=_name(session, row.origin_by),
        checklist=sheet_of(session, sop, row), perbaikan=fixes_of(session, sop, row),
    )


def _name(session: Session, user_id: int | None) -> str | None:
    user = session.get(m.User, user_id) if user_id else None
    return user.nama if user else None


def role_label(sop: SopDefinition, role: str) -> str:
    """A role as the SOP file names it; a Perangkat Daerah's operator keeps the bot's own name."""
    peran = Peran(role)
    return peran.label if peran.needs_opd else sop.roles.get(peran.value, peran.label)


def _ref(sop: SopDefinition, no: int) -> StepRef:
    target = sop.step(no)
    return StepRef(no=no, nama=target.nama, role_label=role_label(sop, target.pelaksana))


def opd_names(session: Session) -> dict[str, str]:
    return {kode: nama for kode, nama in session.execute(select(m.PerangkatDaerah.kode, m.PerangkatDaerah.nama))}


def attachment_of(session: Session, sop: SopDefinition, view: TaskView) -> TaskView:
    """The view with the name of the file its task message names ("Lampiran: ..."), as the
    notification showed it: the latest document of a kind the step sends (bot.workflow.kinds)."""
    from dataclasses import replace

    from bot.workflow.kinds import NAMED_DOCUMENTS

    step = sop.step(view.step)
    wanted = [k for k in (step.berkas if step.berkas is not None else KINDS[step.kind].berkas)
              if k in NAMED_DOCUMENTS]
    for kind in wanted:
        params = {"cycle": view.cycle_id, "kind": kind}
        name = (session.scalar(_LATEST_OPD_DOCUMENT, {**params, "opd": view.opd_kode}) if kind == "lampiran_opd"
                else session.scalar(_LATEST_DOCUMENT, params))
        if name is not None:
            return replace(view, attachment_name=name)
    return view
