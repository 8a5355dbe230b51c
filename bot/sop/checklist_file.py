"""The `checklist` key of a verification step in an SOP file: parsed and validated here, called
from bot/sop/loader.py (which owns the rest of the file)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator

from bot.sop.checklist import MAX_ITEMS, MAX_REASONS, Checklist, ChecklistItem
from bot import error_text

MAX_SINGKAT = 24  # fits half a button row on a phone
MAX_ALASAN = 60


def _says(code: str, **params: object) -> ValueError:
    return ValueError(error_text.render(code, params))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _kode(value: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,15}", value):
        raise _says("checklist.kode_invalid")
    return value


def _words(limit: int | None) -> Any:
    """Whitespace folded; not blank (`limit` None) or at most `limit` characters."""
    def check(value: str) -> str:
        value = " ".join(value.split())
        if limit is None and not value:
            raise _says("sop.blank")
        if limit is not None and len(value) > limit:
            raise _says("checklist.too_long", limit=limit, length=len(value))
        return value
    return AfterValidator(check)


class ItemRaw(_Strict):
    kode: Annotated[str, AfterValidator(_kode)]
    nama: Annotated[str, _words(None)]
    singkat: Annotated[str, _words(MAX_SINGKAT)] = ""


class ChecklistRaw(_Strict):
    butir: list[ItemRaw]
    alasan: list[str] = []

    @field_validator("butir")
    @classmethod
    def _items(cls, values: list[ItemRaw]) -> list[ItemRaw]:
        if not 1 <= len(values) <= MAX_ITEMS:
            raise _says("checklist.items_count", limit=MAX_ITEMS)
        codes = [v.kode for v in values]
        if len(set(codes)) != len(codes):
            raise _says("checklist.kode_twice")
        return values

    @field_validator("alasan")
    @classmethod
    def _reasons(cls, values: list[str]) -> list[str]:
        values = [" ".join(v.split()) for v in values]
        if len(values) > MAX_REASONS:
            raise _says("checklist.reasons_count", limit=MAX_REASONS)
        for value in values:
            if not value or len(value) > MAX_ALASAN:
                raise _says("checklist.reason_length", limit=MAX_ALASAN)
        if len(set(values)) != len(values):
            raise _says("checklist.reason_twice")
        return values


def to_checklist(raw: ChecklistRaw | None) -> Checklist | None:
    if raw is None:
        return None
    return Checklist(items=tuple(ChecklistItem(kode=i.kode, nama=i.nama, singkat=i.singkat or i.nama)
                                 for i in raw.butir),
                     alasan=tuple(raw.alasan))
