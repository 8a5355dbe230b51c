"""The double as seen through python-telegram-bot's Bot: semantics and Telegram's limits."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonCommands,
    Message,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Conflict, Forbidden

from bot.clock import FrozenClock
from bot.fakegram import Button, FakeTelegram
from tests.fakegram.conftest import BUDI, TOKEN, make_bot

KEYBOARD = InlineKeyboardMarkup([
    [InlineKeyboardButton("Setujui", callback_data="ok:1"), InlineKeyboardButton("Tolak", callback_data="no:1")],
    [InlineKeyboardButton("Portal", url="https://esakip.lamandaukab.go.id")],
])


def expect_violation(double: FakeTelegram, *fragments: str) -> None:
    """The single recorded violation mentions every fragment; then forget it."""
    assert len(double.violations) == 1, double.violations
    for fragment in fragments:
        assert fragment in double.violations[0]
    double.violations.clear()


async def test_get_me(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.username, me.is_bot, me.first_name) == ("esakip_lamandau_bot", True, "E-SAKIP Lamandau")


async def test_send_html_with_keyboard(double: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(BUDI, "<b>Tahap 1</b> &amp; <i>tahap 2</i>", parse_mode=ParseMode.HTML,
                                  reply_markup=KEYBOARD)
    assert sent.text == "Tahap 1 & tahap 2"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 0, 7), ("italic", 10, 7)]
    assert sent.reply_markup == KEYBOARD
    recorded = double.last_message(BUDI)
    assert recorded is not None and recorded.message_id == sent.message_id
    assert recorded.text == "<b>Tahap 1</b> &amp; <i>tahap 2</i>"
    assert recorded.buttons == [[Button("Setujui", "ok:1"), Button("Tolak", "no:1")],
                                [Button("Portal", "https://esakip.lamandaukab.go.id")]]


async def test_edit_text_markup_and_not_modified(double: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(BUDI, "Menunggu", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text("Disetujui", BUDI, sent.message_id, reply_markup=KEYBOARD)
    assert isinstance(edited, Message)
    assert edited.text == "Disetujui" and edited.edit_date is not None
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("Disetujui", BUDI, sent.message_id, reply_markup=KEYBOARD)
    expect_violation(double, "editMessageText", "message is not modified")

    await bot.edit_message_reply_markup(BUDI, sent.message_id, reply_markup=None)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(BUDI, sent.message_id, reply_markup=None)
    expect_violation(double, "editMessageReplyMarkup", "not modified")
    message = double.last_message(BUDI)
    assert message is not None and message.buttons == [] and len(message.history) == 2


async def test_edit_or_delete_missing_message(double: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", BUDI, 999)
    expect_violation(double, "message to edit not found")
    sent = await bot.send_message(BUDI, "sementara")
    assert await bot.delete_message(BUDI, sent.message_id)
    assert double.messages_for(BUDI) == []
    assert double.messages_for(BUDI, include_deleted=True)[0].deleted
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", BUDI, sent.message_id)
    expect_violation(double, "message to edit not found")


async def test_bad_html_is_rejected(double: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Can't parse entities: unsupported start tag \"br\""):
        await bot.send_message(BUDI, "baris<br>baris", parse_mode=ParseMode.HTML)
    expect_violation(double, "sendMessage", "can't parse entities")
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(BUDI, "nilai < 5", parse_mode=ParseMode.HTML)
    expect_violation(double, "can't parse entities")
    assert double.messages_for(BUDI) == []


async def test_text_length_counts_after_entity_parsing(double: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(BUDI, "<b>" + "a" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(BUDI, "a" * 4097)
    expect_violation(double, "message is too long")
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(BUDI, "<b> </b>", parse_mode=ParseMode.HTML)
    expect_violation(double, "message text is empty")


async def test_callback_data_over_64_bytes(double: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(BUDI, "ok", reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton("x", callback_data="é" * 32)]]))  # 64 bytes
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(BUDI, "x", reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("x", callback_data="a" * 65)]]))
    expect_violation(double, "BUTTON_DATA_INVALID")


async def test_caption_limit_and_document_round_trip(double: FakeTelegram, bot: Bot) -> None:
    content = bytes(range(256)) * 40
    sent = await bot.send_document(BUDI, content, filename="rekap.xlsx", caption="<b>Rekap</b>",
                                   parse_mode=ParseMode.HTML)
    assert sent.document is not None and sent.document.file_name == "rekap.xlsx"
    assert sent.document.file_size == len(content) and sent.caption == "Rekap"
    file = await bot.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == content
    recorded = double.last_message(BUDI)
    assert recorded is not None and recorded.document is not None
    assert (recorded.document.file_name, recorded.document.data) == ("rekap.xlsx", content)
    assert recorded.document.mime_type is not None

    again = await bot.send_document(BUDI, sent.document.file_id)  # resend by file_id
    assert again.document is not None and again.document.file_id == sent.document.file_id
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_document(BUDI, b"x", filename="a.txt", caption="c" * 1025)
    expect_violation(double, "message caption is too long")
    edited = await bot.edit_message_caption(BUDI, sent.message_id, caption="Rekap final")
    assert edited.caption == "Rekap final"  # type: ignore[union-attr]


async def test_send_photo(double: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_photo(BUDI, b"\x89PNG\r\n\x1a\nfake", caption="foto")
    assert sent.photo and sent.caption == "foto"
    assert double.last_message(BUDI).photo is not None  # type: ignore[union-attr]


async def test_commands_menu_button_and_chat_action(double: FakeTelegram, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Mulai"), BotCommand("status", "Status")])
    await bot.set_my_commands([BotCommand("bantuan", "Bantuan")], scope=BotCommandScopeAllPrivateChats())
    assert [c.command for c in await bot.get_my_commands()] == ["start", "status"]
    private = await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats())
    assert [c.command for c in private] == ["bantuan"]
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Start-Now", "x")])
    expect_violation(double, "BOT_COMMAND_INVALID")

    assert await bot.set_chat_menu_button(BUDI, MenuButtonCommands())
    assert isinstance(await bot.get_chat_menu_button(BUDI), MenuButtonCommands)
    assert await bot.send_chat_action(BUDI, ChatAction.TYPING)


async def test_webhook_and_polling_conflicts(double: FakeTelegram, bot: Bot) -> None:
    assert await bot.set_webhook("https://example.org/hook")
    assert (await bot.get_webhook_info()).url == "https://example.org/hook"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook()
    double.conflict_on_get_updates = True
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await bot.get_updates()
    double.conflict_on_get_updates = False
    assert await bot.get_updates() == ()


async def test_get_updates_offsets_and_long_polling(double: FakeTelegram, bot: Bot) -> None:
    await double.send_text(BUDI, "satu")
    await double.send_text(BUDI, "/status now")
    first = await bot.get_updates(limit=1)
    assert [u.message.text for u in first] == ["satu"]  # type: ignore[union-attr]
    both = await bot.get_updates()
    assert len(both) == 2 and both[1].message.entities[0].type == "bot_command"  # type: ignore[union-attr]
    assert await bot.get_updates(offset=both[-1].update_id + 1, timeout=0) == ()
    assert double.state.updates.pending == []


async def test_unknown_chat_and_blocked_user(double: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(Forbidden, match="can't initiate conversation"):
        await bot.send_message(424242, "halo")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message("@nobody", "halo")
    expect_violation(double, "chat not found")
    double.block(BUDI)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(BUDI, "halo")
    assert double.stats.forbidden == 2


async def test_callback_query_answers_expire() -> None:
    clock = FrozenClock(datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc))
    async with FakeTelegram(token=TOKEN, clock=clock) as double:
        double.add_user(BUDI, "Budi")
        async with make_bot(double) as bot:
            sent = await bot.send_message(BUDI, "pilih", reply_markup=KEYBOARD)
            fresh = await double.press(BUDI, sent.message_id, "Setujui")
            stale = await double.press(BUDI, sent.message_id, "Tolak")
            assert await bot.answer_callback_query(fresh, "Oke", show_alert=True)
            assert double.callback_answers[fresh].show_alert
            with pytest.raises(BadRequest, match="Query is too old"):
                await bot.answer_callback_query(fresh)  # already answered
            clock.advance(timedelta(seconds=16))
            with pytest.raises(BadRequest, match="Query is too old"):
                await bot.answer_callback_query(stale)
            with pytest.raises(BadRequest, match="Query is too old"):
                await bot.answer_callback_query("no-such-query")
            assert len(double.violations) == 3
            with pytest.raises(LookupError, match="no button 'Lanjut'"):
                await double.press(BUDI, sent.message_id, "Lanjut")
            with pytest.raises(ValueError, match="no callback_data"):
                await double.press(BUDI, sent.message_id, "Portal")
