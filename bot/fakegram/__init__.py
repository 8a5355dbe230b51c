"""fakegram: an offline Telegram Bot API double for tests and the demo.

``FakeTelegram`` is a real HTTP server on 127.0.0.1 that python-telegram-bot talks to
instead of api.telegram.org. It validates every request against the bundled Bot API spec,
enforces Telegram's limits and flood control, records everything the bot sends, can inject
failures, and acts as users (text, commands, button presses, uploads).
"""

from bot.fakegram.errors import ApiError
from bot.fakegram.faults import Fault, FaultKind
from bot.fakegram.ratelimit import RateLimits
from bot.fakegram.records import (
    Button,
    CallbackAnswer,
    Direction,
    RecordedMessage,
    RequestRecord,
    Revision,
    Stats,
    StoredFile,
)
from bot.fakegram.server import FakeTelegram
from bot.fakegram.spec import ApiSpec, load_spec
from bot.fakegram.state import BotIdentity, ChatLog, Clock, SystemClock
from bot.fakegram.telegram_html import EntityParseError, FormattedText, parse_html
from bot.fakegram.transcript import EventKind, TranscriptEvent, format_transcript

__all__ = [
    "ApiError", "ApiSpec", "BotIdentity", "Button", "CallbackAnswer", "ChatLog", "Clock",
    "Direction", "EntityParseError", "EventKind", "FakeTelegram", "Fault", "FaultKind",
    "FormattedText", "RateLimits", "RecordedMessage", "RequestRecord", "Revision", "Stats",
    "StoredFile", "SystemClock", "TranscriptEvent", "format_transcript", "load_spec", "parse_html",
]
