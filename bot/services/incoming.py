"""The incoming letter (surat masuk) a cycle answers: optional, registered by the Sekda or an
admin when starting the cycle (number, date, sender and a scan), printed on the lembar
disposisi of steps 1-3 and kept in the archive with the cycle's documents.

It can be registered (or corrected) until step 1 has been disposed: the three lembar disposisi
of one cycle then all name the same letter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import formatting
from bot.clock import Clock
from bot.roles import Peran
from bot.services import audit
from bot.services.errors import Conflict, InvalidInput, NotFound, NotRegistered
from bot.storage import Database
from bot.storage import models as m
from bot.workflow import CycleStatus, TaskStatus

#: Who may register the incoming letter: those who may start a cycle.
MAY_ATTACH = (Peran.SEKDA, Peran.ADMIN)
MAX_NOMOR, MAX_PENGIRIM = 100, 200
#: The oldest letter date accepted (a typo such as 1026 is refused, not printed).
OLDEST = date(2000, 1, 1)


@dataclass(frozen=True)
class IncomingLetter:
    cycle_id: int
    tahun: int
    nomor: str
    tanggal: date
    pengirim: str
    scan_name: str | None = None


def clean_nomor(text: str | None) -> str:
    value = " ".join((text or "").split())
    if not value or len(value) > MAX_NOMOR:
        raise InvalidInput("incoming.nomor_required", limit=MAX_NOMOR)
    return value


def clean_pengirim(text: str | None) -> str:
    value = " ".join((text or "").split())
    if not value or len(value) > MAX_PENGIRIM:
        raise InvalidInput("incoming.pengirim_required", limit=MAX_PENGIRIM)
    return value


def parse_tanggal_surat(text: str | None, today: date) -> date:
    try:
        value = formatting.parse_tanggal(text or "")
    except ValueError:
        raise InvalidInput("incoming.tanggal_unreadable") from None
    if value > today:
        raise InvalidInput("incoming.tanggal_future", tanggal=formatting.tanggal(value))
    if value < OLDEST:
        raise InvalidInput("incoming.tanggal_too_old", tanggal=formatting.tanggal(value))
    return value


def load_incoming(s: Session, cycle_id: int) -> m.SuratMasuk | None:
    return s.scalar(select(m.SuratMasuk).where(m.SuratMasuk.cycle_id == cycle_id))


class IncomingLetters:
    def __init__(self, db: Database, clock: Clock, tz: tzinfo) -> None:
        self.db = db
        self.clock = clock
        self.tz = tz  # the deployment's zone

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    def check(self, telegram_id: int, cycle_id: int) -> int:
        """The cycle's year, if this user may register its incoming letter now; else the reason."""
        with self.db.transaction(write=False) as s:
            return _attachable(s, telegram_id, cycle_id, self.tz)[1].tahun

    def record(self, telegram_id: int, cycle_id: int, nomor: str, tanggal: date, pengirim: str,
               scan: Mapping[str, Any] | None) -> IncomingLetter:
        """Register (or replace) the cycle's incoming letter and its scan, in one unit of work."""
        nomor, pengirim = clean_nomor(nomor), clean_pengirim(pengirim)
        now = self.clock.now()
        with self.db.transaction() as s:
            user, cycle = _attachable(s, telegram_id, cycle_id, self.tz)
            row = load_incoming(s, cycle.id)
            if row is None:
                row = m.SuratMasuk(cycle_id=cycle.id, nomor=nomor, tanggal=tanggal, pengirim=pengirim,
                                   recorded_at=now, recorded_by=user.id)
                s.add(row)
            before = None if row.id is None else {"nomor": row.nomor, "tanggal": row.tanggal.isoformat(),
                                                  "pengirim": row.pengirim}
            row.nomor, row.tanggal, row.pengirim = nomor, tanggal, pengirim
            row.recorded_at, row.recorded_by = now, user.id
            if scan is not None:
                doc = m.Document(cycle_id=cycle.id, kind="surat_masuk", nomor=nomor,
                                 filename=str(scan["filename"]), mime_type=str(scan["mime_type"]),
                                 file_path=str(scan["path"]), size=int(scan["size"]),
                                 sha256=str(scan["sha256"]), created_at=now, created_by=user.id)
                s.add(doc)
                s.flush()
                row.document_id = doc.id
            s.flush()
            audit.record(s, at=now, action="incoming_letter", entity="surat_masuk", entity_id=row.id,
                         actor_id=user.id, actor_label=user.nama, cycle_id=cycle.id, before=before,
                         after={"nomor": nomor, "tanggal": tanggal.isoformat(), "pengirim": pengirim,
                                "pindaian": scan["sha256"] if scan else None})
            scan_doc = s.get(m.Document, row.document_id) if row.document_id else None
            return IncomingLetter(cycle.id, cycle.tahun, nomor, tanggal, pengirim,
                                  scan_doc.filename if scan_doc else None)


def _attachable(s: Session, telegram_id: int, cycle_id: int, tz: tzinfo) -> tuple[m.User, m.Cycle]:
    user = s.scalar(select(m.User).where(m.User.telegram_id == telegram_id, m.User.aktif))
    if user is None:
        raise NotRegistered()
    if user.peran not in MAY_ATTACH:
        raise Conflict("incoming.attacher_only")
    cycle = s.get(m.Cycle, cycle_id)
    if cycle is None:
        raise NotFound("cycle.cycle_unknown", cycle_id=cycle_id)
    if cycle.status != CycleStatus.OPEN:
        raise Conflict("incoming.cycle_closed", tahun=cycle.tahun)
    disposed = s.scalar(select(m.Task.completed_at).where(
        m.Task.cycle_id == cycle.id, m.Task.step == 1, m.Task.status == TaskStatus.DONE).limit(1))
    if disposed is not None:
        raise Conflict("incoming.already_disposed", at=formatting.tanggal_jam(disposed, tz))
    return user, cycle


__all__ = ["IncomingLetter", "IncomingLetters", "clean_nomor", "clean_pengirim",
           "load_incoming", "parse_tanggal_surat"]
