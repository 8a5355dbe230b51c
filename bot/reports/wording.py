"""The words of the spreadsheets and CSV files, kept in templates like every other text.

`labels()` reads templates/documents/rekap_teks.yaml (sheet names, column headings, the
recap PDF's words); `macro()` calls a macro of a documents template and returns plain text (the
monitoring form's notes are written once and used by both the PDF and the XLSX). The
environment is the documents' (autoescaped, StrictUndefined) without WeasyPrint, so building a
spreadsheet does not load the PDF engine.
"""

from __future__ import annotations

import html
import re
from datetime import tzinfo
from functools import cache
from importlib import resources
from types import SimpleNamespace
from typing import Any

import yaml
from jinja2 import Environment

from bot import formatting
from bot.templating import base_environment

_TAG = re.compile(r"<[^>]+>")


@cache
def environment(tz: tzinfo | None = None) -> Environment:
    env = base_environment("documents", tz)
    env.globals.update(durasi=formatting.durasi)
    return env


@cache
def labels(tz: tzinfo | None = None) -> Any:
    """The words of templates/documents/rekap_teks.yaml: `labels(tz).SHEET_RINGKASAN`,
    `labels(tz).KOLOM_OPD`, ... (`tz` names the zone in the headings of instants: "Waktu (WITA)")."""
    text = resources.files("templates").joinpath("documents/rekap_teks.yaml").read_text(encoding="utf-8")
    return SimpleNamespace(**{key: _with_zone(key, value, tz) for key, value in yaml.safe_load(text).items()})


def _with_zone(key: str, value: Any, tz: tzinfo | None) -> Any:
    if isinstance(value, list):
        return [_with_zone(key, item, tz) for item in value]
    if isinstance(value, dict):
        return {k: _with_zone(key, item, tz) for k, item in value.items()}
    if isinstance(value, str) and "{zona}" in value:
        if tz is None:
            raise formatting.NoZone(f"{key} names the zone: labels() needs the deployment's zone")
        return value.replace("{zona}", formatting.zone_abbr(tz))
    return value


def chat_macros(template: str, tz: tzinfo | None = None) -> Any:
    """The macros of a chat template (templates/chat), e.g. one recap line's words, showing
    instants in `tz`."""
    from bot import messages

    return messages.environment(tz).get_template(template).module


def plain(markup: object, keep_blank: bool = False) -> str:
    """Rendered HTML as the plain text a spreadsheet cell (or, keeping blank lines between
    paragraphs, a terminal) shows."""
    text = _TAG.sub("", str(markup).replace("<br>", "\n"))
    lines = [" ".join(line.split()) for line in html.unescape(text).splitlines()]
    if not keep_blank:
        return "\n".join(line for line in lines if line)
    kept = [line for i, line in enumerate(lines) if line or (i and lines[i - 1])]
    return "\n".join(kept).strip()


def macro(template: str, name: str, *args: Any, tz: tzinfo | None = None) -> str:
    """Call macro `name` of a documents template (instants shown in `tz`); the result as plain text."""
    return plain(getattr(environment(tz).get_template(template).module, name)(*args))
