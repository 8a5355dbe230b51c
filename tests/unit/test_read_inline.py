"""`read` runs a short read on the event loop on SQLite and in a worker thread elsewhere;
`call` always uses a worker thread (a write may wait for SQLite's write lock)."""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

import pytest

from bot.storage import Database
from bot.workflow import DomainError
from conversations.common import call, read


def services_on(db: Database) -> Any:
    return SimpleNamespace(db=db)


def which_thread(_: object = None) -> int:
    return threading.get_ident()


async def test_on_sqlite_a_read_stays_on_the_event_loop(sqlite_db: Database) -> None:
    assert await read(services_on(sqlite_db), which_thread) == threading.get_ident()
    assert await call(which_thread) != threading.get_ident()


async def test_elsewhere_a_read_goes_to_a_worker_thread(pg_db: Database) -> None:
    assert await read(services_on(pg_db), which_thread) != threading.get_ident()


@pytest.mark.parametrize("backend", ["sqlite_db", "pg_db"])
async def test_a_refusal_reaches_the_handler_either_way(backend: str, request: pytest.FixtureRequest) -> None:
    db = request.getfixturevalue(backend)

    def refuse() -> None:
        raise DomainError("cycle.cycle_unknown", cycle_id=7)

    with pytest.raises(DomainError) as refused:
        await read(services_on(db), refuse)
    assert refused.value.code == "cycle.cycle_unknown" and "7" in str(refused.value)
