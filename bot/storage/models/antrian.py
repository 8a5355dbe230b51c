"""The tables of the verification queue (issue 13 item 7): each Tim SAKIP member's queue message
of a cycle, and which member has taken which Perangkat Daerah's submission."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base


class QueueMessage(Base):
    """One member's queue message of a cycle ("verifikasi" at step 10, "penerimaan" for the step-8
    receipts): the outbox row that sent it (edits go to that message) and the page it shows."""

    __tablename__ = "antrian_pesan"
    __table_args__ = (UniqueConstraint("cycle_id", "user_id", "jenis"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    jenis: Mapped[str] = mapped_column(String(16))
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"))
    page: Mapped[int] = mapped_column(default=0)
    #: What the message shows now (a digest of its text and buttons): an unchanged update is not sent.
    shown: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime]


class QueueTake(Base):
    """A Tim SAKIP member opened (took) an OPD's submission from the queue; the latest wins."""

    __tablename__ = "antrian_ambil"

    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    taken_at: Mapped[datetime]


class QueueRefresh(Base):
    """A queue of a cycle that a transition changed and whose members' messages are not yet
    brought up to date: written in the transition's unit of work (cheap), worked off by the
    outbox dispatcher before it sends (bot.services.antrian_pesan.Antrian.refresh_stale), so a
    burst of receipts renders each member's message once, not once per receipt."""

    __tablename__ = "antrian_segar"

    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), primary_key=True)
    jenis: Mapped[str] = mapped_column(String(16), primary_key=True)
    #: An OPD entered the verification queue meanwhile (a new day then brings a fresh message).
    arrived: Mapped[bool] = mapped_column(default=False)
    #: How many transitions marked it: a refresh removes the row only if none marked it meanwhile.
    marks: Mapped[int] = mapped_column(default=1)
    requested_at: Mapped[datetime]
