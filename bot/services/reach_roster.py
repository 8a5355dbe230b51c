"""The OPD list as a whole (part of bot.services.reach): one invite per OPD without an operator,
and a CSV that replaces the list of active Perangkat Daerah."""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.clock import Clock
from bot.documents.alamat import pimpinan
from bot.roles import Peran
from bot.services import audit
from bot.services.directory import hash_token
from bot.services.opd_csv import OpdRow
from bot.services.errors import Conflict, InvalidInput
from bot.services.reach import ACTIVE_OPERATOR, unreached_opds
from bot.storage import Database
from bot.storage import models as m
from bot.workflow import CycleStatus, OpdStatus, TaskStatus

#: The longest an invite of `esakip-bot invite --semua --hari N` may last.
MAX_INVITE_DAYS = 90
#: OPD statuses of an open cycle that still expect something of the OPD.
UNFINISHED = tuple(status for status in OpdStatus if not status.finished)


@dataclass(frozen=True)
class OpdInvite:
    kode: str
    nama: str
    link: str
    expires_at: datetime
    pimpinan: str  # whom the sheet addresses ("Sekretaris DPRD", "Kepala Dinas Sosial")


@dataclass(frozen=True)
class OpdListing:
    kode: str
    nama: str
    singkatan: str
    jabatan_pimpinan: str
    aktif: bool
    operators: int


@dataclass(frozen=True)
class Replaced:
    imported: int
    deactivated: tuple[str, ...]  # "KODE Nama" of the OPDs now inactive
    forced: tuple[str, ...]  # of those, the ones that still have work in the open cycle


class Roster:
    def __init__(self, db: Database, clock: Clock, bot_username: str, invite_days: int = 7) -> None:
        self.db = db
        self.clock = clock
        self.bot_username = bot_username
        self.invite_days = invite_days

    def invite_all(self, days: int | None = None) -> list[OpdInvite]:
        """One single-use link per active OPD with no operator yet, in one transaction."""
        if days is not None and not 1 <= days <= MAX_INVITE_DAYS:
            raise InvalidInput("reach.invite_days", limit=MAX_INVITE_DAYS)
        now = self.clock.now()
        expires = now + timedelta(days=days or self.invite_days)
        issued = []
        with self.db.transaction() as s:
            heads = {kode: jabatan for kode, jabatan in s.execute(select(m.PerangkatDaerah.kode, m.PerangkatDaerah.jabatan_pimpinan))}
            for opd in unreached_opds(s):
                token = secrets.token_urlsafe(24)
                s.add(m.Invite(token_hash=hash_token(token), peran=Peran.OPD, opd_kode=opd.kode,
                               created_at=now, expires_at=expires))
                link = f"https://t.me/{self.bot_username}?start={token}"
                issued.append(OpdInvite(opd.kode, opd.nama, link, expires, heads.get(opd.kode) or pimpinan(opd.nama)))
            audit.record(s, at=now, action="invite_create_all", entity="invite",
                         after={"peran": Peran.OPD, "opd": [i.kode for i in issued], "expires_at": expires})
        return issued

    def listing(self) -> list[OpdListing]:
        with self.db.transaction(write=False) as s:
            counts: dict[str, int] = {}
            for kode in s.scalars(select(m.User.opd_kode).where(ACTIVE_OPERATOR)):
                if kode is not None:
                    counts[kode] = counts.get(kode, 0) + 1
            return [OpdListing(o.kode, o.nama, o.singkatan, o.jabatan_pimpinan or "", o.aktif, counts.get(o.kode, 0))
                    for o in s.scalars(select(m.PerangkatDaerah).order_by(m.PerangkatDaerah.id))]

    def replace(self, rows: list[OpdRow], *, force: bool = False) -> Replaced:
        """The file becomes the active list: its rows are inserted or updated and made active, every
        other OPD becomes inactive (never deleted). An OPD that still has work in an open cycle
        (an open task, or the letter still to come) stays active unless `force`; then nothing
        changes and the Conflict names them."""
        wanted = {r.kode for r in rows}
        now = self.clock.now()
        with self.db.transaction() as s:
            existing = {o.kode: o for o in s.scalars(select(m.PerangkatDaerah).order_by(m.PerangkatDaerah.id))}
            leaving = [o for kode, o in existing.items() if kode not in wanted and o.aktif]
            busy = set(s.scalars(select(m.CycleOpd.opd_kode).join(m.Cycle, m.Cycle.id == m.CycleOpd.cycle_id).where(
                m.Cycle.status == CycleStatus.OPEN, m.CycleOpd.status.in_(UNFINISHED),
                m.CycleOpd.opd_kode.in_([o.kode for o in leaving]))))
            busy |= set(s.scalars(select(m.Task.opd_kode).join(m.Cycle, m.Cycle.id == m.Task.cycle_id).where(
                m.Cycle.status == CycleStatus.OPEN, m.Task.status == TaskStatus.OPEN, m.Task.opd_kode.in_([o.kode for o in leaving]))))
            blocked = [f"{o.kode} {o.nama}" for o in leaving if o.kode in busy]
            if blocked and not force:
                raise Conflict("reach.replace_blocked", blocked="\n".join(f"  {b}" for b in blocked))
            for row in rows:
                current = existing.get(row.kode)
                jabatan = row.jabatan_pimpinan or None
                if current is None:
                    s.add(m.PerangkatDaerah(kode=row.kode, nama=row.nama, singkatan=row.singkatan,
                                            jabatan_pimpinan=jabatan, aktif=True))
                else:
                    current.nama, current.singkatan, current.aktif = row.nama, row.singkatan, True
                    current.jabatan_pimpinan = jabatan
            for opd in leaving:
                opd.aktif = False
            audit.record(s, at=now, action="opd_replace", entity="perangkat_daerah",
                         after={"jumlah": len(rows), "kode": sorted(wanted),
                                "dinonaktifkan": [o.kode for o in leaving], "dipaksa": force and bool(blocked)})
            return Replaced(len(rows), tuple(f"{o.kode} {o.nama}" for o in leaving), tuple(blocked))


def invites_csv(invites: list[OpdInvite], tz) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["kode", "nama", "tautan", "berlaku_sampai"])
    for invite in invites:
        writer.writerow([invite.kode, invite.nama, invite.link, invite.expires_at.astimezone(tz).isoformat(timespec="minutes")])
    return buffer.getvalue().encode("utf-8-sig")

