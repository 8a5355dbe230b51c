"""Everything the double knows: users and their chats, messages, files, queries, settings."""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from collections.abc import Callable
from typing import Any, Protocol

from bot.fakegram.errors import bad_request, forbidden
from bot.fakegram.limits import KeyboardRules
from bot.fakegram.records import (
    CallbackAnswer,
    Direction,
    RecordedMessage,
    RequestRecord,
    Stats,
    StoredFile,
)
from bot.fakegram.spec import ApiSpec
from bot.fakegram.transcript import EventKind, TranscriptEvent
from bot.fakegram.updates import UpdateQueue
from bot.fakegram.validation import Validator


class Clock(Protocol):
    """Anything with ``now()`` returning an aware datetime (e.g. ``bot.clock.FrozenClock``)."""

    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


@dataclass(frozen=True)
class BotIdentity:
    """Who the bot is, as getMe reports it."""

    id: int = 7_000_000_001
    username: str = "esakip_lamandau_bot"
    first_name: str = "E-SAKIP Lamandau"

    def as_user(self) -> dict[str, Any]:
        return {"id": self.id, "is_bot": True, "first_name": self.first_name, "username": self.username}


@dataclass
class ChatLog:
    """A private chat between the bot and one user, with every message in it."""

    chat: dict[str, Any]
    user: dict[str, Any]
    messages: list[RecordedMessage] = field(default_factory=list)
    next_message_id: int = 1

    @property
    def person(self) -> str:
        return " ".join(filter(None, [self.user["first_name"], self.user.get("last_name")]))

    def find(self, message_id: int) -> RecordedMessage | None:
        """The message with this id, deleted or not."""
        return next((m for m in self.messages if m.message_id == message_id), None)

    def allocate_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id


@dataclass
class CallbackQueryRecord:
    """A button press the double sent to the bot, waiting for answerCallbackQuery."""

    id: str
    user_id: int
    message_id: int
    data: str
    created: datetime
    answered: bool = False


class FileStore:
    """Files by file_id and by file_path, as getFile and the download endpoint need them."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._serial = itertools.count(1)

    def add(self, data: bytes, file_name: str | None, mime_type: str | None, folder: str) -> StoredFile:
        serial = next(self._serial)
        suffix = file_name.rsplit(".", 1)[-1] if file_name and "." in file_name else "bin"
        stored = StoredFile(
            file_id=f"FG{folder[:3].upper()}{serial}-{secrets.token_hex(6)}",
            file_unique_id=f"fgu{serial}",
            file_path=f"{folder}/file_{serial}.{suffix}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def by_id(self, file_id: str) -> StoredFile | None:
        return self._by_id.get(file_id)

    def by_path(self, file_path: str) -> StoredFile | None:
        return self._by_path.get(file_path)


class TelegramState:
    """The double's world, shared by the HTTP handlers and the user-simulation API."""

    def __init__(self, spec: ApiSpec, bot: BotIdentity, clock: Clock) -> None:
        self.spec = spec
        self.validator = Validator(spec)
        self.keyboard_rules = KeyboardRules(spec)
        self.bot = bot
        self.clock = clock
        self.chats: dict[int, ChatLog] = {}
        self.files = FileStore()
        self.updates = UpdateQueue(spec.update_kinds())
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.callback_answers: dict[str, CallbackAnswer] = {}
        self.callback_query_max_age = 15.0
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.webhook: dict[str, Any] = {"url": ""}
        self.blocked: set[int] = set()
        self.conflict_on_get_updates = False
        self.events: list[TranscriptEvent] = []
        self.event_listeners: list[Callable[[TranscriptEvent], None]] = []
        self.violations: list[str] = []
        self.requests: list[RequestRecord] = []
        self.stats = Stats()

    def now(self) -> datetime:
        return self.clock.now()

    # -- chats ------------------------------------------------------------------------------

    def add_user(self, user: dict[str, Any]) -> ChatLog:
        """Register a user and their private chat with the bot (chat id == user id)."""
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        for key in ("last_name", "username"):
            if user.get(key):
                chat[key] = user[key]
        log = self.chats.get(user["id"])
        if log is None:
            log = self.chats[user["id"]] = ChatLog(chat, user)
        else:
            log.chat, log.user = chat, user
        return log

    def chat_for_bot(self, chat_id: int | str) -> ChatLog:
        """The chat the bot addresses, or Telegram's error for a chat it cannot write to."""
        if isinstance(chat_id, int) and chat_id in self.chats:
            return self.chats[chat_id]
        if isinstance(chat_id, int) and chat_id > 0:
            raise forbidden("bot can't initiate conversation with a user")
        raise bad_request("chat not found")

    def chat_of_user(self, user_id: int) -> ChatLog:
        if user_id not in self.chats:
            raise LookupError(f"unknown user {user_id}; call add_user({user_id}, ...) first")
        return self.chats[user_id]

    def add_message(self, log: ChatLog, direction: Direction, **fields: Any) -> RecordedMessage:
        """Append a new message to the chat and the transcript."""
        sender = self.bot.as_user() if direction is Direction.BOT_TO_USER else log.user
        message = RecordedMessage(
            chat=log.chat, message_id=log.allocate_id(), direction=direction,
            sender=sender, date=self.now(), **fields,
        )
        log.messages.append(message)
        self.record_event(log, direction, EventKind.MESSAGE, message)
        return message

    def record_event(
        self, log: ChatLog, direction: Direction, kind: EventKind,
        message: RecordedMessage | None = None, text: str | None = None,
    ) -> None:
        documents = [message.file.file_name or message.file.file_path] if message and message.file else []
        show_buttons = message is not None and kind in (EventKind.MESSAGE, EventKind.EDIT)
        event = TranscriptEvent(
            time=self.now(), chat_id=log.chat["id"], person=log.person, direction=direction,
            kind=kind, text=text if text is not None else (message.plain_text if message else ""),
            message_id=message.message_id if message else None,
            buttons=message.buttons if show_buttons and message else [],
            documents=documents if kind is EventKind.MESSAGE else [],
        )
        self.events.append(event)
        for listener in self.event_listeners:
            listener(event)

    # -- bookkeeping --------------------------------------------------------------------------

    def record_violation(self, method: str, detail: str) -> None:
        self.violations.append(f"{method}: {detail}")
        self.stats.violations += 1
