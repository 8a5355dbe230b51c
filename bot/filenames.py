"""One function makes a file name that came from a user safe wherever it goes: the archive ZIP,
a sendDocument file name, the audit log, a caption."""

from __future__ import annotations

import re
import unicodedata

#: Longest name kept (characters), extension included; Telegram and every file system take it.
MAX_LENGTH = 120
#: Longest extension kept, dot included (".xlsx", ".jpeg").
MAX_SUFFIX = 10

_RESERVED = re.compile(r'[<>:"/\\|?*]')
_SPACES = re.compile(r"\s+")
#: Names Windows refuses whatever the extension.
_DEVICES = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)", re.IGNORECASE)


def safe_filename(name: str | None, fallback: str = "berkas", max_length: int = MAX_LENGTH) -> str:
    """`name` without folders, control, format (e.g. right-to-left override) or reserved
    characters, at most `max_length` characters, its extension kept; `fallback` (plus the
    extension, if any) when nothing usable is left."""
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[/\\]", text)[-1]  # no folders: only what follows the last separator
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = _RESERVED.sub("_", text)
    text = _SPACES.sub(" ", text).strip().rstrip(" .")
    stem, dot, suffix = text.rpartition(".")
    if not dot or len(suffix) + 1 > MAX_SUFFIX or " " in suffix or not suffix:
        stem, suffix = text, ""
    suffix = f".{suffix}" if suffix else ""
    stem = stem.strip(" .")
    if not stem.strip("_"):
        stem = fallback
    if _DEVICES.match(stem):
        stem = f"_{stem}"
    stem = stem[: max(1, max_length - len(suffix))].rstrip(" .") or fallback
    return f"{stem}{suffix}"
