"""Storage: SQLAlchemy 2 typed models, units of work, migrations."""

from bot.storage.db import Database, make_engine, note_write

__all__ = ["Database", "make_engine", "note_write"]
