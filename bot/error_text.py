"""The wording of the errors people read, kept in templates/errors/<family>.yaml: a code
("workflow.task_closed") names the family (the file) and the key in it; the text's
{placeholders} are the error's parameters. Plain text: whoever shows it escapes it (the chat
templates autoescape), so a parameter may hold anything a user typed."""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

FOLDER = "errors"


@lru_cache(maxsize=None)
def family(name: str) -> dict[str, str]:
    """Every text of one family (templates/errors/<name>.yaml), by key."""
    path = resources.files("templates").joinpath(f"{FOLDER}/{name}.yaml")
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(key): str(text).strip() for key, text in data.items()}


def families() -> list[str]:
    folder = resources.files("templates").joinpath(FOLDER)
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def codes() -> set[str]:
    return {f"{name}.{key}" for name in families() for key in family(name)}


def render(code: str, params: Mapping[str, object] | None = None) -> str:
    """The text for `code` with its parameters filled in. An unknown code or a missing
    parameter is a bug: KeyError."""
    name, _, key = code.partition(".")
    return fill(family(name)[key], params)


def fill(text: str, params: Mapping[str, object] | None = None) -> str:
    """`text` with its {placeholders} filled in (a list as "a, b, c", see `_Lists`); the wording
    of the command line (bot/cli_words.py) is filled the same way."""
    return _FORMATTER.vformat(text, (), dict(params or {}))


class _Lists(string.Formatter):
    """A list parameter is written "a, b, c"; with the conjunction as its format, `{who:atau}`
    writes "a, b atau c" and `{what:dan}` "a, b dan c"."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, (list, tuple)):
            items = [str(v) for v in value]
            if format_spec and len(items) > 1:
                return f"{', '.join(items[:-1])} {format_spec} {items[-1]}"
            return ", ".join(items)
        return super().format_field(value, format_spec)


_FORMATTER = _Lists()
