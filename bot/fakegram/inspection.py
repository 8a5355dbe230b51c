"""Reading what happened: chats, messages, buttons, callback answers, transcript, violations."""

from __future__ import annotations

from datetime import tzinfo

from collections.abc import Callable

from bot.fakegram.records import (
    Button,
    CallbackAnswer,
    Direction,
    RecordedMessage,
    RequestRecord,
    Stats,
)
from bot.fakegram.state import ChatLog, TelegramState
from bot.fakegram.transcript import TranscriptEvent, format_transcript


class Inspection:
    """Mixin for FakeTelegram: the recording API."""

    state: TelegramState

    def chat(self, chat_id: int) -> ChatLog:
        """The private chat with user ``chat_id``; ``.messages`` holds both directions."""
        return self.state.chat_of_user(chat_id)

    def messages_for(self, chat_id: int, *, include_deleted: bool = False) -> list[RecordedMessage]:
        """Messages the bot sent to ``chat_id``, oldest first, in their current (edited) state."""
        return [
            m for m in self.chat(chat_id).messages
            if m.direction is Direction.BOT_TO_USER and (include_deleted or not m.deleted)
        ]

    def last_message(self, chat_id: int) -> RecordedMessage | None:
        """The newest message the bot sent to ``chat_id`` that is not deleted, if any."""
        messages = self.messages_for(chat_id)
        return messages[-1] if messages else None

    @staticmethod
    def buttons(message: RecordedMessage) -> list[list[Button]]:
        """Inline keyboard rows of (text, callback_data or url)."""
        return message.buttons

    @property
    def callback_answers(self) -> dict[str, CallbackAnswer]:
        """answerCallbackQuery calls by callback query id."""
        return self.state.callback_answers

    def transcript(self) -> list[TranscriptEvent]:
        """Every message, edit, deletion, button press and callback answer, in order."""
        return list(self.state.events)

    def on_event(self, listener: Callable[[TranscriptEvent], None]) -> None:
        """Call ``listener`` with every new transcript event (e.g. to print a live demo)."""
        self.state.event_listeners.append(listener)

    def format_transcript(self, chat_id: int | None = None, tz: tzinfo | None = None) -> str:
        """The transcript as readable text, one section per person."""
        return format_transcript(self.state.events, chat_id, tz)

    @property
    def requests(self) -> list[RequestRecord]:
        """Every API request: method, parameters, HTTP status, error description."""
        return self.state.requests

    @property
    def stats(self) -> Stats:
        return self.state.stats

    @property
    def violations(self) -> list[str]:
        """Requests that broke the spec or Telegram's rules, as "method: detail" strings."""
        return self.state.violations

    def assert_no_violations(self) -> None:
        """Raise AssertionError listing every violation, if there was any."""
        if self.state.violations:
            listed = "\n".join(f"  - {v}" for v in self.state.violations)
            raise AssertionError(f"{len(self.state.violations)} Bot API violation(s):\n{listed}")
