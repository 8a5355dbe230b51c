"""Inline keyboards as plain data ({"text", "callback_data"} rows), read from the kinds registry."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.presentation import checklist, labels
from bot.workflow import ActionKind
from bot.workflow.kinds import BUTTONS, CANCEL, CONFIRM, KINDS, Form

if TYPE_CHECKING:
    from bot.services.views import TaskView

Keyboard = list[list[dict[str, str]]]

#: Short action codes used in callback data ("t:<code>:<task id>"), one per engine action: the
#: button that takes the action at once or through its form (not "Tambah arahan").
ACTION_CODE: dict[ActionKind, str] = {}
for _code, _b in BUTTONS.items():
    if _b.action is not None and _b.action not in ACTION_CODE:
        ACTION_CODE[_b.action] = _code
CODE_ACTION = {code: b.action for code, b in BUTTONS.items() if b.action is not None}

#: Kept for the conversations that name them.
FORWARD_WITH_NOTE = "fn"
CONFIRM_SIGN = CONFIRM
OFFICIAL_LETTER = "tt"


def markup(data: dict[str, Any] | None) -> InlineKeyboardMarkup | None:
    """A reply markup as plain data ({"inline_keyboard": rows}, as the outbox stores it) made the
    Bot API's object; no rows: no markup."""
    rows = (data or {}).get("inline_keyboard") or []
    if not rows:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(**button) for button in row] for row in rows])


def button(text: str, action: str, task_id: int, ns: str = "t") -> dict[str, str]:
    return {"text": text, "callback_data": callbacks.encode(ns, action, task_id)}


def task_keyboard(view: TaskView) -> Keyboard:
    """The buttons of an open task, as its kind lays them out (a decision's two answers side by
    side; a disposition's "Tambah arahan" under it)."""
    if not view.is_open or not view.actions:
        return []
    if view.checklist is not None:  # verification by checklist: the sheet's own buttons
        return checklist.keyboard(view)
    spec = KINDS[view.kind]
    if spec.receipt is not None and view.opd_kode is not None:
        spec = spec.receipt
    rows: Keyboard = []
    for row in spec.buttons:
        shown = [b for b in row if b.action is None or b.action in view.actions]
        if shown:
            rows.append([button(_text(b.label, view), b.code, view.id) for b in shown])
    return rows


def _text(key: str, view: TaskView) -> str:
    if key == "forward":
        return labels.button(key, target=labels.target(view.next_role_label))
    return labels.button(key)


def acknowledge_keyboard(task_id: int) -> Keyboard:
    """Under a reminder of a long step: 'Sedang dikerjakan' pauses the reminders."""
    return [[button(labels.button("acknowledge"), "ack", task_id, ns="a")]]


def nudge_keyboard(task_id: int) -> Keyboard:
    """Under an escalation: the superior's 'Ingatkan'."""
    return [[button(labels.button("nudge"), "nudge", task_id, ns="a")]]


def confirm_sign_keyboard(task_id: int) -> Keyboard:
    return [[button(labels.button("confirm_sign"), CONFIRM, task_id),
             button(labels.button("cancel_sign"), CANCEL, task_id)]]


def codes(form: Form | None) -> tuple[str, ...]:
    """The "t" codes whose press opens `form` (None: the press acts at once)."""
    return tuple(code for code, b in BUTTONS.items() if b.form is form)
