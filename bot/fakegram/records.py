"""What the double records: messages with their edit history, files, requests, statistics."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple

from bot.fakegram.telegram_html import FormattedText


class Direction(StrEnum):
    BOT_TO_USER = "bot→user"
    USER_TO_BOT = "user→bot"


class Button(NamedTuple):
    """An inline button as the user sees it: its label and its callback_data (or url)."""

    text: str
    data: str | None


@dataclass
class StoredFile:
    """A file held by the double: uploaded by the bot or by a simulated user."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    file_name: str | None = None
    mime_type: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)

    def as_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
        }
        if self.file_name is not None:
            document["file_name"] = self.file_name
        if self.mime_type is not None:
            document["mime_type"] = self.mime_type
        return document

    def as_photo(self) -> list[dict[str, Any]]:
        """One PhotoSize; the double does not decode images, so the dimensions are nominal."""
        return [{"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                 "width": 1280, "height": 720, "file_size": self.size}]

    def as_file(self) -> dict[str, Any]:
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                "file_size": self.size, "file_path": self.file_path}


@dataclass(frozen=True)
class Revision:
    """A former version of an edited message."""

    replaced_at: datetime
    text: str | None
    caption: str | None
    plain_text: str
    reply_markup: dict[str, Any] | None


@dataclass
class RecordedMessage:
    """One message in a chat, sent by the bot or by a simulated user, in its current state."""

    chat: dict[str, Any]
    message_id: int
    direction: Direction
    sender: dict[str, Any]
    date: datetime
    text: str | None = None
    caption: str | None = None
    parse_mode: str | None = None
    formatted: FormattedText | None = None
    reply_markup: dict[str, Any] | None = None
    document: StoredFile | None = None
    photo: StoredFile | None = None
    reply_to_message_id: int | None = None
    edit_date: datetime | None = None
    history: list[Revision] = field(default_factory=list)
    deleted: bool = False

    @property
    def chat_id(self) -> int:
        return int(self.chat["id"])

    @property
    def plain_text(self) -> str:
        """Text or caption as the user reads it (entities parsed away)."""
        return self.formatted.text if self.formatted is not None else ""

    @property
    def buttons(self) -> list[list[Button]]:
        """Inline keyboard rows as (text, callback_data or url) pairs; [] without a keyboard."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [[Button(b["text"], b.get("callback_data", b.get("url"))) for b in row] for row in rows]

    @property
    def keyboard(self) -> list[list[dict[str, Any]]]:
        """Inline keyboard rows with every field of each button."""
        return list((self.reply_markup or {}).get("inline_keyboard", []))

    @property
    def file(self) -> StoredFile | None:
        return self.document or self.photo

    def revise(self, now: datetime) -> None:
        """Remember the current version before it is edited."""
        self.history.append(Revision(now, self.text, self.caption, self.plain_text, self.reply_markup))
        self.edit_date = now

    def to_api(self) -> dict[str, Any]:
        """The Message object Telegram would return for this message."""
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "from": self.sender,
            "chat": self.chat,
            "date": int(self.date.timestamp()),
        }
        if self.edit_date is not None:
            message["edit_date"] = int(self.edit_date.timestamp())
        entities = self.formatted.entities if self.formatted is not None else []
        if self.text is not None:
            message["text"] = self.plain_text
            if entities:
                message["entities"] = entities
        if self.document is not None:
            message["document"] = self.document.as_document()
        if self.photo is not None:
            message["photo"] = self.photo.as_photo()
        if self.caption is not None and self.plain_text:
            message["caption"] = self.plain_text
            if entities:
                message["caption_entities"] = entities
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            message["reply_markup"] = self.reply_markup
        return message


@dataclass(frozen=True)
class RequestRecord:
    """One HTTP request the bot made and how the double answered it."""

    time: datetime
    method: str
    params: dict[str, Any]
    status: int
    description: str | None = None


@dataclass(frozen=True)
class CallbackAnswer:
    """What the bot passed to answerCallbackQuery."""

    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int | None


@dataclass
class Stats:
    """Counters over the double's lifetime."""

    methods: Counter[str] = field(default_factory=Counter)
    too_many_requests: int = 0
    injected: Counter[str] = field(default_factory=Counter)
    forbidden: int = 0
    bad_requests: int = 0
    violations: int = 0

    @property
    def server_errors_injected(self) -> int:
        return self.injected["5xx"]

    @property
    def total_requests(self) -> int:
        return sum(self.methods.values())
