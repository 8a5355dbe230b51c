"""The `checklist` key of a verification step in an SOP file: parsed and validated here, called
from bot/sop/loader.py (which owns the rest of the file)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator

from bot.sop.checklist import MAX_ITEMS, MAX_REASONS, Checklist, ChecklistItem
from bot.sop.definition import StepKind

MAX_SINGKAT = 24  # fits half a button row on a phone
MAX_ALASAN = 60


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _kode(value: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,15}", value):
        raise ValueError("kode butir: huruf kecil, angka atau '_', paling banyak 16 karakter")
    return value


def _words(limit: int | None) -> Any:
    """Whitespace folded; not blank (`limit` None) or at most `limit` characters."""
    def check(value: str) -> str:
        value = " ".join(value.split())
        if limit is None and not value:
            raise ValueError("tidak boleh kosong")
        if limit is not None and len(value) > limit:
            raise ValueError(f"paling banyak {limit} karakter (sekarang {len(value)})")
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
            raise ValueError(f"daftar periksa harus memuat 1 sampai {MAX_ITEMS} butir")
        codes = [v.kode for v in values]
        if len(set(codes)) != len(codes):
            raise ValueError("kode butir harus unik")
        return values

    @field_validator("alasan")
    @classmethod
    def _reasons(cls, values: list[str]) -> list[str]:
        values = [" ".join(v.split()) for v in values]
        if len(values) > MAX_REASONS:
            raise ValueError(f"paling banyak {MAX_REASONS} alasan baku")
        for value in values:
            if not value or len(value) > MAX_ALASAN:
                raise ValueError(f"setiap alasan 1 sampai {MAX_ALASAN} karakter")
        if len(set(values)) != len(values):
            raise ValueError("alasan baku tidak boleh ganda")
        return values


def check(kind: StepKind, raw: ChecklistRaw | None) -> str | None:
    """Why this step may not have its checklist, or None."""
    if raw is not None and kind is not StepKind.VERIFICATION:
        return "hanya untuk langkah jenis verification"
    return None


def to_checklist(raw: ChecklistRaw | None) -> Checklist | None:
    if raw is None:
        return None
    return Checklist(items=tuple(ChecklistItem(kode=i.kode, nama=i.nama, singkat=i.singkat or i.nama)
                                 for i in raw.butir),
                     alasan=tuple(raw.alasan))
