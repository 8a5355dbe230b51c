"""Shared fixtures: a frozen clock, and a migrated database on SQLite and, when one answers on
127.0.0.1:5432, on a fresh PostgreSQL database as well.

Every fixture here is safe under pytest-xdist (`make test` runs `-n auto`): SQLite files live in
each test's tmp_path, the PostgreSQL database is created per worker process (its name carries the
worker id), and every server (Bot API double, board, bot subprocesses) binds port 0. See
docs/TESTING.md."""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.clock import FrozenClock
from bot.storage import Database
from bot.storage.migrate import upgrade

PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_ADMIN_URL = os.environ.get("ESAKIP_TEST_PG_ADMIN", f"postgresql://postgres@{PG_HOST}:{PG_PORT}/postgres")

#: Tuesday 24 November 2026, 10.00 WIB.
START = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)


#: The longest tests (seconds on this 2-core machine, docs/TESTING.md), handed out first when
#: xdist runs the suite so that no worker is left with a long test at the end. Only the order
#: of a parallel run changes; a stale entry costs nothing.
HEAVY_FIRST = (
    "tests/reliability/test_kill9.py",  # 27 s, five kill -9 of a real bot process
    "tests/reliability/test_fuzz_updates.py",  # 20 s
    "tests/reports/test_bot.py",  # 20 s, a whole cycle then the recap in chat
    "tests/e2e/test_full_cycle.py",
    "tests/e2e/test_step_names.py",
    "tests/reliability/test_second_run.py",  # 13 s of real waits (the lease back-off)
    "tests/reliability/test_filenames.py",
    "tests/webapp/test_browser.py",  # Chromium
    "tests/reliability/test_send_timeout.py",  # a 7-second answer, waited for
    "tests/e2e/test_broadcast.py",
    "tests/e2e/test_workers.py",
    "tests/e2e/test_letter_content.py",
    "tests/e2e/test_incoming_letter.py",
    "tests/reliability/test_reply_retry.py",
    "tests/reliability/test_postgres_faults.py",
    "tests/unit/test_typing.py",  # mypy in a subprocess
    "tests/reports/test_recap_service.py",
    "tests/reliability/test_backup.py",
    "tests/e2e/test_rules.py",
    "tests/e2e/test_app.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under xdist, the heavy files first (in HEAVY_FIRST's order), the rest as collected."""
    if not getattr(config.option, "numprocesses", None) and "PYTEST_XDIST_WORKER" not in os.environ:
        return
    rank = {path: index for index, path in enumerate(HEAVY_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))  # stable


def postgres_available() -> bool:
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    db.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    if not postgres_available():
        yield None
        return
    import sqlalchemy as sa

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")  # gw0, gw1... under xdist
    name = f"esakip_test_{worker}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"),
                             isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except Exception:  # noqa: BLE001  (no rights, no server: run on SQLite only)
        admin.dispose()
        yield None
        return
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    db = Database(url)
    upgrade(db)
    db.dispose()
    yield url
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def _truncate_all(db: Database) -> None:
    from bot.storage.base import Base

    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    """A migrated, empty database; the storage and service tests run on both engines."""
    if request.param == "sqlite":
        path = tmp_path / "esakip.db"
        shutil.copy(sqlite_template, path)
        database = Database(f"sqlite:///{path}")
    else:
        url = request.getfixturevalue("postgres_url")
        if url is None:
            pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
        database = Database(url)
        _truncate_all(database)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    path = tmp_path / "esakip.db"
    shutil.copy(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


@pytest.fixture
def pg_db(postgres_url: str | None) -> Iterator[Database]:
    """An empty PostgreSQL database only (for tests of several processes on one server)."""
    if postgres_url is None:
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    database = Database(postgres_url)
    _truncate_all(database)
    yield database
    database.dispose()
