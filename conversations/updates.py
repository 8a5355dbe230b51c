"""Typed access to the parts of an update a handler is registered for.

python-telegram-bot types every part of an `Update` as optional; a CallbackQueryHandler's update
always has its query, a private chat's message always its sender. These say so once (and fail
loudly when a handler is registered for the wrong kind of update)."""

from __future__ import annotations

from telegram import CallbackQuery, Message, Update

from bot import callbacks


class UnexpectedUpdate(RuntimeError):
    """A handler received an update of a kind it is not registered for (a wiring error)."""


def query_of(update: Update) -> CallbackQuery:
    if update.callback_query is None:
        raise UnexpectedUpdate("not a button press")
    return update.callback_query


def message_of(update: Update) -> Message:
    """The message the update brings, or the one whose button was pressed."""
    if update.effective_message is None:
        raise UnexpectedUpdate("no message")
    return update.effective_message


def pressed_message(update: Update) -> Message:
    """The (still accessible) message whose button was pressed."""
    query = query_of(update)
    if not isinstance(query.message, Message):
        raise UnexpectedUpdate("the pressed message is not accessible")
    return query.message


def user_id(update: Update) -> int:
    if update.effective_user is None:
        raise UnexpectedUpdate("no sender")
    return update.effective_user.id


def chat_id(update: Update) -> int:
    if update.effective_chat is None:
        raise UnexpectedUpdate("no chat")
    return update.effective_chat.id


def pressed(update: Update) -> callbacks.Callback:
    """The pressed button's data (a malformed one raises CallbackError)."""
    return callbacks.decode(query_of(update).data)


def text_of(update: Update) -> str:
    """The typed text (an empty string for a message without text)."""
    return message_of(update).text or ""
