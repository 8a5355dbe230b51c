"""The step-10 checklist on one message: its buttons (one row per item, "✅"/"❌"; the reasons
of an item found tidak sesuai; "Selesai verifikasi" once every item is checked) and its text.

Callback data "ck:<action>:<id>": the id packs the task and the item (task * 100 + item) and,
for a reason, the reason too (task * 10000 + item * 100 + reason); items and reasons are
0-based and fewer than 100 (the SOP file allows 12 and 8).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING

from bot import callbacks, messages
from bot.presentation import labels

if TYPE_CHECKING:
    from bot.services.checklist_store import SheetLine
    from bot.services.views import TaskView

NS = "ck"
OK, FAIL, WHY, TYPED, BACK, FINISH = "ok", "no", "why", "typ", "back", "done"
ACTIONS = (OK, FAIL, WHY, TYPED, BACK, FINISH)
_BASE = 100

Keyboard = list[list[dict[str, str]]]


@dataclass(frozen=True)
class Press:
    action: str
    task_id: int
    item: int | None = None
    reason: int | None = None


def encode(action: str, task_id: int, item: int | None = None, reason: int | None = None) -> str:
    value = task_id
    if item is not None:
        value = value * _BASE + item
    if reason is not None:
        value = value * _BASE + reason
    return callbacks.encode(NS, action, value)


def decode(data: str | None) -> Press:
    """The press, unpacked (CallbackError when the data is not a checklist button's)."""
    found = callbacks.decode(data)
    if found.ns != NS or found.action not in ACTIONS:
        raise callbacks.CallbackError(f"not a checklist button: {data!r}")
    value = found.id
    if found.action == WHY:
        value, reason = divmod(value, _BASE)
        task_id, item = divmod(value, _BASE)
        return Press(found.action, task_id, item, reason)
    if found.action in (OK, FAIL, TYPED):
        task_id, item = divmod(value, _BASE)
        return Press(found.action, task_id, item)
    return Press(found.action, value)


def pattern() -> str:
    return callbacks.pattern(NS, *ACTIONS)


def keyboard(view: TaskView) -> Keyboard:
    """The sheet's buttons: per item "✅ Renstra" / "❌ Renstra" (the given answer marked), then
    "Selesai verifikasi" when every item is checked."""
    sheet = view.checklist
    if sheet is None or not view.is_open:
        return []
    rows = [[_button(OK, "checklist_ok", line, view.id, line.mark == "ok"),
             _button(FAIL, "checklist_fail", line, view.id, line.mark == "fail")] for line in sheet.lines]
    if sheet.complete:
        rows.append([{"text": labels.button("checklist_finish"), "callback_data": encode(FINISH, view.id)}])
    return rows


def reasons_keyboard(view: TaskView, item: int) -> Keyboard:
    """For an item found tidak sesuai: one row per standard reason, then a typed one, and back."""
    reasons = view.checklist.alasan if view.checklist is not None else ()
    rows = [[{"text": reason, "callback_data": encode(WHY, view.id, item, index)}]
            for index, reason in enumerate(reasons)]
    rows.append([{"text": labels.button("checklist_typed"), "callback_data": encode(TYPED, view.id, item)}])
    rows.append([{"text": labels.button("checklist_back"), "callback_data": encode(BACK, view.id)}])
    return rows


def text(view: TaskView, tz: tzinfo, asking: SheetLine | None = None) -> str:
    """The task's message with its sheet; `asking`: the item whose reason is asked now."""
    return messages.render("task", tz=tz, task=view, attachment_name=view.attachment_name,
                           origin_outcome=None, origin_nama=None, asking=asking)


def _button(action: str, key: str, line: SheetLine, task_id: int, chosen: bool) -> dict[str, str]:
    label = labels.button(key, item=line.item.singkat)
    if chosen:
        label = labels.button("checklist_chosen", label=label)
    return {"text": label, "callback_data": encode(action, task_id, line.no - 1)}
