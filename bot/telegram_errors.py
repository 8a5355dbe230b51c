"""Bot API errors classified by what they mean, in one place.

python-telegram-bot strips "Bad Request: " from Telegram's description and capitalises what is
left ("Message is not modified: ..."), so descriptions are compared case-insensitively, by the
phrase that carries the meaning, never by the exact sentence."""

from __future__ import annotations

from enum import Enum

from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError


class ApiErrorKind(Enum):
    NOT_MODIFIED = "not_modified"      # an edit identical to what the message shows
    MESSAGE_GONE = "message_gone"      # the message to edit/reply to is deleted, or not editable
    QUERY_TOO_OLD = "query_too_old"    # a callback query answered already, or too late
    BLOCKED = "blocked"                # the person blocked the bot, or deleted their account
    CHAT_GONE = "chat_gone"            # no such chat (never started the bot, wrong id)
    RETRY_AFTER = "retry_after"        # flood control (429)
    TRANSIENT = "transient"            # 5xx, timeout, connection dropped: the same call may work
    CONFLICT = "conflict"              # another getUpdates poller (409)
    INVALID_TOKEN = "invalid_token"
    BAD_REQUEST = "bad_request"        # any other 400: the call itself is wrong
    OTHER = "other"


#: Phrases of Telegram's descriptions (lower case) and what they mean; first match wins.
_PHRASES: tuple[tuple[str, ApiErrorKind], ...] = (
    ("message is not modified", ApiErrorKind.NOT_MODIFIED),
    ("message to edit not found", ApiErrorKind.MESSAGE_GONE),
    ("message can't be edited", ApiErrorKind.MESSAGE_GONE),
    ("message to be replied not found", ApiErrorKind.MESSAGE_GONE),
    ("message to delete not found", ApiErrorKind.MESSAGE_GONE),
    ("message can't be deleted", ApiErrorKind.MESSAGE_GONE),
    ("query is too old", ApiErrorKind.QUERY_TOO_OLD),
    ("query id is invalid", ApiErrorKind.QUERY_TOO_OLD),
    ("bot was blocked by the user", ApiErrorKind.BLOCKED),
    ("user is deactivated", ApiErrorKind.BLOCKED),
    ("bot can't initiate conversation", ApiErrorKind.CHAT_GONE),
    ("chat not found", ApiErrorKind.CHAT_GONE),
    ("user not found", ApiErrorKind.CHAT_GONE),
)


def classify(exc: BaseException) -> ApiErrorKind:
    """What a Bot API error means for the caller."""
    if not isinstance(exc, TelegramError):
        return ApiErrorKind.OTHER
    if isinstance(exc, RetryAfter):
        return ApiErrorKind.RETRY_AFTER
    if isinstance(exc, Conflict):
        return ApiErrorKind.CONFLICT
    if isinstance(exc, InvalidToken):
        return ApiErrorKind.INVALID_TOKEN
    text = (exc.message or "").lower()
    if isinstance(exc, (BadRequest, Forbidden)):
        for phrase, kind in _PHRASES:
            if phrase in text:
                return kind
        return ApiErrorKind.BLOCKED if isinstance(exc, Forbidden) else ApiErrorKind.BAD_REQUEST
    if isinstance(exc, NetworkError):  # TimedOut, 5xx ("Bad Gateway"), connection errors
        return ApiErrorKind.TRANSIENT
    return ApiErrorKind.OTHER


def is_transient(exc: BaseException) -> bool:
    """Whether the same call may well succeed if made again shortly."""
    return classify(exc) is ApiErrorKind.TRANSIENT
