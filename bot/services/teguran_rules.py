"""Which Perangkat Daerah may get a Surat Teguran, and the checks every teguran use-case shares:
the open E-SAKIP cycle past its batas waktu, the OPD, the new deadline, who may act."""

from __future__ import annotations

import html
from datetime import date, datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import formatting, messages
from bot.roles import Peran
from bot.services.acting import acting_roles
from bot.services.errors import Conflict, NotFound, NotRegistered
from bot.storage import models as m
from bot.working_calendar import DeadlineCalendar, parse_waktu
from bot.workflow import NotYourTask
from bot.workflow.state import CycleStatus

#: A teguran under way (at most one per OPD and cycle).
ACTIVE = ("konsep", "diajukan", "dikembalikan", "disetujui")


def frasa(tahap: str = "", keadaan: str = "") -> str:
    """A teguran's stage or an OPD's status in words (templates/chat/_teguran.html), plain."""
    return html.unescape(messages.render("teguran_frasa", tahap=tahap, keadaan=keadaan))


def about(row: m.Teguran, opd_nama: str) -> dict[str, str]:
    """The parameters of a refusal that names a teguran: its OPD, its stage, its nomor."""
    return {"opd_nama": opd_nama, "tahap": frasa(tahap=row.status), "nomor": row.nomor or ""}


def already(row: m.Teguran, opd_nama: str) -> Conflict:
    """A press on a teguran that has moved on."""
    return Conflict("teguran.sudah_bernomor" if row.nomor else "teguran.sudah", **about(row, opd_nama))


def today(now: datetime, tz: tzinfo) -> date:
    return now.astimezone(tz).date()


def open_cycle(s: Session, sop_name: str, now: datetime, tz: tzinfo) -> m.Cycle:
    """The open cycle whose letter's batas waktu has passed and whose verification window runs."""
    cycle = s.scalars(select(m.Cycle).where(m.Cycle.sop_name == sop_name, m.Cycle.status == CycleStatus.OPEN,
                                            m.Cycle.letter_deadline.is_not(None))
                      .order_by(m.Cycle.id.desc())).first()
    if cycle is None:
        raise NotFound("teguran.tanpa_siklus")
    if cycle.letter_deadline is not None and cycle.letter_deadline > now:
        raise Conflict("teguran.belum_lewat", batas=formatting.waktu_lengkap(cycle.letter_deadline, tz))
    if cycle.window_closes_at is not None and cycle.window_closes_at <= now:
        raise Conflict("teguran.masa_tutup", tutup=formatting.waktu_lengkap(cycle.window_closes_at, tz))
    return cycle


def progress_of(s: Session, cycle: m.Cycle, kode: str | None, cycle_opd_id: int | None) -> m.CycleOpd:
    """The OPD's progress in the cycle, by its code (typed) or its row (a button)."""
    query = select(m.CycleOpd).where(m.CycleOpd.cycle_id == cycle.id)
    if cycle_opd_id is not None:
        query = query.where(m.CycleOpd.id == cycle_opd_id)
    else:
        query = query.where(m.CycleOpd.opd_kode == (kode or "").strip().upper())
    progress = s.scalar(query)
    if progress is None:
        if kode is None:
            raise NotFound("teguran.tombol")
        raise NotFound("teguran.opd_tidak_dikenal", kode=kode[:40])
    return progress


def redraftable(s: Session, cycle: m.Cycle, progress: m.CycleOpd, opd: m.PerangkatDaerah,
                now: datetime, tz: tzinfo) -> m.Teguran | None:
    """Refuse unless a teguran may be drafted for the OPD now; returns the one to redraft (a konsep
    or a returned one), None for a new one."""
    from bot.services import teguran_surat as surat

    if surat.internal(opd):
        raise Conflict("teguran.setda", opd_nama=opd.nama)
    if progress.status not in surat.ELIGIBLE:
        raise Conflict("teguran.tidak_berlaku", opd_nama=opd.nama, keadaan=frasa(keadaan=progress.status))
    if (sent := running(s, cycle.id, opd.kode, now, tz)) is not None:  # the next one once its batas waktu passed
        raise Conflict("teguran.terkirim", **about(sent, opd.nama), pada=formatting.tanggal_jam(sent.signed_at, tz) if sent.signed_at else "",
                       batas=formatting.hari_tanggal(sent.batas_waktu))
    row = active(s, cycle.id, opd.kode)
    if row is not None and row.status in ("diajukan", "disetujui"):
        raise Conflict("teguran.diproses", **about(row, opd.nama))
    return row


def new_deadline(calendar: DeadlineCalendar, cycle: m.Cycle, now: datetime, hari: int) -> date:
    """`hari` working days from now, never after the close of the verification window."""
    tz = calendar.tz
    batas = calendar.due(now, parse_waktu(f"{hari} hari kerja")).astimezone(tz).date()
    if cycle.window_closes_at is not None:
        batas = min(batas, cycle.window_closes_at.astimezone(tz).date())
    if batas <= today(now, tz) and cycle.window_closes_at is not None:
        raise Conflict("teguran.masa_tutup", tutup=formatting.waktu_lengkap(cycle.window_closes_at, tz))
    return batas


def active(s: Session, cycle_id: int, kode: str) -> m.Teguran | None:
    return s.scalars(select(m.Teguran).where(m.Teguran.cycle_id == cycle_id, m.Teguran.opd_kode == kode,
                                             m.Teguran.status.in_(ACTIVE))).first()


def running(s: Session, cycle_id: int, kode: str, now: datetime, tz: tzinfo) -> m.Teguran | None:
    """A signed teguran whose new batas waktu has not passed yet."""
    return s.scalars(select(m.Teguran).where(m.Teguran.cycle_id == cycle_id, m.Teguran.opd_kode == kode,
                                             m.Teguran.status == "ditandatangani",
                                             m.Teguran.batas_waktu >= today(now, tz))).first()


def latest_status(s: Session, cycle_id: int, kode: str) -> str | None:
    return s.scalars(select(m.Teguran.status).where(
        m.Teguran.cycle_id == cycle_id, m.Teguran.opd_kode == kode, m.Teguran.status != "dibatalkan")
        .order_by(m.Teguran.id.desc())).first()


def row_of(s: Session, teguran_id: int) -> m.Teguran:
    row = s.get(m.Teguran, teguran_id)
    if row is None:
        raise NotFound("teguran.tombol")
    return row


def user_as(s: Session, telegram_id: int, role: Peran, now: datetime, tz: tzinfo) -> m.User:
    """The registered user, if they hold `role` (or act for it: Plh./Plt.)."""
    user = s.scalar(select(m.User).where(m.User.telegram_id == telegram_id, m.User.aktif))
    if user is None:
        raise NotRegistered()
    if user.peran != role.value and role.value not in acting_roles(s, user, now, tz):
        raise NotYourTask("teguran.bukan_peran", peran=role.label)
    return user
