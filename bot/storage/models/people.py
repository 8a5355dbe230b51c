"""People and offices: the Perangkat Daerah, the users, their invites, and Plh./Plt. orders."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.roles import Peran
from bot.storage.base import Base
from bot.storage.types import EnumText


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
    peran: Mapped[Peran] = mapped_column(EnumText(Peran, 16), index=True)
    opd_kode: Mapped[str | None] = mapped_column(ForeignKey("perangkat_daerah.kode"), index=True)
    aktif: Mapped[bool] = mapped_column(default=True)
    unreachable_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    #: Loaded when asked for (a profile, a notice naming the OPD): most queries of users, several
    #: per press, need only `opd_kode`, and a join built an OPD object for every user row.
    opd: Mapped[PerangkatDaerah | None] = relationship(lazy="select")


class Invite(Base):
    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    peran: Mapped[Peran] = mapped_column(EnumText(Peran, 16))
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


class ActingOrder(Base):
    """A Plh./Plt. order (surat perintah): `acting_user` holds role `peran` from `mulai` to
    `sampai` (local dates of the deployment's zone, inclusive) unless ended earlier; `absent_user`
    is the official away."""

    __tablename__ = "acting_orders"
    __table_args__ = (Index("ix_acting_orders_peran_sampai", "peran", "sampai"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    peran: Mapped[Peran] = mapped_column(EnumText(Peran, 16))
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
