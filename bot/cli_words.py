"""What the command line says, from templates/cli/: help.yaml (the frame of `--help`,
bot/cli_help.py) and output.yaml (what the commands print: confirmations, the lines of the
lists, the error lines). A key names a section and a text ("user.added"); the text's
{placeholders} are filled as the errors' are (bot/error_text.py), format specs included
("{telegram_id:<14}" keeps a list's columns)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from bot import error_text


@lru_cache(maxsize=None)
def words(name: str) -> dict[str, Any]:
    """templates/cli/<name>.yaml, as written (a text's leading spaces are kept)."""
    text = resources.files("templates").joinpath(f"cli/{name}.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def text(key: str) -> str:
    """The text of output.yaml at the dotted `key`; an unknown key is a bug: KeyError."""
    found: Any = words("output")
    for part in key.split("."):
        found = found[part]
    if not isinstance(found, str):
        raise KeyError(key)
    return found


def say(key: str, /, **params: object) -> str:
    """The line `key` of output.yaml with its parameters filled in."""
    return error_text.fill(text(key), params)


def keys() -> set[str]:
    """Every dotted key of output.yaml (for the test that each key the code says is worded)."""
    def walk(prefix: str, node: Any) -> set[str]:
        if isinstance(node, dict):
            return {k for name, value in node.items() for k in walk(f"{prefix}{name}.", value)}
        return {prefix.removesuffix(".")}

    return walk("", words("output"))
