"""Who is who: Perangkat Daerah, users and invites. (The OPD list's CSV file is read by
bot/services/opd_csv.py; its names are re-exported here.)"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.roles import Peran, parse_peran
from bot.services import audit
from bot.services.invite_attempts import InviteAttempts
from bot.services.opd_csv import CsvImportError, OpdRow, bundled_opd, parse_opd_csv
from bot.services.errors import Conflict, InvalidInput, NotFound, NotRegistered
from bot.storage import Database
from bot.storage import models as m

#: Seconds a "yes, registered" answer of `Directory.find_user` is trusted in this process, by the
#: guard and the reassign offer after /tugas only. Whatever changes or shows cycle data checks the
#: user again in its own unit of work (tasks, alerts, recap, letters, reassign), so a person removed
#: with `esakip-bot user remove` (another process) is refused there at once; for at most this long
#: they still pass the guard, so they can check a signed letter's code with /verifikasi, and a file
#: they upload in an open form is checked for type and size and kept, then refused by the service.
REGISTERED_TTL = 30.0
_ACTIVE_USER = select(m.User).where(m.User.telegram_id == bindparam("tg"), m.User.aktif)  # built once


@dataclass(frozen=True)
class UserInfo:
    id: int
    telegram_id: int
    nama: str
    peran: Peran
    opd_kode: str | None
    opd_nama: str | None
    jabatan: str | None
    nip: str | None
    aktif: bool
    pangkat: str | None = None

    @property
    def label(self) -> str:
        where = f", {self.opd_nama}" if self.opd_nama else ""
        return f"{self.nama} ({self.peran.label}{where})"


@dataclass(frozen=True)
class IssuedInvite:
    token: str
    peran: Peran
    opd_kode: str | None
    expires_at: datetime


def _text(value: str | None, limit: int = 200) -> str | None:
    text = " ".join((value or "").split())
    if len(text) > limit:
        raise InvalidInput("directory.field_too_long", limit=limit, start=text[:40])
    return text or None


def _nip(value: str | None) -> str | None:
    """An NIP as its 18 digits (typed with or without spaces), or None."""
    digits = "".join((value or "").split())
    if not digits:
        return None
    if not (digits.isdigit() and len(digits) == 18):
        raise InvalidInput("directory.nip_invalid")
    return digits


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_info(user: m.User) -> UserInfo:
    return UserInfo(
        id=user.id, telegram_id=user.telegram_id, nama=user.nama, peran=user.peran,
        opd_kode=user.opd_kode, opd_nama=user.opd.nama if user.opd else None,
        jabatan=user.jabatan, nip=user.nip, aktif=user.aktif, pangkat=user.pangkat,
    )


class Directory:
    def __init__(self, db: Database, clock: Clock, invite_days: int = 7) -> None:
        self.db = db
        self.clock = clock
        self.invite_days = invite_days
        self._registered_until: dict[int, tuple[float, Peran]] = {}  # telegram id -> (deadline, role)
        self.attempts = InviteAttempts(db, clock)  # telegram id -> time.monotonic() deadline

    # -- Perangkat Daerah -------------------------------------------------------------------

    def list_opd(self) -> list[OpdRow]:
        with self.db.transaction(write=False) as s:
            rows = s.scalars(select(m.PerangkatDaerah).order_by(m.PerangkatDaerah.id)).all()
            return [OpdRow(r.kode, r.nama, r.singkatan, r.jabatan_pimpinan or "") for r in rows]

    def import_opd(self, rows: list[OpdRow], *, only_if_empty: bool = False) -> int:
        """Insert or update the given Perangkat Daerah in one transaction; returns the count."""
        with self.db.transaction() as s:
            if only_if_empty and s.scalar(select(func.count(m.PerangkatDaerah.id))):
                return 0
            existing = {r.kode: r for r in s.scalars(select(m.PerangkatDaerah))}
            for row in rows:
                current = existing.get(row.kode)
                jabatan = row.jabatan_pimpinan or None
                if current is None:
                    s.add(m.PerangkatDaerah(kode=row.kode, nama=row.nama, singkatan=row.singkatan,
                                            jabatan_pimpinan=jabatan))
                else:
                    current.nama, current.singkatan, current.aktif = row.nama, row.singkatan, True
                    current.jabatan_pimpinan = jabatan
            audit.record(s, at=self.clock.now(), action="opd_import", entity="perangkat_daerah",
                         after={"jumlah": len(rows), "kode": [r.kode for r in rows]})
            return len(rows)

    # -- users ------------------------------------------------------------------------------

    def add_user(self, telegram_id: int, nama: str, peran: str, opd: str | None = None,
                 jabatan: str | None = None, nip: str | None = None,
                 pangkat: str | None = None) -> UserInfo:
        role = parse_peran(peran)
        nama = nama.strip()
        jabatan, nip, pangkat = _text(jabatan), _nip(nip), _text(pangkat, 100)
        if not nama:
            raise InvalidInput("directory.nama_required")
        if telegram_id <= 0:
            raise InvalidInput("directory.telegram_id_invalid")
        with self.db.transaction() as s:
            opd_kode = self._check_opd(s, role, opd)
            if s.scalar(select(m.User).where(m.User.telegram_id == telegram_id)):
                raise Conflict("directory.user_exists", telegram_id=telegram_id)
            user = m.User(telegram_id=telegram_id, nama=nama, peran=role.value, opd_kode=opd_kode,
                          jabatan=jabatan, nip=nip, pangkat=pangkat, aktif=True,
                          created_at=self.clock.now())
            s.add(user)
            s.flush()
            s.refresh(user)
            audit.record(s, at=self.clock.now(), action="user_add", entity="user", entity_id=user.id,
                         after=user_info(user))
            return user_info(user)

    def update_user(self, telegram_id: int, *, nama: str | None = None, jabatan: str | None = None,
                    nip: str | None = None, pangkat: str | None = None) -> UserInfo:
        """Change what was given (the name, jabatan, NIP and pangkat a signed letter prints)."""
        changes = {k: v for k, v in (("nama", _text(nama)), ("jabatan", _text(jabatan)), ("nip", _nip(nip)),
                                     ("pangkat", _text(pangkat, 100))) if v is not None}
        if not changes:
            raise InvalidInput("directory.nothing_to_update")
        with self.db.transaction() as s:
            user = s.scalar(select(m.User).where(m.User.telegram_id == telegram_id))
            if user is None:
                raise NotFound("directory.user_unknown", telegram_id=telegram_id)
            before = user_info(user)
            for key, value in changes.items():
                setattr(user, key, value)
            s.flush()
            audit.record(s, at=self.clock.now(), action="user_update", entity="user", entity_id=user.id,
                         before=before, after=user_info(user))
            return user_info(user)

    def list_users(self) -> list[UserInfo]:
        with self.db.transaction(write=False) as s:
            users = s.scalars(select(m.User).order_by(m.User.peran, m.User.nama)).all()
            return [user_info(u) for u in users]

    def remove_user(self, telegram_id: int) -> UserInfo:
        """Deactivate (never delete: the audit log refers to users)."""
        with self.db.transaction() as s:
            user = s.scalar(select(m.User).where(m.User.telegram_id == telegram_id))
            if user is None:
                raise NotFound("directory.user_unknown", telegram_id=telegram_id)
            before = user_info(user)
            user.aktif = False
            audit.record(s, at=self.clock.now(), action="user_remove", entity="user",
                         entity_id=user.id, before=before, after=user_info(user))
            removed = user_info(user)
        self._registered_until.pop(telegram_id, None)  # after the commit: no yes read before it stays
        return removed

    def find_user(self, telegram_id: int) -> UserInfo | None:
        """The active user; a yes is remembered (REGISTERED_TTL), a no never is."""
        with self.db.transaction(write=False) as s:
            info = user_info(user) if (user := s.scalar(_ACTIVE_USER, {"tg": telegram_id})) else None
        if info is not None:
            self._registered_until[telegram_id] = (time.monotonic() + REGISTERED_TTL, info.peran)
        return info

    def known_peran(self, telegram_id: int) -> Peran | None:
        """The role of a user found active less than REGISTERED_TTL seconds ago (no query)."""
        until, peran = self._registered_until.get(telegram_id, (0.0, None))
        return peran if until > time.monotonic() else None

    def known_registered(self, telegram_id: int) -> bool:
        return self.known_peran(telegram_id) is not None

    def is_registered(self, telegram_id: int) -> bool:  # a yes is remembered (find_user)
        return self.known_registered(telegram_id) or self.find_user(telegram_id) is not None

    def mark_reachable(self, telegram_id: int) -> None:
        """The person wrote to the bot again (e.g. after unblocking it): deliver to them again."""
        with self.db.transaction() as s:
            user = s.scalar(select(m.User).where(m.User.telegram_id == telegram_id))
            if user is not None and user.unreachable_at is not None:
                user.unreachable_at = None

    def require_user(self, telegram_id: int) -> UserInfo:
        user = self.find_user(telegram_id)
        if user is None:
            raise NotRegistered()
        return user

    # -- invites ----------------------------------------------------------------------------

    def create_invite(self, peran: str, opd: str | None = None, days: int | None = None) -> IssuedInvite:
        role = parse_peran(peran)
        token = secrets.token_urlsafe(24)  # 32 URL-safe characters, fits Telegram's 64-char start
        now = self.clock.now()
        expires = now + timedelta(days=days or self.invite_days)
        with self.db.transaction() as s:
            opd_kode = self._check_opd(s, role, opd)
            invite = m.Invite(token_hash=hash_token(token), peran=role.value, opd_kode=opd_kode,
                              created_at=now, expires_at=expires)
            s.add(invite)
            s.flush()
            audit.record(s, at=now, action="invite_create", entity="invite", entity_id=invite.id,
                         after={"peran": role.value, "opd": opd_kode, "expires_at": expires})
        return IssuedInvite(token, role, opd_kode, expires)

    def redeem_invite(self, token: str, telegram_id: int, nama: str) -> UserInfo:
        """Bind a Telegram user to the invite's role; single use, expiring. A user with too many
        failed tokens lately gets TooManyAttempts, whatever the token (see invite_attempts)."""
        self.attempts.check(telegram_id)
        try:
            return self._redeem(token, telegram_id, nama)
        except NotFound:
            self.attempts.record_failure(telegram_id, "unknown")
            raise
        except Conflict:
            self.attempts.record_failure(telegram_id, "used_or_expired")
            raise

    def _redeem(self, token: str, telegram_id: int, nama: str) -> UserInfo:
        now = self.clock.now()
        with self.db.transaction() as s:
            invite = s.scalar(select(m.Invite).where(m.Invite.token_hash == hash_token(token)))
            if invite is None:
                raise NotFound("directory.invite_unknown")
            if invite.used_at is not None:
                raise Conflict("directory.invite_used")
            if invite.expires_at <= now:
                raise Conflict("directory.invite_expired")
            user = s.scalar(select(m.User).where(m.User.telegram_id == telegram_id))
            before = user_info(user) if user else None
            if user is None:
                user = m.User(telegram_id=telegram_id, nama=nama.strip()[:200] or str(telegram_id),
                              peran=invite.peran, opd_kode=invite.opd_kode, aktif=True, created_at=now)
                s.add(user)
            else:
                user.peran, user.opd_kode, user.aktif = invite.peran, invite.opd_kode, True
            s.flush()
            invite.used_at, invite.used_by = now, user.id
            try:
                s.flush()
            except IntegrityError:
                raise Conflict("directory.redeem_clash") from None
            s.refresh(user)
            audit.record(s, at=now, action="invite_redeem", entity="user", entity_id=user.id,
                         actor_id=user.id, actor_label=user.nama, before=before, after=user_info(user))
            self._registered_until.pop(telegram_id, None)  # the role may change: look again next time
            return user_info(user)

    @staticmethod
    def _check_opd(s: Session, role: Peran, opd: str | None) -> str | None:
        if not role.needs_opd:
            if opd:
                raise InvalidInput("directory.opd_not_for_role", peran=role.value)
            return None
        if not opd:
            raise InvalidInput("directory.opd_required", peran=role.value)
        kode = opd.strip().upper()
        if s.scalar(select(m.PerangkatDaerah).where(m.PerangkatDaerah.kode == kode)) is None:
            known = list(s.scalars(select(m.PerangkatDaerah.kode).order_by(m.PerangkatDaerah.id)))
            if not known:
                raise InvalidInput("directory.opd_unknown_none_yet", kode=kode)
            raise InvalidInput("directory.opd_unknown", kode=kode, known=known)
        return kode


__all__ = ["CsvImportError", "Directory", "IssuedInvite", "OpdRow", "UserInfo", "bundled_opd", "hash_token",
           "parse_opd_csv", "user_info"]
