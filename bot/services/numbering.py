"""Gap-free counters per name and year (letter numbers), safe under concurrent use."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.storage import models as m


def take_next(s: Session, name: str, tahun: int) -> int:
    """The next number, counted in the caller's unit of work (a rollback gives it back).

    The row is created if missing (without failing when two create it at once) and then locked
    until the unit of work ends, so two callers never receive the same number and none is skipped.
    """
    insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    s.execute(insert(m.NumberSequence).values(name=name, tahun=tahun, value=0)
              .on_conflict_do_nothing(index_elements=["name", "tahun"]))
    row = s.scalars(select(m.NumberSequence).where(m.NumberSequence.name == name,
                                                  m.NumberSequence.tahun == tahun)
                    .with_for_update().execution_options(populate_existing=True)).one()
    row.value += 1
    s.flush()
    return row.value


def peek_next(s: Session, name: str, tahun: int) -> int:
    current = s.scalar(select(m.NumberSequence.value).where(m.NumberSequence.name == name,
                                                           m.NumberSequence.tahun == tahun))
    return (current or 0) + 1
