"""Enum columns (bot/storage/types.py EnumText) store the strings they always stored, on SQLite and
PostgreSQL, and hand back enum members; a value outside the enum is refused, written or read."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from bot.roles import Peran
from bot.storage import models as m
from bot.storage.types import OutboxStatus
from bot.workflow import CycleStatus, Outcome, TaskStatus


def test_the_stored_values_are_the_plain_strings_and_read_back_as_members(svc, clock):
    with svc.db.transaction() as s:
        sekda = s.scalars(select(m.User).where(m.User.telegram_id == 1001)).one()
        cycle = m.Cycle(sop_name="esakip", sop_version=1, tahun=2026, status="open", opened_at=clock.now(),
                        opened_by=sekda.id, letter={})
        s.add(cycle)
        s.flush()
        task = m.Task(cycle_id=cycle.id, seq=1, step=1, role="sekda", status=TaskStatus.DONE,
                      started_at=clock.now(), outcome="forwarded", alert_level=0)
        s.add(task)
        s.flush()
        # A string given to the attribute reads as the member before anything is flushed or loaded.
        assert cycle.status is CycleStatus.OPEN and task.role is Peran.SEKDA and task.outcome is Outcome.FORWARDED
        ids = cycle.id, task.id
    with svc.db.transaction(write=False) as s:
        raw = s.execute(text("SELECT c.status, t.role, t.status, t.outcome, u.peran FROM cycles c "
                             "JOIN tasks t ON t.cycle_id = c.id JOIN users u ON u.id = c.opened_by "
                             "WHERE t.id = :id"), {"id": ids[1]}).one()
        assert tuple(raw) == ("open", "sekda", "done", "forwarded", "sekda")
        assert all(type(value) is str for value in raw)  # the driver's plain strings: nothing new stored
        task = s.get(m.Task, ids[1])
        assert task.status is TaskStatus.DONE and task.role is Peran.SEKDA and task.outcome is Outcome.FORWARDED
        # Queries compare with members or with the same strings.
        assert s.scalar(select(m.Cycle.id).where(m.Cycle.status == CycleStatus.OPEN)) == ids[0]
        assert s.scalar(select(m.Cycle.id).where(m.Cycle.status == "open")) == ids[0]


def test_a_value_outside_the_enum_is_refused_when_set_and_when_read(svc):
    with pytest.raises(ValueError, match="raja"):
        m.User(telegram_id=5, nama="x", peran="raja")
    with pytest.raises(ValueError):
        m.Outbox(status="hilang")
    assert m.Outbox(status="sent").status is OutboxStatus.SENT
    with svc.db.transaction() as s:
        s.execute(text("UPDATE users SET peran = 'raja' WHERE telegram_id = 1001"))  # written around the ORM
    with svc.db.transaction(write=False) as s, pytest.raises(ValueError, match="raja"):
        s.scalars(select(m.User).where(m.User.telegram_id == 1001)).one()
