"""The tables. Instants are UTC; the scheduler's queries have indexes of their own."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.base import Base


class PerangkatDaerah(Base):
    __tablename__ = "perangkat_daerah"

    id: Mapped[int] = mapped_column(primary_key=True)
    kode: Mapped[str] = mapped_column(String(32), unique=True)
    nama: Mapped[str] = mapped_column(String(300))
    singkatan: Mapped[str] = mapped_column(String(64), default="")
    #: Whom the Sekda's letters name ("Kepala Dinas Sosial"); None: the default rule.
    jabatan_pimpinan: Mapped[str | None] = mapped_column(String(300))
    aktif: Mapped[bool] = mapped_column(default=True)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(unique=True)
    nama: Mapped[str] = mapped_column(String(200))
    nip: Mapped[str | None] = mapped_column(String(32))
    pangkat: Mapped[str | None] = mapped_column(String(100))
    jabatan: Mapped[str | None] = mapped_column(String(200))
    peran: Mapped[str] = mapped_column(String(16), index=True)
    opd_kode: Mapped[str | None] = mapped_column(ForeignKey("perangkat_daerah.kode"), index=True)
    aktif: Mapped[bool] = mapped_column(default=True)
    unreachable_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    opd: Mapped[PerangkatDaerah | None] = relationship(lazy="joined")


class Invite(Base):
    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    peran: Mapped[str] = mapped_column(String(16))
    opd_kode: Mapped[str | None] = mapped_column(ForeignKey("perangkat_daerah.kode"))
    nama: Mapped[str | None] = mapped_column(String(200))
    jabatan: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class InviteAttempt(Base):
    """A failed /start <token> (the token itself is never stored): the last ten minutes of these
    decide whether a user must wait before trying again, across every process on the database."""

    __tablename__ = "invite_attempts"
    __table_args__ = (Index("ix_invite_attempts_telegram_id_at", "telegram_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int]
    at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(32))

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
    status: Mapped[str] = mapped_column(String(16))
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
    status: Mapped[str] = mapped_column(String(32))
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
    role: Mapped[str] = mapped_column(String(16))
    opd_kode: Mapped[str | None] = mapped_column(ForeignKey("perangkat_daerah.kode"))
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime]
    due_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    instruction: Mapped[str | None] = mapped_column(Text)
    #: What the instruction is (the outcome that opened the task with it) and who wrote it.
    origin: Mapped[str | None] = mapped_column(String(32))
    origin_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Reminder and escalation bookkeeping for the sweep: the next instant anything is owed.
    next_alert_at: Mapped[datetime | None]
    alert_level: Mapped[int] = mapped_column(default=0)
    acknowledged_until: Mapped[datetime | None]
    #: The Tim SAKIP member (or admin) who recorded this OPD task on the OPD's behalf.
    on_behalf_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AuditLog(Base):
    """Append-only: rows are never updated or deleted (enforced below)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]


class Outbox(Base):
    """A message to deliver. Written in the transaction of the change that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime]
    chat_id: Mapped[int]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # message | document | edit
    purpose: Mapped[str] = mapped_column(String(32))  # task | info | reminder | escalation | ...
    payload: Mapped[dict[str, Any]]
    dedup_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(200))  # the process that holds the lease
    last_error: Mapped[str | None] = mapped_column(Text)
    telegram_message_id: Mapped[int | None]
    sent_at: Mapped[datetime | None]


class ProcessLease(Base):
    """A named lease one process holds at a time (SQLite; PostgreSQL uses an advisory lock)."""

    __tablename__ = "process_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))  # host:pid:nonce
    acquired_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))
    opd_kode: Mapped[str | None] = mapped_column(ForeignKey("perangkat_daerah.kode"))
    kind: Mapped[str] = mapped_column(String(32))
    nomor: Mapped[str | None] = mapped_column(String(128))
    filename: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(128))
    file_path: Mapped[str] = mapped_column(String(500))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime | None]
    signed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verification_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    telegram_file_id: Mapped[str | None] = mapped_column(String(255))


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


class NumberSequence(Base):
    """Gap-free counters, e.g. letter numbers per year."""

    __tablename__ = "number_sequences"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    tahun: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


class ActingOrder(Base):
    """A Plh./Plt. order (surat perintah): `acting_user` holds role `peran` from `mulai` to
    `sampai` (WIB dates, inclusive) unless ended earlier; `absent_user` is the official away."""

    __tablename__ = "acting_orders"
    __table_args__ = (Index("ix_acting_orders_peran_sampai", "peran", "sampai"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    peran: Mapped[str] = mapped_column(String(16))
    acting_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    absent_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    jenis: Mapped[str] = mapped_column(String(8))  # plh | plt
    mulai: Mapped[date]
    sampai: Mapped[date]
    dasar: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ended_at: Mapped[datetime | None]
    ended_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: When the sweep re-sent the role's open tasks (period start) and told both of the end.
    started_notified_at: Mapped[datetime | None]
    ended_notified_at: Mapped[datetime | None]


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


class VerificationItem(Base):
    """One item of a step-10 checklist for one verification task: ticked while Tim SAKIP checks
    (the open task's rows are the sheet in progress), final once the task is done."""

    __tablename__ = "verification_items"
    __table_args__ = (UniqueConstraint("task_id", "kode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"))
    opd_kode: Mapped[str] = mapped_column(ForeignKey("perangkat_daerah.kode"))
    kode: Mapped[str] = mapped_column(String(16))
    ok: Mapped[bool]
    alasan: Mapped[str | None] = mapped_column(String(100))
    catatan: Mapped[str | None] = mapped_column(Text)
    checked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    checked_at: Mapped[datetime]


@event.listens_for(AuditLog, "before_update")
@event.listens_for(AuditLog, "before_delete")
def _audit_is_append_only(mapper: Any, connection: Any, target: AuditLog) -> None:
    raise PermissionError("audit_log is append-only")
