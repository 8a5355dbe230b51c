"""The documents' fixed wording that goes into their fields (a letter's hal, tembusan, a konsep's
nomor; what a tanda terima says of a receipt recorded on an OPD's behalf), read once from
templates/documents/wording.yaml, so that a change of wording is a template change."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@lru_cache(maxsize=1)
def _wording() -> dict[str, Any]:
    text = resources.files("templates").joinpath("documents/wording.yaml").read_text(encoding="utf-8")
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


def atas_nama(key: str, **values: str) -> str:
    """A receipt Tim SAKIP recorded on an OPD's behalf, as its tanda terima and the rekap word it."""
    return str(_wording()["atas_nama"][key]).format(**values)


def atas_nama_cara(via: str) -> str:
    """How the letter reached the OPD ("fisik", "surel"), as the tanda terima says it."""
    return str(_wording()["atas_nama"]["cara"][via])
