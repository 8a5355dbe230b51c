"""The Surat Teguran to a late Perangkat Daerah (issue 13 item 8; bot/services/teguran.py)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base


class Teguran(Base):
    """A Surat Teguran of the Sekda to the Kepala of one late Perangkat Daerah of a cycle: drafted
    by Tim SAKIP, approved (or returned with a note) by the Kabag, signed by the Sekda, then
    delivered to the OPD. `status`: konsep | diajukan | dikembalikan | disetujui | ditandatangani
    | dibatalkan."""

    __tablename__ = "teguran"
    __table_args__ = (Index("ix_teguran_cycle_opd", "cycle_id", "opd_kode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"))
    opd_kode: Mapped[str] = mapped_column(ForeignKey("perangkat_daerah.kode"))
    status: Mapped[str] = mapped_column(String(16))
    tanggal: Mapped[date]
    batas_waktu: Mapped[date]  # the new, short deadline the letter gives
    nomor: Mapped[str | None] = mapped_column(String(128))
    catatan: Mapped[str | None] = mapped_column(Text)  # the Kabag's note when returned
    created_at: Mapped[datetime]
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None]
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the Kabag who decided last
    signed_at: Mapped[datetime | None]
    signed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))  # the latest konsep, then the letter
