"""Who receives a task or a notice: the reachable users of a role (for a Perangkat Daerah, its
operators, else its head). Used by the notifier, the outbox and the alerts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot import formatting
from bot.roles import Peran
from bot.services.acting import ActingMap
from bot.storage import models as m


_REACHABLE = select(m.User).where(m.User.aktif, m.User.unreachable_at.is_(None)).order_by(m.User.id)
_OF_OPD = _REACHABLE.where(m.User.opd_kode == bindparam("opd"), m.User.peran.in_([Peran.OPD, Peran.KEPALA_OPD]))
_OF_ROLE = _REACHABLE.where(m.User.peran == bindparam("peran"))


def reachable_users(s: Session) -> list[m.User]:
    return list(s.scalars(_REACHABLE))


class Reachable:
    """The reachable users a transition's new tasks go to, read as they are needed: those of the
    role (or of the OPD) for the few tasks a press opens, everyone at once for a fan-out (the
    distribution opens a task per OPD). A press used to read all the regency's users."""

    FEW = 4  # distinct (role, OPD) asked for before everyone is read at once

    def __init__(self, s: Session) -> None:
        self.s = s
        self._of: dict[tuple[Peran, str | None], list[m.User]] = {}
        self._everyone_read = False

    def candidates(self, role: Peran, opd: str | None) -> list[m.User]:
        """Users among whom pick_recipients(…, role, opd) finds the same as among everyone."""
        key = _key(role, opd)
        if not self._everyone_read and len(self._of) >= self.FEW:
            self._of, self._everyone_read = _grouped(reachable_users(self.s)), True
        if key not in self._of:
            if self._everyone_read:
                return []
            opd_role = role in (Peran.OPD, Peran.KEPALA_OPD)
            query, params = (_OF_OPD, {"opd": opd}) if opd_role else (_OF_ROLE, {"peran": role})
            self._of[key] = list(self.s.scalars(query, params))
        return self._of[key]


def _key(role: Peran, opd: str | None) -> tuple[Peran, str | None]:
    """An OPD's operators and its head are candidates together (the head stands in for them)."""
    return (Peran.OPD, opd) if role in (Peran.OPD, Peran.KEPALA_OPD) else (role, None)


def _grouped(users: list[m.User]) -> dict[tuple[Peran, str | None], list[m.User]]:
    """Everyone, under the key each one is a candidate for (so a fan-out of 200 tasks does not
    scan every user 200 times)."""
    groups: dict[tuple[Peran, str | None], list[m.User]] = {}
    for user in users:
        groups.setdefault(_key(user.peran, user.opd_kode), []).append(user)
    return groups


def pick_recipients(users: Sequence[m.User], role: Peran, opd: str | None,
                    acting: ActingMap | None = None) -> list[m.User]:
    """Who receives a task: the role's users (and who acts for them, `acting`); for an OPD its
    operators, else its head."""
    if role in (Peran.OPD, Peran.KEPALA_OPD):
        operators = [u for u in users if u.peran == Peran.OPD and u.opd_kode == opd]
        return operators or [u for u in users if u.peran == Peran.KEPALA_OPD and u.opd_kode == opd]
    found = [u for u in users if u.peran == role.value]
    return acting.apply(found, role) if acting is not None else found


def recipients(s: Session, role: Peran, opd: str | None, now: datetime | None = None, *,
               tz: tzinfo | None = None, skip_absent: bool = False) -> list[m.User]:
    """The role's reachable users; with `now` (and the deployment's zone `tz`), also whoever acts
    for the role then (Plh./Plt.), and with `skip_absent` (escalations, the digest) without the
    official they act for."""
    # Who acts for the role only: no task here, so no task's assignment is read.
    acting = ActingMap.load(s, now, formatting.zone(tz, now), skip_absent=skip_absent, task_ids=()) if now else None
    return pick_recipients(Reachable(s).candidates(role, opd), role, opd, acting)
