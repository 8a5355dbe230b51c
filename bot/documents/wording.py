"""The letters' fixed wording that goes into their fields (hal, tembusan, a konsep's nomor), read
once from templates/documents/surat.yaml, so that a change of wording is a template change."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@lru_cache(maxsize=1)
def _wording() -> dict[str, Any]:
    text = resources.files("templates").joinpath("documents/surat.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def hal(letter: str, tahun: int) -> str:
    """The hal of `letter` ("surat_teguran") for a tahun kinerja."""
    return str(_wording()[letter]["hal"]).format(tahun=tahun)


def tembusan(letter: str) -> tuple[str, ...]:
    return tuple(str(line) for line in _wording()[letter]["tembusan"])


def nomor_konsep() -> str:
    """What a konsep shows for its nomor until it is signed."""
    return str(_wording()["nomor_konsep"])
