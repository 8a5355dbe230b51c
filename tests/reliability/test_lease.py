"""The lease that keeps one `esakip-bot run` per database (issue 15, item 1)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from bot.storage import Database
from bot.storage.lease import TTL, AdvisoryLease, LeaseHeld, RowLease, holder_dead, process_holder

HOST = socket.gethostname()


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_row_lease_is_refused_while_held_and_taken_over_when_it_ran_out(sqlite_db, clock):
    first = RowLease(sqlite_db, holder="kantor-lain:123:aa")
    first.acquire(clock.now())
    second = RowLease(sqlite_db)
    with pytest.raises(LeaseHeld, match="host kantor-lain, PID 123"):
        second.acquire(clock.now() + TTL - timedelta(seconds=1))
    assert first.renew(clock.now() + timedelta(seconds=20))  # renewed: good for another TTL
    with pytest.raises(LeaseHeld):
        second.acquire(clock.now() + TTL + timedelta(seconds=1))
    second.acquire(clock.now() + timedelta(seconds=20) + TTL + timedelta(seconds=1))  # ran out
    assert not first.renew(clock.now() + timedelta(minutes=2))  # the old holder learns it lost it
    second.release()
    RowLease(sqlite_db, holder="x:1:b").acquire(clock.now())


def test_a_dead_holder_on_this_machine_is_taken_over_at_once(sqlite_db, clock):
    gone = f"{HOST}:{dead_pid()}:cc"
    assert holder_dead(gone) and not holder_dead(process_holder()) and not holder_dead("lain:1:x")
    assert holder_dead(f"{HOST}:{os.getpid()}:sebelumnya")  # our PID, an earlier process (a container's PID 1)
    RowLease(sqlite_db, holder=gone).acquire(clock.now())
    RowLease(sqlite_db).acquire(clock.now() + timedelta(seconds=1))  # long before it runs out


def test_an_advisory_lease_follows_its_connection(postgres_url, clock):
    if postgres_url is None:
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    db = Database(postgres_url)
    first, second = AdvisoryLease(db), AdvisoryLease(db, holder="lain:77:dd")
    try:
        first.acquire(clock.now())
        with pytest.raises(LeaseHeld, match=f"host {HOST}, PID {os.getpid()}"):
            second.acquire(clock.now())
        admin = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"),
                                 poolclass=NullPool, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:  # the server ends the lease's session
            ended = conn.execute(sa.text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                         "WHERE application_name LIKE 'esakip-bot run %' "
                                         "AND datname = current_database()")).scalar()
        admin.dispose()
        assert ended == 1
        assert first.renew(clock.now())  # noticed, and locked again on a new connection
        with pytest.raises(LeaseHeld):
            second.acquire(clock.now())
        first.release()
        second.acquire(clock.now())
        second.release()
    finally:
        first.release()
        db.dispose()
