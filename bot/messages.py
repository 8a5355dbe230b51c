"""Chat wording lives in templates/chat (Telegram's HTML subset, autoescaped, StrictUndefined).

A text that shows an instant (a deadline, a receipt) is rendered with the deployment's zone,
`render(name, tz=settings.tz, ...)`; without one such a text fails loudly (formatting.NoZone).
"""

from __future__ import annotations

from datetime import tzinfo
from functools import lru_cache
from typing import Any

from jinja2 import Environment

from bot.templating import base_environment

#: Telegram's limit for a message text after entity parsing.
MAX_TEXT = 4096


@lru_cache(maxsize=4)
def environment(tz: tzinfo | None = None) -> Environment:
    """The chat environment whose time filters show instants in `tz` (a deployment has one)."""
    return base_environment("chat", tz)


def render(name: str, *, tz: tzinfo | None = None, **context: Any) -> str:
    """Render templates/chat/<name>.html to one message text (blank-line runs collapsed);
    `tz` is the deployment's zone, needed when the text shows an instant."""
    text = environment(tz).get_template(f"{name}.html").render(**context)
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out)


def split(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split a long text on line boundaries so that no part exceeds Telegram's limit.

    Only used for texts built from whole lines without tags spanning lines (lists, recaps).
    """
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts
