"""Bot API methods about messages: send, edit, delete, callback answers, chat actions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.fakegram.errors import bad_request, not_supported
from bot.fakegram.limits import caption_text, message_text
from bot.fakegram.records import CallbackAnswer, Direction, RecordedMessage, StoredFile
from bot.fakegram.state import ChatLog, TelegramState
from bot.fakegram.transcript import EventKind
from bot.fakegram.validation import UploadedFile

Params = dict[str, Any]
Handler = Callable[[TelegramState, Params], Awaitable[Any]]

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_DOWNLOADABLE_BYTES = 20 * 1024 * 1024
CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
})


def _reply_to(log: ChatLog, params: Params) -> int | None:
    reply = params.get("reply_parameters")
    if not reply:
        return None
    if reply.get("chat_id") not in (None, log.chat["id"]):
        raise not_supported("replying to a message in another chat")
    target = log.find(reply["message_id"])
    if target is None or target.deleted:
        if reply.get("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    return int(reply["message_id"])


def _stored_file(state: TelegramState, value: UploadedFile | str, folder: str) -> StoredFile:
    if isinstance(value, UploadedFile):
        if not value.data:
            raise bad_request("file must be non-empty")
        return state.files.add(value.data, value.filename, value.content_type, folder)
    stored = state.files.by_id(value)
    if stored is not None:
        return stored
    if value.startswith(("http://", "https://")):
        raise not_supported("sending a file by URL")
    raise bad_request("wrong file identifier/HTTP URL specified")


async def send_message(state: TelegramState, params: Params) -> Any:
    log = state.chat_for_bot(params["chat_id"])
    formatted = message_text(params["text"], params.get("parse_mode"), params.get("entities"))
    state.keyboard_rules.check(params.get("reply_markup"))
    message = state.add_message(
        log, Direction.BOT_TO_USER, text=params["text"], parse_mode=params.get("parse_mode"),
        formatted=formatted, reply_markup=params.get("reply_markup"),
        reply_to_message_id=_reply_to(log, params),
    )
    return message.to_api()


async def _send_file(state: TelegramState, params: Params, field: str, folder: str) -> Any:
    log = state.chat_for_bot(params["chat_id"])
    caption = caption_text(params.get("caption"), params.get("parse_mode"), params.get("caption_entities"))
    state.keyboard_rules.check(params.get("reply_markup"))
    stored = _stored_file(state, params[field], folder)
    message = state.add_message(
        log, Direction.BOT_TO_USER, caption=params.get("caption"), parse_mode=params.get("parse_mode"),
        formatted=caption, reply_markup=params.get("reply_markup"),
        reply_to_message_id=_reply_to(log, params), **{field: stored},
    )
    return message.to_api()


async def send_document(state: TelegramState, params: Params) -> Any:
    return await _send_file(state, params, "document", "documents")


async def send_photo(state: TelegramState, params: Params) -> Any:
    return await _send_file(state, params, "photo", "photos")


def _editable(state: TelegramState, params: Params, what: str = "edit") -> tuple[ChatLog, RecordedMessage]:
    if "inline_message_id" in params:
        raise not_supported("inline_message_id")
    if "chat_id" not in params or "message_id" not in params:
        raise bad_request("message identifier is not specified")
    log = state.chat_for_bot(params["chat_id"])
    message = log.find(params["message_id"])
    if message is None or message.deleted:
        raise bad_request(f"message to {what} not found")
    if what == "edit" and message.direction is not Direction.BOT_TO_USER:
        raise bad_request("message can't be edited")
    return log, message


def _keyboard(markup: dict[str, Any] | None) -> list[Any]:
    return list((markup or {}).get("inline_keyboard", []))


def _apply_edit(state: TelegramState, log: ChatLog, message: RecordedMessage, **changes: Any) -> Any:
    message.revise(state.now())
    for name, value in changes.items():
        setattr(message, name, value)
    state.record_event(log, Direction.BOT_TO_USER, EventKind.EDIT, message)
    return message.to_api()


async def edit_message_text(state: TelegramState, params: Params) -> Any:
    if "rich_message" in params:
        raise not_supported("rich_message")
    log, message = _editable(state, params)
    if message.text is None:
        raise bad_request("there is no text in the message to edit")
    formatted = message_text(params.get("text", ""), params.get("parse_mode"), params.get("entities"))
    markup = params.get("reply_markup")
    state.keyboard_rules.check(markup)
    old = message.formatted
    if (old is not None and (formatted.text, formatted.entities) == (old.text, old.entities)
            and _keyboard(markup) == _keyboard(message.reply_markup)):
        raise bad_request(NOT_MODIFIED)
    return _apply_edit(state, log, message, text=params["text"], parse_mode=params.get("parse_mode"),
                       formatted=formatted, reply_markup=markup)


async def edit_message_caption(state: TelegramState, params: Params) -> Any:
    log, message = _editable(state, params)
    if message.file is None:
        raise bad_request("there is no caption in the message to edit")
    formatted = caption_text(params.get("caption"), params.get("parse_mode"), params.get("caption_entities"))
    markup = params.get("reply_markup")
    state.keyboard_rules.check(markup)
    old = message.formatted
    same_caption = (formatted is None and old is None) or (
        formatted is not None and old is not None
        and (formatted.text, formatted.entities) == (old.text, old.entities))
    if same_caption and _keyboard(markup) == _keyboard(message.reply_markup):
        raise bad_request(NOT_MODIFIED)
    return _apply_edit(state, log, message, caption=params.get("caption"),
                       parse_mode=params.get("parse_mode"), formatted=formatted, reply_markup=markup)


async def edit_message_reply_markup(state: TelegramState, params: Params) -> Any:
    log, message = _editable(state, params)
    markup = params.get("reply_markup")
    state.keyboard_rules.check(markup)
    if _keyboard(markup) == _keyboard(message.reply_markup):
        raise bad_request(NOT_MODIFIED)
    return _apply_edit(state, log, message, reply_markup=markup)


async def delete_message(state: TelegramState, params: Params) -> Any:
    log, message = _editable(state, params, what="delete")
    message.deleted = True
    state.record_event(log, Direction.BOT_TO_USER, EventKind.DELETE, message, text="")
    return True


async def answer_callback_query(state: TelegramState, params: Params) -> Any:
    query = state.callback_queries.get(params["callback_query_id"])
    if query is None or query.answered:
        raise bad_request(QUERY_INVALID)
    if (state.now() - query.created).total_seconds() > state.callback_query_max_age:
        raise bad_request(QUERY_INVALID)
    text = params.get("text")
    if text is not None and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answered = True
    state.callback_answers[query.id] = CallbackAnswer(
        text=text, show_alert=bool(params.get("show_alert", False)),
        url=params.get("url"), cache_time=params.get("cache_time"),
    )
    if text:
        log = state.chat_of_user(query.user_id)
        prefix = "alert: " if params.get("show_alert") else ""
        state.record_event(log, Direction.BOT_TO_USER, EventKind.CALLBACK_ANSWER, text=prefix + text)
    return True


async def send_chat_action(state: TelegramState, params: Params) -> Any:
    state.chat_for_bot(params["chat_id"])
    if params["action"] not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


async def get_file(state: TelegramState, params: Params) -> Any:
    stored = state.files.by_id(params["file_id"])
    if stored is None:
        raise bad_request("invalid file_id")
    if stored.size > MAX_DOWNLOADABLE_BYTES:
        raise bad_request("file is too big")
    return stored.as_file()


MESSAGE_METHODS: dict[str, Handler] = {
    "sendMessage": send_message,
    "sendDocument": send_document,
    "sendPhoto": send_photo,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "answerCallbackQuery": answer_callback_query,
    "sendChatAction": send_chat_action,
    "getFile": get_file,
}
