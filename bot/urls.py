"""URLs and paths given on the command line or in settings: the obvious forms are accepted
(a bare path for SQLite, a Bot API server's root), anything else is refused in one line that says
what is expected. ValueError carries that line."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

DATABASE_EXPECTED = ("diharapkan URL SQLAlchemy seperti sqlite:///esakip.db atau "
                     "postgresql://pengguna:sandi@host:5432/esakip, atau path berkas SQLite seperti data/esakip.db")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DIALECTS = ("sqlite", "postgresql")


def database_url(value: str) -> str:
    """A SQLAlchemy URL for SQLite or PostgreSQL; a bare path means a SQLite file there."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    text = (value or "").strip()
    if not text:
        raise ValueError(f"URL basis data kosong; {DATABASE_EXPECTED}")
    if "://" not in text:
        if _SCHEME.match(text) and not re.match(r"^[A-Za-z]:[\\/]", text):  # "postgresql:/x", not "C:\x"
            raise ValueError(f"URL basis data tidak sah: {text!r}; {DATABASE_EXPECTED}")
        path = Path(text).expanduser()
        if text.endswith(("/", "\\")) or path.is_dir():
            raise ValueError(f"{text!r} adalah folder, bukan berkas SQLite; {DATABASE_EXPECTED}")
        return f"sqlite:///{path}"
    if text.startswith("postgres://"):  # the short form some hosts print
        text = "postgresql://" + text[len("postgres://"):]
    try:
        url = make_url(text)
        backend = url.get_backend_name()
    except (ArgumentError, ValueError):
        raise ValueError(f"URL basis data tidak sah: {_hide_password(text)!r}; {DATABASE_EXPECTED}") from None
    if backend not in _DIALECTS:
        raise ValueError(f"jenis basis data {backend!r} tidak didukung (hanya SQLite dan PostgreSQL); "
                         f"{DATABASE_EXPECTED}")
    if url.drivername != backend:  # an explicit driver (postgresql+psycopg2): it must be installed
        try:
            url.get_dialect().import_dbapi()
        except (ArgumentError, ImportError):
            raise ValueError(f"driver basis data {url.drivername!r} tidak tersedia; gunakan misalnya "
                             "postgresql://... (psycopg) atau sqlite:///...") from None
    if backend == "postgresql" and not url.database:
        raise ValueError(f"URL PostgreSQL tanpa nama basis data: {_hide_password(text)!r}; {DATABASE_EXPECTED}")
    return text


def bot_api_url(value: str, suffix: str = "/bot") -> str:
    """The Bot API base URL python-telegram-bot appends the token to; a server's root
    (http://127.0.0.1:8081) gets `suffix` ("/bot", or "/file/bot" for downloads)."""
    text = (value or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"URL Bot API tidak sah: {text!r}; diharapkan misalnya "
                         f"https://api.telegram.org{suffix} atau http://127.0.0.1:8081{suffix}")
    try:
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        raise ValueError(f"nomor port pada URL Bot API tidak sah: {text!r}") from None
    return text.rstrip("/") + suffix if parts.path in ("", "/") else text


def _hide_password(text: str) -> str:
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", text)
