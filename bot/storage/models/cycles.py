"""A cycle of an SOP and its state: the cycle, its SOP snapshot, the OPDs' progress, the tasks
and their assignments, and the incoming letter it answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.roles import Peran
from bot.storage.base import Base
from bot.storage.types import EnumText
from bot.workflow.state import CycleStatus, OpdStatus, Outcome, TaskStatus


class Cycle(Base):
    __tablename__ = "cycles"
    __table_args__ = (
        # One open cycle per year and SOP.
        Index("uq_cycles_open_per_year", "sop_name", "tahun", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sop_name: Mapped[str] = mapped_column(String(64))
    sop_version: Mapped[int]
    tahun: Mapped[int]
    status: Mapped[CycleStatus] = mapped_column(EnumText(CycleStatus, 16))
    opened_at: Mapped[datetime]
    opened_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None]
    letter: Mapped[dict[str, Any]] = mapped_column(default=dict)
    letter_deadline: Mapped[datetime | None]
    window_closes_at: Mapped[datetime | None]
    #: The SOP file the cycle started with (SHA-256 of its text; the text is in sop_snapshots):
    #: the cycle runs to its end on it, whatever the file says later. None: before 0006.
    sop_digest: Mapped[str | None] = mapped_column(String(64), ForeignKey("sop_snapshots.digest"))


class SopSnapshot(Base):
    """The text of an SOP file as a cycle started with it, by its SHA-256."""

    __tablename__ = "sop_snapshots"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    source: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class CycleOpd(Base):
    """A Perangkat Daerah's progress through steps 8-10 of one cycle."""

    __tablename__ = "cycle_opd"
    __table_args__ = (UniqueConstraint("cycle_id", "opd_kode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"))
    opd_kode: Mapped[str] = mapped_column(ForeignKey("perangkat_daerah.kode"))
    urutan: Mapped[int]
    status: Mapped[OpdStatus] = mapped_column(EnumText(OpdStatus, 32))
    received_at: Mapped[datetime | None]
    received_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None]
    verified_at: Mapped[datetime | None]
    verified_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    returns: Mapped[int] = mapped_column(default=0)
    last_note: Mapped[str | None] = mapped_column(Text)
    #: How the letter reached an OPD that had no operator on the bot ("fisik" or "surel"), and the
    #: person there who received it, as Tim SAKIP recorded them (None: confirmed in the bot).
    received_via: Mapped[str | None] = mapped_column(String(16))
    received_by_name: Mapped[str | None] = mapped_column(String(200))


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("cycle_id", "seq"),
        Index("ix_tasks_open_due", "status", "due_at"),
        Index("ix_tasks_next_alert", "next_alert_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    seq: Mapped[int]
    step: Mapped[int]
    role: Mapped[Peran] = mapped_column(EnumText(Peran, 16))
    opd_kode: Mapped[str | None] = mapped_column(ForeignKey("perangkat_daerah.kode"))
    status: Mapped[TaskStatus] = mapped_column(EnumText(TaskStatus, 16))
    started_at: Mapped[datetime]
    due_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    instruction: Mapped[str | None] = mapped_column(Text)
    #: What the instruction is (the outcome that opened the task with it) and who wrote it.
    origin: Mapped[Outcome | None] = mapped_column(EnumText(Outcome, 32))
    origin_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[Outcome | None] = mapped_column(EnumText(Outcome, 32))
    note: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Reminder and escalation bookkeeping for the sweep: the next instant anything is owed.
    next_alert_at: Mapped[datetime | None]
    alert_level: Mapped[int] = mapped_column(default=0)
    acknowledged_until: Mapped[datetime | None]
    #: The Tim SAKIP member (or admin) who recorded this OPD task on the OPD's behalf.
    on_behalf_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class TaskAssignment(Base):
    """A task handed to one person of its role (the latest row wins; user_id None: the role
    again, e.g. after the assignee left)."""

    __tablename__ = "task_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    alasan: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]


class SuratMasuk(Base):
    """The incoming letter that a cycle answers (optional): registered by the Sekda or an admin
    when starting the cycle, printed on the lembar disposisi; its scan is a Document."""

    __tablename__ = "surat_masuk"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), unique=True)
    nomor: Mapped[str] = mapped_column(String(128))
    tanggal: Mapped[date]
    pengirim: Mapped[str] = mapped_column(String(300))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
