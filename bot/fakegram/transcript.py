"""A chronological, human-readable log of the conversation between the bot and each user."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from enum import StrEnum

from bot.fakegram.records import Button, Direction


class EventKind(StrEnum):
    MESSAGE = "message"
    EDIT = "edit"
    DELETE = "delete"
    PRESS = "press"
    CALLBACK_ANSWER = "callback answer"


@dataclass(frozen=True)
class TranscriptEvent:
    """One thing that happened in a chat."""

    time: datetime
    chat_id: int
    person: str
    direction: Direction
    kind: EventKind
    text: str
    message_id: int | None = None
    buttons: list[list[Button]] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """The event as one or more lines of text (without time and chat)."""
        head = {
            EventKind.MESSAGE: "",
            EventKind.EDIT: f"(edited #{self.message_id}) ",
            EventKind.DELETE: f"(deleted #{self.message_id})",
            EventKind.PRESS: "(pressed) ",
            EventKind.CALLBACK_ANSWER: "(callback answer) ",
        }[self.kind]
        lines = (head + self.text).splitlines() or [head]
        lines += [f"[file: {name}]" for name in self.documents]
        lines += ["  ".join(f"[{b.text}]" for b in row) for row in self.buttons]
        return "\n".join(lines)


def format_transcript(events: list[TranscriptEvent], chat_id: int | None = None,
                      tz: tzinfo | None = None) -> str:
    """Events grouped per person, each group in time order, with aligned continuation lines
    (times shown in `tz` when given)."""
    chats: dict[int, list[TranscriptEvent]] = {}
    for event in events:
        if chat_id is None or event.chat_id == chat_id:
            chats.setdefault(event.chat_id, []).append(event)
    blocks = []
    for chat, chat_events in chats.items():
        lines = [f"=== {chat_events[0].person} (chat {chat}) ==="]
        for event in chat_events:
            shown = event.time.astimezone(tz) if tz is not None else event.time
            prefix = f"{shown:%H:%M:%S}  {event.direction:<8}  "
            body = event.describe().splitlines()
            lines.append(prefix + body[0])
            lines.extend(" " * len(prefix) + line for line in body[1:])
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
