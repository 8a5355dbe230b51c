"""The step-10 checklist: one row per verification task and item (bot/services/checklist_store.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base


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
