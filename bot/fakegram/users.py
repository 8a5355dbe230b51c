"""Acting as Telegram users: write text and commands, press inline buttons, upload files.

Each action records the user's message in the chat and queues an Update for getUpdates; it
returns at once. Use ``await double.wait_idle()`` to let the bot process what was queued.
"""

from __future__ import annotations

import itertools
import secrets
from datetime import datetime
from typing import Any

from bot.fakegram.records import Direction, RecordedMessage
from bot.fakegram.state import CallbackQueryRecord, ChatLog, TelegramState
from bot.fakegram.telegram_html import FormattedText, utf16_len
from bot.fakegram.transcript import EventKind

_query_serial = itertools.count(1)


def _command_entities(text: str) -> list[dict[str, Any]]:
    """A bot_command entity when the text starts with a command, like Telegram adds."""
    if not text.startswith("/") or len(text) < 2 or text[1].isspace():
        return []
    command = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]


class UserActions:
    """Mixin for FakeTelegram: the user-simulation API."""

    state: TelegramState
    token: str

    def add_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "id",
    ) -> dict[str, Any]:
        """Make a Telegram user known (their private chat with the bot has id ``user_id``)."""
        if user_id <= 0:
            raise ValueError("user ids are positive")
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        for key, value in (("last_name", last_name), ("username", username),
                           ("language_code", language_code)):
            if value:
                user[key] = value
        self.state.add_user(user)
        return user

    def web_app_init_data(self, user_id: int, *, auth_date: datetime | None = None,
                          query_id: str | None = None) -> str:
        """The signed ``initData`` Telegram hands a Mini App this user opens from the bot's
        menu button or a ``web_app`` button (HMAC-SHA256 with the bot token, as Telegram does)."""
        from bot.webapp.initdata import sign_init_data

        user = dict(self.state.chat_of_user(user_id).user)
        user.setdefault("allows_write_to_pm", True)
        extra = {"query_id": query_id or f"AAH{secrets.token_hex(8)}", "chat_type": "private",
                 "chat_instance": str(user_id * 7919)}
        return sign_init_data(self.token, user, auth_date or self.state.now(), **extra)

    async def send_text(
        self, user_id: int, text: str, *, reply_to_message_id: int | None = None
    ) -> RecordedMessage:
        """The user writes ``text`` (a ``/command args`` gets a bot_command entity)."""
        if not text.strip():
            raise ValueError("Telegram does not send empty messages")
        log = self.state.chat_of_user(user_id)
        if reply_to_message_id is not None and log.find(reply_to_message_id) is None:
            raise LookupError(f"no message {reply_to_message_id} to reply to in chat {user_id}")
        message = self.state.add_message(
            log, Direction.USER_TO_BOT, text=text,
            formatted=FormattedText(text, _command_entities(text)),
            reply_to_message_id=reply_to_message_id,
        )
        await self._queue_message(log, message)
        return message

    async def edit_text(self, user_id: int, message: RecordedMessage | int, text: str) -> RecordedMessage:
        """The user edits a message they sent earlier; the bot gets an ``edited_message`` update."""
        if not text.strip():
            raise ValueError("Telegram does not allow an empty message")
        log = self.state.chat_of_user(user_id)
        message_id = message if isinstance(message, int) else message.message_id
        target = log.find(message_id)
        if target is None or target.direction is not Direction.USER_TO_BOT or target.text is None:
            raise LookupError(f"user {user_id} wrote no text message {message_id}")
        target.revise(self.state.now())
        target.text, target.formatted = text, FormattedText(text, _command_entities(text))
        self.state.record_event(log, Direction.USER_TO_BOT, EventKind.EDIT, target)
        await self.state.updates.put("edited_message", target.to_api())
        return target

    async def upload(
        self, user_id: int, filename: str, content: bytes, mime_type: str, caption: str | None = None
    ) -> RecordedMessage:
        """The user sends a document; the bot can fetch it with getFile."""
        if not content:
            raise ValueError("Telegram does not accept empty files")
        log = self.state.chat_of_user(user_id)
        stored = self.state.files.add(content, filename, mime_type, "documents")
        message = self.state.add_message(
            log, Direction.USER_TO_BOT, document=stored, caption=caption,
            formatted=FormattedText(caption) if caption is not None else None,
        )
        await self._queue_message(log, message)
        return message

    async def press(self, user_id: int, message: RecordedMessage | int, button: str) -> str:
        """Press the inline button labelled ``button`` (or with that callback_data).

        The message must be one the bot sent to this user and still shows. Returns the
        callback query id, whose answer appears in ``double.callback_answers``.
        """
        log = self.state.chat_of_user(user_id)
        message_id = message if isinstance(message, int) else message.message_id
        target = log.find(message_id)
        if target is None or target.direction is not Direction.BOT_TO_USER:
            raise LookupError(f"the bot sent no message {message_id} to user {user_id}")
        if target.deleted:
            raise LookupError(f"message {message_id} was deleted; its buttons are gone")
        found = self._find_button(target, button)
        if "callback_data" not in found:
            raise ValueError(f"button {found['text']!r} sends nothing to the bot (no callback_data)")
        return await self._callback(log, target, message_id, found["callback_data"], found["text"])

    async def press_raw(self, user_id: int, message_id: int, data: str) -> str:
        """Send a callback query with arbitrary ``data``, as a forged or stale client could."""
        log = self.state.chat_of_user(user_id)
        target = log.find(message_id)
        if target is not None and target.deleted:
            target = None
        return await self._callback(log, target, message_id, data, f"raw callback data {data!r}")

    # -- internals -----------------------------------------------------------------------------

    @staticmethod
    def _find_button(message: RecordedMessage, wanted: str) -> dict[str, Any]:
        buttons = [b for row in message.keyboard for b in row]
        for key in ("text", "callback_data"):
            matches = [b for b in buttons if b.get(key) == wanted]
            if matches:
                return matches[0]
        labels = ", ".join(repr(b["text"]) for b in buttons) or "none"
        raise LookupError(f"message {message.message_id} has no button {wanted!r}; buttons: {labels}")

    async def _callback(
        self, log: ChatLog, message: RecordedMessage | None, message_id: int, data: str, label: str
    ) -> str:
        query_id = f"{next(_query_serial)}{secrets.randbelow(10**12):012d}"
        shown: dict[str, Any] = (
            message.to_api() if message is not None
            else {"chat": log.chat, "message_id": message_id, "date": 0}
        )
        self.state.callback_queries[query_id] = CallbackQueryRecord(
            query_id, log.user["id"], message_id, data, self.state.now()
        )
        self.state.record_event(log, Direction.USER_TO_BOT, EventKind.PRESS, message, text=label)
        await self.state.updates.put("callback_query", {
            "id": query_id, "from": log.user, "message": shown,
            "chat_instance": str(log.chat["id"] * 7919), "data": data,
        })
        return query_id

    async def _queue_message(self, log: ChatLog, message: RecordedMessage) -> None:
        payload = message.to_api()
        if message.reply_to_message_id is not None:
            replied = log.find(message.reply_to_message_id)
            if replied is not None:
                payload["reply_to_message"] = replied.to_api()
        await self.state.updates.put("message", payload)
