"""Who receives a task or a notice: the reachable users of a role (for a Perangkat Daerah, its
operators, else its head). Used by the notifier, the outbox and the alerts."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.roles import Peran
from bot.storage import models as m


def reachable_users(s: Session) -> list[m.User]:
    return list(s.scalars(select(m.User).where(m.User.aktif, m.User.unreachable_at.is_(None))
                          .order_by(m.User.id)))


def pick_recipients(users: Sequence[m.User], role: Peran, opd: str | None) -> list[m.User]:
    """Who receives a task: the role's users; for an OPD its operators, else its head."""
    if role in (Peran.OPD, Peran.KEPALA_OPD):
        operators = [u for u in users if u.peran == Peran.OPD.value and u.opd_kode == opd]
        return operators or [u for u in users if u.peran == Peran.KEPALA_OPD.value and u.opd_kode == opd]
    return [u for u in users if u.peran == role.value]


def recipients(s: Session, role: Peran, opd: str | None) -> list[m.User]:
    return pick_recipients(reachable_users(s), role, opd)
