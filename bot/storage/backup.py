"""`esakip-bot backup`: an online, consistent copy of the database, taken while the bot serves.

SQLite: the backup API copies the database page by page under a read transaction, so the copy
is the state of one instant, writers included (WAL). PostgreSQL: `pg_dump` (custom format, one
snapshot), when it is installed."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.storage.db import Database


class BackupError(Exception):
    """One line for the operator: why no copy was made, or how to make one."""


def backup(db: Database, out: Path) -> str:
    """Write the copy to `out` (via a temporary file, so a failed copy leaves nothing behind);
    returns a line describing what was written."""
    out = out.expanduser()
    if out.is_dir():
        raise BackupError(f"{out} adalah folder; sebutkan nama berkas, misalnya {out / 'esakip-cadangan.db'}")
    partial = out.with_name(out.name + ".partial")
    try:
        if db.is_sqlite:
            _sqlite(db, partial)
        elif db.is_postgresql:
            _pg_dump(db, partial)
        else:
            raise BackupError(f"basis data {db.engine.dialect.name} tidak didukung")
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return f"Cadangan ditulis ke {out} ({out.stat().st_size:,} bita).".replace(",", ".")


def _sqlite(db: Database, target: Path) -> None:
    path = db.engine.url.database
    if not path or path == ":memory:":
        raise BackupError("basis data SQLite di memori tidak dapat dicadangkan")
    if not Path(path).exists():
        raise BackupError(f"berkas basis data {path} tidak ada")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # one step: the copy is a single consistent snapshot
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        copy.close()
        source.close()


def _libpq_url(db: Database) -> str:
    url = make_url(db.url)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_dump(db: Database, target: Path) -> None:
    safe = make_url(db.url).set(drivername="postgresql").render_as_string(hide_password=True)
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("pg_dump tidak ditemukan; pasang postgresql-client, lalu jalankan "
                          f"`pg_dump --format=custom --file={target.with_suffix('')} {safe}`")
    done = subprocess.run([pg_dump, "--format=custom", f"--file={target}", f"--dbname={_libpq_url(db)}"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["(tanpa keterangan)"])[0]
        raise BackupError(f"pg_dump gagal: {first.replace(_libpq_url(db), safe)}")
