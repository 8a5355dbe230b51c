"""The user-simulation API as the bot sees it through getUpdates."""

from __future__ import annotations

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.fakegram import EventKind, FakeTelegram, TranscriptEvent
from tests.fakegram.conftest import BUDI, SARI


async def test_text_reply_and_command_updates(double: FakeTelegram, bot: Bot) -> None:
    first = await double.send_text(BUDI, "Laporan sudah saya kirim")
    await double.send_text(BUDI, "/lapor@esakip_lamandau_bot 2026", reply_to_message_id=first.message_id)
    updates = await bot.get_updates()
    plain, command = (u.message for u in updates)
    assert plain is not None and command is not None
    assert plain.text == "Laporan sudah saya kirim" and plain.entities == ()
    assert plain.from_user is not None and plain.from_user.username == "budi"
    assert command.entities[0].type == "bot_command" and command.entities[0].length == 26
    assert command.reply_to_message is not None and command.reply_to_message.message_id == first.message_id
    assert [m.direction.value for m in double.chat(BUDI).messages] == ["user→bot", "user→bot"]
    with pytest.raises(LookupError, match="call add_user"):
        await double.send_text(999, "siapa?")
    with pytest.raises(LookupError, match="no message 77 to reply to"):
        await double.send_text(BUDI, "x", reply_to_message_id=77)


async def test_upload_then_get_file(double: FakeTelegram, bot: Bot) -> None:
    await double.upload(SARI, "renja.docx", b"PK\x03\x04docx", "application/vnd.openxmlformats-officedocument"
                        ".wordprocessingml.document", caption="Renja 2027")
    (update,) = await bot.get_updates()
    message = update.message
    assert message is not None and message.document is not None and message.caption == "Renja 2027"
    assert (message.document.file_name, message.document.file_size) == ("renja.docx", 8)
    file = await bot.get_file(message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"PK\x03\x04docx"


async def test_press_on_deleted_message_and_raw_press(double: FakeTelegram, bot: Bot) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="ok")]])
    sent = await bot.send_message(BUDI, "pilih", reply_markup=keyboard)
    await bot.delete_message(BUDI, sent.message_id)
    with pytest.raises(LookupError, match="was deleted"):
        await double.press(BUDI, sent.message_id, "OK")
    with pytest.raises(LookupError, match="sent no message 404"):
        await double.press(BUDI, 404, "OK")
    query_id = await double.press_raw(BUDI, 404, "x" * 100)
    (update,) = await bot.get_updates()
    query = update.callback_query
    assert query is not None and query.id == query_id and query.data == "x" * 100
    assert query.message is not None and not query.message.is_accessible  # date 0
    assert await bot.answer_callback_query(query_id)


async def test_press_sends_the_current_message(double: FakeTelegram, bot: Bot) -> None:
    events: list[TranscriptEvent] = []
    double.on_event(events.append)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Lanjut", callback_data="next")]])
    sent = await bot.send_message(SARI, "<b>Langkah 1</b>", parse_mode="HTML", reply_markup=keyboard)
    await bot.edit_message_text("Langkah 2", SARI, sent.message_id, reply_markup=keyboard)
    await double.press(SARI, sent.message_id, "Lanjut")
    (update,) = await bot.get_updates()
    assert update.callback_query is not None
    shown = update.callback_query.message
    assert isinstance(shown, Message) and shown.text == "Langkah 2" and shown.edit_date is not None
    assert [e.kind for e in events] == [EventKind.MESSAGE, EventKind.EDIT, EventKind.PRESS]
    assert events[-1].text == "Lanjut"
