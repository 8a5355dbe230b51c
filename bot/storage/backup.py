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

from bot import error_text
from bot.storage.db import Database


class BackupError(Exception):
    """One line for the operator: why no copy was made, or how to make one."""


def _refused(code: str, **params: object) -> BackupError:
    return BackupError(error_text.render(code, params))


def backup(db: Database, out: Path) -> str:
    """Write the copy to `out` (via a temporary file, so a failed copy leaves nothing behind);
    returns a line describing what was written."""
    out = out.expanduser()
    if out.is_dir():
        raise _refused("setup.backup_to_folder", out=out, example=out / "esakip-cadangan.db")
    partial = out.with_name(out.name + ".partial")
    try:
        if db.is_sqlite:
            _sqlite(db, partial)
        elif db.is_postgresql:
            _pg_dump(db, partial)
        else:
            raise _refused("setup.backup_kind", kind=db.engine.dialect.name)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return error_text.render("setup.backup_written", {"out": out, "size": f"{out.stat().st_size:,}".replace(",", ".")})


def _sqlite(db: Database, target: Path) -> None:
    path = db.engine.url.database
    if not path or path == ":memory:":
        raise _refused("setup.backup_memory")
    if not Path(path).exists():
        raise _refused("setup.backup_no_file", path=path)
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
        raise _refused("setup.backup_no_pg_dump", file=target.with_suffix(""), url=safe)
    done = subprocess.run([pg_dump, "--format=custom", f"--file={target}", f"--dbname={_libpq_url(db)}"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or [error_text.render("setup.no_detail")])[0]
        raise _refused("setup.backup_pg_dump_failed", detail=first.replace(_libpq_url(db), safe))
