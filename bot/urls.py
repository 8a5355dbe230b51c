"""URLs and paths given on the command line or in settings: the obvious forms are accepted
(a bare path for SQLite, a Bot API server's root), anything else is refused in one line that says
what is expected. ValueError carries that line."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from bot import error_text

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DIALECTS = ("sqlite", "postgresql")


def database_url(value: str) -> str:
    """A SQLAlchemy URL for SQLite or PostgreSQL; a bare path means a SQLite file there."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    text = (value or "").strip()
    if not text:
        raise _refused("setup.database_url_empty")
    if "://" not in text:
        if _SCHEME.match(text) and not re.match(r"^[A-Za-z]:[\\/]", text):  # "postgresql:/x", not "C:\x"
            raise _refused("setup.database_url_invalid", url=text)
        path = Path(text).expanduser()
        if text.endswith(("/", "\\")) or path.is_dir():
            raise _refused("setup.database_url_folder", path=text)
        return f"sqlite:///{path}"
    if text.startswith("postgres://"):  # the short form some hosts print
        text = "postgresql://" + text[len("postgres://"):]
    try:
        url = make_url(text)
        backend = url.get_backend_name()
    except (ArgumentError, ValueError):
        raise _refused("setup.database_url_invalid", url=_hide_password(text)) from None
    if backend not in _DIALECTS:
        raise _refused("setup.database_kind", backend=backend)
    if url.drivername != backend:  # an explicit driver (postgresql+psycopg2): it must be installed
        try:
            url.get_dialect().import_dbapi()
        except (ArgumentError, ImportError):
            raise _refused("setup.database_driver", driver=url.drivername) from None
    if backend == "postgresql" and not url.database:
        raise _refused("setup.database_name_missing", url=_hide_password(text))
    return text


def bot_api_url(value: str, suffix: str = "/bot") -> str:
    """The Bot API base URL python-telegram-bot appends the token to; a server's root
    (http://127.0.0.1:8081) gets `suffix` ("/bot", or "/file/bot" for downloads)."""
    text = (value or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _refused("setup.bot_api_url_invalid", url=text, suffix=suffix)
    try:
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        raise _refused("setup.bot_api_port_invalid", url=text) from None
    return text.rstrip("/") + suffix if parts.path in ("", "/") else text


def _refused(code: str, **params: object) -> ValueError:
    return ValueError(error_text.render(code, params))


def _hide_password(text: str) -> str:
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", text)
