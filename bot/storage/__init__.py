"""Storage: SQLAlchemy 2 typed models, units of work, migrations."""

from bot.storage.db import Database, make_engine, note_write
from bot.storage.rows import RowMissing, get_row

__all__ = ["Database", "RowMissing", "get_row", "make_engine", "note_write"]
