"""What a typed note may be: an arahan, a catatan koreksi, an alasan pengalihan, the catatan of a
laporan. One rule for every form that asks for one."""

from __future__ import annotations

from bot.services.errors import InvalidInput

#: Longest note (arahan, catatan koreksi) accepted; keeps every message under Telegram's limit.
MAX_NOTE = 1000


def check_note(text: str | None, limit: int = MAX_NOTE) -> str:
    """`text` when it can be used as a note; otherwise InvalidInput says why ("notes.*")."""
    if text is None or not text.strip():
        raise InvalidInput("notes.empty")
    if len(text) > limit:
        raise InvalidInput("notes.too_long", length=len(text), limit=limit)
    return text
