"""Verification by checklist (step 10): Tim SAKIP ticks each item of an OPD's submission, then
finishes; any item "tidak sesuai" returns the OPD to step 9 with the list, all "sesuai" verify it.

Ticks are stored as they are made (the sheet survives a restart and reads the same on every
screen); finishing is one engine action whose payload carries the per-item results, which the
cycle service records with the action (bot/services/checklist_store.record).
"""

from __future__ import annotations

from sqlalchemy import select

from bot.clock import Clock
from bot.services import checklist_store as store
from bot.services.cycles import ActResult, Cycles
from bot.services.errors import Conflict, InvalidInput
from bot.services.checklist_store import Sheet
from bot.services.views import TaskView
from bot.storage import models as m
from bot.workflow import ActionKind
from bot.workflow.checklist import MAX_CATATAN, ItemResult
from bot.workflow.state import TaskStatus

class ChecklistService:
    def __init__(self, cycles: Cycles, clock: Clock) -> None:
        self.cycles = cycles
        self.db = cycles.db
        self.clock = clock

    def sheet(self, telegram_id: int, task_id: int) -> TaskView:
        """The open verification task with its sheet, if this user may act on it now."""
        view = self.cycles.require_actionable(telegram_id, task_id)
        _sheet(view)
        return view

    def item(self, telegram_id: int, task_id: int, index: int) -> TaskView:
        """The sheet, if item `index` (0-based) is one of its items (a stale or forged press is not)."""
        view = self.sheet(telegram_id, task_id)
        if not 0 <= index < len(_sheet(view).lines):
            raise InvalidInput("checklist.item_unknown")
        return view

    def tick(self, telegram_id: int, task_id: int, index: int, ok: bool, alasan: int | None = None,
             catatan: str | None = None) -> TaskView:
        """Mark item `index` (0-based) sesuai, or tidak sesuai with standard reason `alasan` (an
        index) or a typed `catatan`; a later tick of the same item replaces it."""
        sheet = _sheet(self.item(telegram_id, task_id, index))
        result = _result(sheet, index, ok, alasan, catatan)
        with self.db.transaction() as s:
            row = s.get(m.Task, task_id)
            if row is None or row.status is not TaskStatus.OPEN:
                raise Conflict("checklist.task_done")
            user_id = s.scalar(select(m.User.id).where(m.User.telegram_id == telegram_id))
            store.tick(s, row, result, user_id, self.clock.now())
        return self.sheet(telegram_id, task_id)

    def finish(self, telegram_id: int, task_id: int) -> ActResult:
        """"Selesai verifikasi": sesuai when every item is, else the return with the list."""
        sheet = _sheet(self.sheet(telegram_id, task_id))
        if not sheet.complete:
            raise InvalidInput("checklist.not_all_checked", n=len(sheet.lines) - sheet.checked)
        action = ActionKind.VERIFY_TIDAK_SESUAI if sheet.failed else ActionKind.VERIFY_SESUAI
        return self.cycles.act(telegram_id, task_id, action, payload={"checklist": sheet.payload()})


def _sheet(view: TaskView) -> Sheet:
    if view.checklist is None:
        raise InvalidInput("checklist.no_checklist")
    return view.checklist


def _result(sheet: Sheet, index: int, ok: bool, alasan: int | None, catatan: str | None) -> ItemResult:
    """One tick, checked: a known reason, a typed one not too long, a failed item with a reason."""
    if alasan is not None and not 0 <= alasan < len(sheet.alasan):
        raise InvalidInput("checklist.reason_not_listed")
    catatan = catatan.strip() if catatan and catatan.strip() else None
    if catatan is not None and len(catatan) > MAX_CATATAN:
        raise InvalidInput("checklist.reason_too_long", length=len(catatan), limit=MAX_CATATAN)
    if ok:
        return ItemResult(sheet.lines[index].item.kode, True)
    if alasan is None and catatan is None:
        raise InvalidInput("checklist.reason_blank")
    return ItemResult(sheet.lines[index].item.kode, False, sheet.alasan[alasan] if alasan is not None else None,
                      catatan)
