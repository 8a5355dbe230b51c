"""The step-10 checklist in the recap and the monitoring form: each OPD's items (its latest
finished verification) and, per item, how often it was found tidak sesuai and for whom."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.sop.checklist import ChecklistItem
from bot.workflow.checklist import ItemResult


@dataclass(frozen=True)
class ItemTally:
    item: ChecklistItem
    returns: int = 0  # times found tidak sesuai in the cycle
    opds: tuple[str, ...] = ()  # the Perangkat Daerah returned on it (names, once each)


@dataclass(frozen=True)
class ChecklistRecap:
    items: tuple[ChecklistItem, ...]
    #: OPD kode -> item kode -> result of its latest finished verification.
    results: Mapping[str, Mapping[str, ItemResult]] = field(default_factory=dict)
    tally: tuple[ItemTally, ...] = ()

    def result(self, opd: str, item: str) -> ItemResult | None:
        return self.results.get(opd, {}).get(item)

    @property
    def returned(self) -> tuple[ItemTally, ...]:
        """The items found tidak sesuai at least once, most often first."""
        return tuple(sorted((t for t in self.tally if t.returns), key=lambda t: -t.returns))

    @property
    def total_returns(self) -> int:
        return sum(t.returns for t in self.tally)


def xlsx_sheet(recap: Any, t: Any) -> tuple[str, list[str], list[list[Any]]] | None:
    """The sheet "Verifikasi Bukti Dukung" of the recap XLSX: one row per OPD, one column per item
    (Sesuai / Tidak sesuai: alasan / empty when not verified yet), then the times returned."""
    checklist: ChecklistRecap | None = recap.checklist
    if checklist is None:
        return None
    columns = [*t.KOLOM_BUTIR, *(item.singkat for item in checklist.items), t.KOLOM_BUTIR_KEMBALI]
    rows = []
    for n, line in enumerate(recap.lines, start=1):
        cells = [_cell(checklist.result(line.kode, item.kode), t) for item in checklist.items]
        rows.append([n, line.kode, line.nama, *cells, line.returns])
    return t.SHEET_BUTIR, columns, rows


def _cell(result: ItemResult | None, t: Any) -> str | None:
    if result is None:
        return None
    if result.ok:
        return t.BUTIR_SESUAI
    why = " — ".join(part for part in (result.alasan, result.catatan) if part)
    return f"{t.BUTIR_TIDAK_SESUAI}: {why}"
