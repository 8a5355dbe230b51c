"""Bot API methods about the bot itself: identity, updates, webhook, commands, menu button."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.fakegram.errors import ApiError, bad_request
from bot.fakegram.limits import check_web_app_url
from bot.fakegram.methods_messages import Handler, Params
from bot.fakegram.state import TelegramState
from bot.fakegram.updates import Superseded

CONFLICT_POLLER = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
    "delete the webhook first"
)
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
MAX_COMMANDS = 100
MAX_COMMAND_DESCRIPTION = 256


async def get_me(state: TelegramState, params: Params) -> Any:
    return {
        **state.bot.as_user(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def get_updates(state: TelegramState, params: Params) -> Any:
    if state.conflict_on_get_updates:
        raise ApiError(409, CONFLICT_POLLER)
    if state.webhook["url"]:
        raise ApiError(409, CONFLICT_WEBHOOK)
    limit = int(params.get("limit", 100))
    limit = 100 if limit <= 0 else min(limit, 100)
    state.updates.set_allowed(params.get("allowed_updates"))
    try:
        return await state.updates.get(params.get("offset"), limit, float(params.get("timeout", 0)))
    except Superseded:
        raise ApiError(409, CONFLICT_POLLER) from None


async def set_webhook(state: TelegramState, params: Params) -> Any:
    url = params["url"]
    if url and not url.startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if params.get("drop_pending_updates"):
        state.updates.drop_pending()
    state.updates.set_allowed(params.get("allowed_updates"))
    state.webhook = {"url": url, **{k: params[k] for k in ("max_connections", "allowed_updates") if k in params}}
    return True


async def delete_webhook(state: TelegramState, params: Params) -> Any:
    if params.get("drop_pending_updates"):
        state.updates.drop_pending()
    state.webhook = {"url": ""}
    return True


async def get_webhook_info(state: TelegramState, params: Params) -> Any:
    return {
        **state.webhook,
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates.pending),
    }


async def log_out(state: TelegramState, params: Params) -> Any:
    return True


async def close(state: TelegramState, params: Params) -> Any:
    return True


def _commands_key(params: Params) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), params.get("language_code", "")


async def set_my_commands(state: TelegramState, params: Params) -> Any:
    commands = params["commands"]
    if len(commands) > MAX_COMMANDS:
        raise bad_request("too many commands")
    for command in commands:
        if not _COMMAND.match(command["command"]):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(command["description"]) <= MAX_COMMAND_DESCRIPTION:
            raise bad_request("command description must be 1-256 characters")
    state.commands[_commands_key(params)] = [
        {"command": c["command"], "description": c["description"]} for c in commands
    ]
    return True


async def get_my_commands(state: TelegramState, params: Params) -> Any:
    return state.commands.get(_commands_key(params), [])


async def delete_my_commands(state: TelegramState, params: Params) -> Any:
    state.commands.pop(_commands_key(params), None)
    return True


async def set_chat_menu_button(state: TelegramState, params: Params) -> Any:
    chat_id = params.get("chat_id")
    if chat_id is not None:
        state.chat_for_bot(chat_id)
    button = params.get("menu_button") or {"type": "default"}
    if button["type"] == "web_app":
        if not button.get("text"):
            raise bad_request("BUTTON_TEXT_EMPTY")
        check_web_app_url(button["web_app"]["url"])
    state.menu_buttons[chat_id] = button
    return True


async def get_chat_menu_button(state: TelegramState, params: Params) -> Any:
    chat_id = params.get("chat_id")
    return state.menu_buttons.get(chat_id, state.menu_buttons.get(None, {"type": "default"}))


BOT_METHODS: dict[str, Handler] = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "logOut": log_out,
    "close": close,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
}
