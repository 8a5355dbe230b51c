"""Telegram's content limits: entity parsing, text and caption length, inline keyboards."""

from __future__ import annotations

from typing import Any

from bot.fakegram.errors import ApiError, bad_request, not_supported
from bot.fakegram.spec import ApiSpec
from bot.fakegram.telegram_html import EntityParseError, FormattedText, parse_html

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
#: InlineKeyboardButton fields that are not the button's action.
BUTTON_DECORATION = frozenset({"text", "icon_custom_emoji_id", "style"})
URL_SCHEMES = ("http://", "https://", "tg://")


def format_text(text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None) -> FormattedText:
    """The text after entity parsing, or the 400 Telegram gives for bad markup."""
    if parse_mode is None or parse_mode == "":
        return FormattedText(text, list(entities or []))
    mode = parse_mode.lower()
    if mode == "html":
        try:
            return parse_html(text)
        except EntityParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    if mode in ("markdown", "markdownv2"):
        raise not_supported(f"parse_mode {parse_mode!r}")
    raise bad_request(f"unsupported parse_mode {parse_mode!r}")


def message_text(text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None) -> FormattedText:
    """Parsed and stripped message text, checked for 1-4096 characters."""
    formatted = format_text(text, parse_mode, entities).stripped()
    if not formatted.text:
        raise bad_request("message text is empty")
    if len(formatted.text) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    return formatted


def caption_text(caption: str | None, parse_mode: str | None, entities: list[dict[str, Any]] | None) -> FormattedText | None:
    """Parsed and stripped caption (None when absent), checked for at most 1024 characters."""
    if caption is None:
        return None
    formatted = format_text(caption, parse_mode, entities).stripped()
    if len(formatted.text) > MAX_CAPTION_LENGTH:
        raise bad_request("message caption is too long")
    return formatted


def check_web_app_url(url: str) -> None:
    """Telegram opens Mini Apps only from HTTPS addresses."""
    if not url.startswith("https://") or len(url) <= len("https://"):
        raise bad_request(f"Web App URL {url!r} is invalid: Only HTTPS links are allowed")


class KeyboardRules:
    """Checks of an inline keyboard beyond what the type system says."""

    def __init__(self, spec: ApiSpec) -> None:
        button = spec.types["InlineKeyboardButton"]
        self.action_fields = frozenset(button.fields) - BUTTON_DECORATION

    def check(self, reply_markup: dict[str, Any] | None) -> None:
        """Raise Telegram's 400 for a malformed inline keyboard; other markups pass."""
        if not reply_markup or "inline_keyboard" not in reply_markup:
            return
        for row in reply_markup["inline_keyboard"]:
            for button in row:
                self._check_button(button)

    def _check_button(self, button: dict[str, Any]) -> None:
        actions = sorted(self.action_fields & button.keys())
        label = button.get("text", "")
        if not actions:
            raise bad_request(
                f"can't parse inline keyboard button: button {label!r} has no action "
                f"(text buttons are unallowed in the inline keyboard)"
            )
        if len(actions) > 1:
            raise bad_request(
                f"can't parse inline keyboard button: button {label!r} has more than one "
                f"action field: {', '.join(actions)}"
            )
        if "callback_data" in button:
            size = len(button["callback_data"].encode("utf-8"))
            if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        if "url" in button and not button["url"].startswith(URL_SCHEMES):
            raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
        if "web_app" in button:
            check_web_app_url(button["web_app"].get("url", ""))
        if not label:
            raise ApiError(400, "Bad Request: BUTTON_TEXT_EMPTY")
