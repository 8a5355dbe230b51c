"""Verification by checklist, pure: what the per-item results of a step-10 action must be.

The action's payload carries them as `payload["checklist"]`: one entry per item of the step's
checklist, `{"kode": ..., "ok": bool, "alasan": str | None, "catatan": str | None}` (a failed item
needs a standard reason or a typed note). "Sesuai" needs every item sesuai; "Tidak sesuai" at
least one item not. A "sesuai" without results means every item sesuai; a "tidak sesuai" without
them is a return with a note only (the step's note rule then applies).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.sop.checklist import Checklist
from bot.workflow.actions import ActionKind, InvalidPayload

KEY = "checklist"
MAX_CATATAN = 1000  # as any typed note (conversations/common.py MAX_NOTE)


@dataclass(frozen=True)
class ItemResult:
    kode: str
    ok: bool
    alasan: str | None = None  # one of the checklist's standard reasons
    catatan: str | None = None  # typed by Tim SAKIP

    def as_payload(self) -> dict[str, object]:
        return {"kode": self.kode, "ok": self.ok, "alasan": self.alasan, "catatan": self.catatan}


def results(checklist: Checklist | None, action: ActionKind,
            payload: Mapping[str, object]) -> tuple[ItemResult, ...]:
    """The per-item results of the action, checked; () when the step has no checklist or the
    action is a return without them."""
    if checklist is None or action not in (ActionKind.VERIFY_SESUAI, ActionKind.VERIFY_TIDAK_SESUAI):
        return ()
    raw = payload.get(KEY)
    if raw is None:
        if action is ActionKind.VERIFY_SESUAI:
            return tuple(ItemResult(kode, True) for kode in checklist.codes)
        return ()
    if not isinstance(raw, (list, tuple)):
        raise InvalidPayload("checklist.results_invalid")
    found = tuple(_result(checklist, entry) for entry in raw)
    if tuple(r.kode for r in found) != checklist.codes:
        raise InvalidPayload("checklist.results_order")
    failed = any(not r.ok for r in found)
    if action is ActionKind.VERIFY_SESUAI and failed:
        raise InvalidPayload("checklist.sesuai_with_failed")
    if action is ActionKind.VERIFY_TIDAK_SESUAI and not failed:
        raise InvalidPayload("checklist.return_all_sesuai")
    return found


def settle(checklist: Checklist | None, action: ActionKind, note: str | None,
           payload: Mapping[str, object]) -> str | None:
    """The action's note: as given, or (a return by checklist) the failed items and their reasons,
    so that a return always says what to fix."""
    found = results(checklist, action, payload)
    if note or checklist is None or not any(not r.ok for r in found):
        return note
    return summary(checklist, found)


def summary(checklist: Checklist, found: tuple[ItemResult, ...]) -> str:
    """"IKU: Dokumen belum ditandatangani; Renstra: Dokumen belum diunggah (halaman 3)"."""
    parts = []
    for r in found:
        item = checklist.item(r.kode)
        if r.ok or item is None:
            continue
        why = r.alasan or r.catatan or ""
        if r.alasan and r.catatan:
            why = f"{r.alasan} ({r.catatan})"
        parts.append(f"{item.singkat}: {why.rstrip(' .;')}")  # a typed reason may end its own sentence
    return "; ".join(parts)


def _result(checklist: Checklist, entry: object) -> ItemResult:
    if not isinstance(entry, Mapping) or not isinstance(entry.get("kode"), str) \
            or not isinstance(entry.get("ok"), bool):
        raise InvalidPayload("checklist.results_invalid")
    alasan, catatan = entry.get("alasan"), entry.get("catatan")
    if alasan is not None and alasan not in checklist.alasan:
        raise InvalidPayload("checklist.reason_unknown")
    if catatan is not None and (not isinstance(catatan, str) or not catatan.strip()
                                or len(catatan) > MAX_CATATAN):
        raise InvalidPayload("checklist.note_invalid", limit=MAX_CATATAN)
    ok = entry["ok"]
    if ok and (alasan or catatan):
        raise InvalidPayload("checklist.sesuai_needs_no_reason")
    if not ok and not (alasan or catatan):
        raise InvalidPayload("checklist.failed_needs_reason")
    return ItemResult(entry["kode"], ok, alasan, catatan.strip() if catatan else None)
