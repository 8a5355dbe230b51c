"""A cycle's state as plain frozen dataclasses: tasks and, per Perangkat Daerah, progress."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.roles import Peran


class CycleStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"  # closed by the system, e.g. when the step-10 window closed


class Outcome(StrEnum):
    """What a finished task records: the action taken (its label is in labels.yaml `outcomes`)."""

    FORWARDED = "forwarded"  # a disposition
    DRAFTED = "drafted"
    APPROVED = "approved"
    RETURNED = "returned"  # a correction: back to the drafter
    SIGNED = "signed"
    DISTRIBUTED = "distributed"
    RECEIVED = "received"  # a Perangkat Daerah confirmed receipt
    SUBMITTED = "submitted"
    SESUAI = "sesuai"
    TIDAK_SESUAI = "tidak_sesuai"
    RECAP_CONFIRMED = "recap_confirmed"
    ARCHIVED = "archived"
    REGISTERED = "registered"  # an incoming letter (SOP surat masuk)
    REPORTED = "reported"
    WINDOW_CLOSED = "window_closed"  # the system's own: the verification window closed first


class OpdStatus(StrEnum):
    """Where a Perangkat Daerah stands in steps 8-10."""

    MENUNGGU_SURAT = "menunggu_surat"  # the letter is not yet distributed
    BELUM_MENERIMA = "belum_menerima"  # distributed, receipt not yet confirmed
    MENGISI = "mengisi"  # received; filling E-SAKIP (step 9)
    MENUNGGU_VERIFIKASI = "menunggu_verifikasi"  # submitted; Tim SAKIP to verify (step 10)
    DIKEMBALIKAN = "dikembalikan"  # "tidak sesuai": back at step 9
    TERVERIFIKASI = "terverifikasi"  # "sesuai"
    TIDAK_SELESAI = "tidak_selesai"  # the step-10 window closed before it was verified

    @property
    def label(self) -> str:
        return OPD_STATUS_LABEL[self]

    @property
    def finished(self) -> bool:
        return self in (OpdStatus.TERVERIFIKASI, OpdStatus.TIDAK_SELESAI)


OPD_STATUS_LABEL = {
    OpdStatus.MENUNGGU_SURAT: "Menunggu surat",
    OpdStatus.BELUM_MENERIMA: "Belum menerima surat",
    OpdStatus.MENGISI: "Belum melapor",
    OpdStatus.MENUNGGU_VERIFIKASI: "Menunggu verifikasi",
    OpdStatus.DIKEMBALIKAN: "Dikembalikan",
    OpdStatus.TERVERIFIKASI: "Terverifikasi",
    OpdStatus.TIDAK_SELESAI: "Tidak selesai",
}


@dataclass(frozen=True)
class Task:
    """One piece of work of one step, for one role (and one OPD when the step fans out).

    `seq` numbers the tasks of a cycle from 1; `instruction` is what came with the task when it
    opened (an arahan, a correction note); `note` is what the actor wrote when closing it.
    """

    seq: int
    step: int
    role: Peran
    opd: str | None
    started_at: datetime
    due_at: datetime | None
    status: TaskStatus = TaskStatus.OPEN
    instruction: str | None = None
    outcome: Outcome | None = None
    note: str | None = None
    actor_id: int | None = None
    completed_at: datetime | None = None
    #: What the instruction is: the outcome of the action that opened the task with it
    #: ("forwarded": an arahan, "returned": a correction...), and who wrote it.
    origin: Outcome | None = None
    origin_by: int | None = None

    @property
    def is_open(self) -> bool:
        return self.status is TaskStatus.OPEN


@dataclass(frozen=True)
class OpdProgress:
    kode: str
    status: OpdStatus = OpdStatus.MENUNGGU_SURAT
    received_at: datetime | None = None
    received_by: int | None = None  # the user id of who confirmed the letter
    submitted_at: datetime | None = None  # the latest submission
    verified_at: datetime | None = None
    verified_by: int | None = None  # the user id of who verified it, or last sent it back
    returns: int = 0
    last_note: str | None = None  # the note it was last sent back with


@dataclass(frozen=True)
class CycleState:
    sop_name: str
    sop_version: int
    tahun: int
    opened_at: datetime
    opened_by: int
    status: CycleStatus = CycleStatus.OPEN
    tasks: tuple[Task, ...] = ()
    opds: tuple[OpdProgress, ...] = ()
    letter: Mapping[str, object] = field(default_factory=dict)
    letter_deadline: datetime | None = None
    window_closes_at: datetime | None = None
    closed_at: datetime | None = None

    def task(self, seq: int) -> Task | None:
        if 1 <= seq <= len(self.tasks) and self.tasks[seq - 1].seq == seq:
            return self.tasks[seq - 1]
        return next((t for t in self.tasks if t.seq == seq), None)

    def open_tasks(self) -> tuple[Task, ...]:
        return tuple(t for t in self.tasks if t.is_open)

    def opd(self, kode: str) -> OpdProgress | None:
        return next((p for p in self.opds if p.kode == kode), None)

    @property
    def current_step(self) -> int | None:
        """The earliest step that still has open work, None when nothing is open."""
        steps = [t.step for t in self.tasks if t.is_open]
        return min(steps) if steps else None

    @property
    def next_seq(self) -> int:
        return len(self.tasks) + 1
