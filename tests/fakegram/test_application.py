"""A real telegram.ext.Application polling the double, driven by simulated users."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.fakegram import Button, Direction, EventKind, FakeTelegram
from tests.fakegram.conftest import BUDI, SARI

KEYBOARD = InlineKeyboardMarkup([[
    InlineKeyboardButton("Setujui", callback_data="approve:7"),
    InlineKeyboardButton("Tolak", callback_data="reject:7"),
]])


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    name = update.effective_user.first_name if update.effective_user else "?"
    args = " ".join(context.args or [])
    await update.effective_message.reply_html(
        f"Selamat datang, <b>{name}</b>! Kode: <code>{args or '-'}</code>", reply_markup=KEYBOARD
    )


async def decide(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    verdict = "disetujui" if query.data.startswith("approve") else "ditolak"
    await query.answer(f"Dokumen {verdict}")
    await query.edit_message_text(f"Dokumen <i>{verdict}</i>.", parse_mode=ParseMode.HTML)


async def receive_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.document is not None
    file = await message.document.get_file()
    content = bytes(await file.download_as_bytearray())
    await message.reply_text(f"Diterima {message.document.file_name}: {len(content)} byte, "
                             f"awal {content[:4].decode()}")


async def slow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await asyncio.sleep(0.3)  # e.g. rendering a PDF: longer than the quiet period, no requests
    await update.effective_message.reply_text("Selesai")


@pytest.fixture
async def app(double: FakeTelegram) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    application = double.configure(ApplicationBuilder()).build()
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("slow", slow))
    application.add_handler(CallbackQueryHandler(decide))
    application.add_handler(MessageHandler(filters.Document.ALL, receive_document))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    double.watch(application)
    yield application
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


async def test_command_reply_and_button_press(double: FakeTelegram, app: Application) -> None:  # type: ignore[type-arg]
    await double.send_text(BUDI, "/start abc")
    await double.wait_idle()

    reply = double.last_message(BUDI)
    assert reply is not None
    assert reply.plain_text == "Selamat datang, Budi! Kode: abc"
    assert reply.parse_mode == "HTML"
    assert double.buttons(reply) == [[Button("Setujui", "approve:7"), Button("Tolak", "reject:7")]]

    query_id = await double.press(BUDI, reply, button="Setujui")
    await double.wait_idle()

    answer = double.callback_answers[query_id]
    assert (answer.text, answer.show_alert) == ("Dokumen disetujui", False)
    edited = double.last_message(BUDI)
    assert edited is reply
    assert edited.plain_text == "Dokumen disetujui."
    assert edited.buttons == []  # editing text without reply_markup removes the keyboard
    assert [r.plain_text for r in edited.history] == ["Selamat datang, Budi! Kode: abc"]


async def test_press_by_callback_data_and_two_users(double: FakeTelegram, app: Application) -> None:  # type: ignore[type-arg]
    await double.send_text(BUDI, "/start")
    await double.send_text(SARI, "/start xyz")
    await double.wait_idle()
    sari_message = double.last_message(SARI)
    assert sari_message is not None and sari_message.plain_text.endswith("Kode: xyz")

    await double.press(SARI, sari_message.message_id, button="reject:7")
    await double.wait_idle()

    assert double.last_message(SARI).plain_text == "Dokumen ditolak."  # type: ignore[union-attr]
    assert double.last_message(BUDI).plain_text.startswith("Selamat datang, Budi")  # type: ignore[union-attr]
    sari_events = [e for e in double.transcript() if e.chat_id == SARI]
    assert [(e.direction, e.kind) for e in sari_events] == [
        (Direction.USER_TO_BOT, EventKind.MESSAGE),
        (Direction.BOT_TO_USER, EventKind.MESSAGE),
        (Direction.USER_TO_BOT, EventKind.PRESS),
        (Direction.BOT_TO_USER, EventKind.CALLBACK_ANSWER),
        (Direction.BOT_TO_USER, EventKind.EDIT),
    ]
    text = double.format_transcript(SARI)
    assert "=== Sari Dewi (chat 1002) ===" in text and "[Setujui]  [Tolak]" in text


async def test_user_upload_is_downloadable_by_the_bot(double: FakeTelegram, app: Application) -> None:  # type: ignore[type-arg]
    await double.upload(BUDI, "laporan.pdf", b"%PDF-1.7 isi laporan", "application/pdf", caption="LKjIP")
    await double.wait_idle()
    reply = double.last_message(BUDI)
    assert reply is not None and reply.plain_text == "Diterima laporan.pdf: 20 byte, awal %PDF"


async def test_forged_callback_data_reaches_the_bot(double: FakeTelegram, app: Application) -> None:  # type: ignore[type-arg]
    await double.send_text(BUDI, "/start")
    await double.wait_idle()
    message = double.last_message(BUDI)
    assert message is not None
    query_id = await double.press_raw(BUDI, message.message_id, "reject:999")
    await double.wait_idle()
    assert double.callback_answers[query_id].text == "Dokumen ditolak"


async def test_wait_idle_reports_what_is_pending(double: FakeTelegram) -> None:
    await double.send_text(BUDI, "halo")  # nobody polls
    with pytest.raises(TimeoutError, match=r"1 update\(s\) pending: #1 message \(not fetched\)"):
        await double.wait_idle(timeout=0.2)


async def test_wait_for_returns_the_truthy_value(double: FakeTelegram, app: Application) -> None:  # type: ignore[type-arg]
    await double.send_text(BUDI, "/start")
    reply = await double.wait_for(lambda: double.last_message(BUDI))
    assert reply is not None and reply.plain_text.startswith("Selamat datang")
    with pytest.raises(TimeoutError, match="still false"):
        await double.wait_for(lambda: double.last_message(SARI), timeout=0.1)


async def test_wait_idle_waits_for_a_slow_handler(double: FakeTelegram, app: Application) -> None:  # type: ignore[type-arg]
    await double.send_text(BUDI, "/slow")
    await double.wait_idle()
    reply = double.last_message(BUDI)
    assert reply is not None and reply.plain_text == "Selesai"
