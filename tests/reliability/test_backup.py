"""`esakip-bot backup --out FILE` while the bot writes (issue 15, item 10): every unit of work
committed before the backup began is in the copy, and the copy is one consistent instant."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.config import Settings
from bot.services.container import build_services
from bot.storage import Database
from bot.storage.backup import BackupError, backup
from tests.reliability.procs import ROOT

FIRST_ID = 700_000


class Writer(threading.Thread):
    """Registers users one use-case at a time until stopped; `committed` counts the commits."""

    def __init__(self, db: Database, tmp_path: Path) -> None:
        super().__init__(daemon=True)
        self.svc = build_services(Settings(_env_file=None, database_url=db.url, data_dir=tmp_path), db=db)
        self.committed = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            n = self.committed
            self.svc.directory.add_user(FIRST_ID + n, f"Pegawai {n:05d}", "tim_sakip", None)
            self.committed = n + 1


def cli_backup(db_url: str, out: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESAKIP_")}
    env["ESAKIP_DATABASE_URL"] = db_url
    return subprocess.run([sys.executable, "-c", "from bot.cli import main; main()", "backup", "--out", str(out)],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


def users_in(url: str) -> list[int]:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        ids = [row[0] for row in conn.execute(sa.text(
            "SELECT telegram_id FROM users WHERE telegram_id >= :f ORDER BY telegram_id"), {"f": FIRST_ID})]
        audited = conn.execute(sa.text("SELECT count(*) FROM audit_log")).scalar()
    engine.dispose()
    assert audited >= len(ids)  # each registration's audit row came with it
    return ids


def backup_under_load(db: Database, tmp_path: Path, out: Path) -> tuple[int, subprocess.CompletedProcess[str]]:
    writer = Writer(db, tmp_path)
    writer.start()
    try:
        while writer.committed < 50:
            threading.Event().wait(0.01)
        before = writer.committed
        done = cli_backup(db.url, out)
        assert writer.committed > before  # the writer went on while the copy was taken
    finally:
        writer.stopping.set()
        writer.join(30)
    return before, done


def test_sqlite_backup_during_load_holds_every_commit_before_it(sqlite_db, tmp_path):
    out = tmp_path / "cadangan.db"
    before, done = backup_under_load(sqlite_db, tmp_path, out)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Cadangan ditulis ke") and "Traceback" not in done.stderr
    with sqlite3_connect(out) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    ids = users_in(f"sqlite:///{out}")
    assert ids == list(range(FIRST_ID, FIRST_ID + len(ids)))  # a prefix: one consistent instant
    assert len(ids) >= before
    assert not list(tmp_path.glob("*.partial"))


def sqlite3_connect(path: Path):  # type: ignore[no-untyped-def]
    import sqlite3
    from contextlib import closing

    return closing(sqlite3.connect(path))


def test_postgresql_backup_during_load_restores_every_commit_before_it(postgres_url, tmp_path):
    if postgres_url is None:
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore are not installed")
    from tests.conftest import PG_ADMIN_URL, _truncate_all

    db = Database(postgres_url)
    _truncate_all(db)
    out = tmp_path / "cadangan.dump"
    try:
        before, done = backup_under_load(db, tmp_path, out)
    finally:
        db.dispose()
    assert done.returncode == 0, done.stderr
    name = f"esakip_restore_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"),
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    restored = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={restored}", str(out)], check=True,
                       capture_output=True, timeout=120)
        ids = users_in(restored)
        assert ids == list(range(FIRST_ID, FIRST_ID + len(ids))) and len(ids) >= before
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def test_without_pg_dump_one_line_says_how(monkeypatch, tmp_path):
    from bot.storage import backup as module

    monkeypatch.setattr(module.shutil, "which", lambda name: None)
    db = Database.__new__(Database)  # only the URL and the dialect are looked at
    db.url = "postgresql://esakip:rahasia@db.example/esakip"
    db.engine = sa.create_engine("postgresql+psycopg://esakip:rahasia@db.example/esakip")
    with pytest.raises(BackupError) as raised:
        backup(db, tmp_path / "x.dump")
    line = str(raised.value)
    assert "pg_dump tidak ditemukan" in line and "rahasia" not in line and "\n" not in line
    assert not (tmp_path / "x.dump").exists()
