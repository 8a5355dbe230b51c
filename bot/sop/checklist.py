"""The verification checklist of a step (the *bukti dukung* Tim SAKIP checks one by one) as
frozen definitions; the SOP file's `checklist` key (bot/sop/checklist_file.py reads it)."""

from __future__ import annotations

from dataclasses import dataclass

#: At most this many items and standard reasons: each is a row of buttons on one message.
MAX_ITEMS = 12
MAX_REASONS = 8


@dataclass(frozen=True)
class ChecklistItem:
    kode: str  # stable key ("iku"), stored with each result
    nama: str  # as documents print it ("Indikator Kinerja Utama (IKU)")
    singkat: str  # on a button ("IKU")


@dataclass(frozen=True)
class Checklist:
    items: tuple[ChecklistItem, ...]
    #: The standard return reasons, offered as buttons when an item is "tidak sesuai".
    alasan: tuple[str, ...] = ()

    def item(self, kode: str) -> ChecklistItem | None:
        return next((i for i in self.items if i.kode == kode), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.kode for i in self.items)
