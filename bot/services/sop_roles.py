"""Which roles an SOP names that no registered user holds (`esakip-bot sop check --db`)."""

from __future__ import annotations

from sqlalchemy import select

from bot.roles import Peran
from bot.sop import SopDefinition
from bot.storage import Database
from bot.storage import models as m


def named_roles(sop: SopDefinition) -> list[str]:
    """Every role the SOP acts through: its pelaksana, receipts and starters, in step order."""
    found: list[str] = []
    for step in sop.steps:
        for role in (step.pelaksana, step.receipt_by):
            if role is not None and str(role) not in found:
                found.append(str(role))
    for role in sop.starters:
        if str(role) not in found:
            found.append(str(role))
    return found


def unheld_roles(db: Database, sop: SopDefinition) -> list[tuple[str, str]]:
    """(role, label) for each role of the SOP that no active user holds (a Perangkat Daerah's
    task also reaches its head, so kepala_opd counts for opd)."""
    with db.transaction(write=False) as s:
        held = set(s.scalars(select(m.User.peran).where(m.User.aktif)).all())
    if Peran.KEPALA_OPD in held:
        held.add(Peran.OPD)
    return [(role, sop.roles.get(role) or Peran(role).label) for role in named_roles(sop) if role not in held]
