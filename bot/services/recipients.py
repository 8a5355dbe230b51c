"""Who receives a task or a notice: the reachable users of a role (for a Perangkat Daerah, its
operators, else its head). Used by the notifier, the outbox and the alerts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import formatting
from bot.roles import Peran
from bot.services.acting import ActingMap
from bot.storage import models as m


def reachable_users(s: Session) -> list[m.User]:
    return list(s.scalars(select(m.User).where(m.User.aktif, m.User.unreachable_at.is_(None))
                          .order_by(m.User.id)))


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
    return pick_recipients(reachable_users(s), role, opd, acting)
