"""Moved to bot.presentation.keyboards (kept so that old imports still work)."""

from bot.presentation.keyboards import (  # noqa: F401
    ACTION_CODE, CANCEL, CODE_ACTION, CONFIRM_SIGN, FORWARD_WITH_NOTE, OFFICIAL_LETTER, Keyboard, button,
    codes, confirm_sign_keyboard, task_keyboard,
)
