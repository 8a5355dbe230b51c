"""The bot's aiohttp transport behaves as PTB's own HTTPXRequest does, against the double.

Each case runs with both, so a difference between them is a failing test rather than a surprise
in production: the same parameters arrive, the same files, the same exceptions come back.
"""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator, Callable

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest

from bot.aiohttp_request import AiohttpRequest
from bot.fakegram import FakeTelegram
from tests.fakegram.conftest import BUDI

Transport = Callable[..., BaseRequest]
TRANSPORTS = [pytest.param(HTTPXRequest, id="httpx"), pytest.param(AiohttpRequest, id="aiohttp")]


@pytest.fixture(params=TRANSPORTS)
def transport(request: pytest.FixtureRequest) -> Transport:
    return request.param  # type: ignore[no-any-return]


def bot_on(double: FakeTelegram, transport: Transport, read_timeout: float = 2.0) -> Bot:
    return Bot(double.token, base_url=double.base_url, base_file_url=double.base_file_url,
               request=transport(connect_timeout=2.0, read_timeout=read_timeout, write_timeout=2.0),
               get_updates_request=transport(connection_pool_size=1))


@pytest.fixture
async def bot(double: FakeTelegram, transport: Transport) -> AsyncIterator[Bot]:
    async with bot_on(double, transport) as tg_bot:
        yield tg_bot


async def test_parameters_and_markup_arrive_as_sent(double: FakeTelegram, bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Setujui ✓", callback_data="v1:setuju:7")]])
    sent = await bot.send_message(BUDI, "<b>Dinas P&amp;K</b> — 100% &lt;siap&gt;", parse_mode="HTML",
                               reply_markup=markup)
    stored = double.messages_for(BUDI)[-1]
    assert stored.plain_text == "Dinas P&K — 100% <siap>"
    assert [(b.text, b.data) for row in stored.buttons for b in row] == [("Setujui ✓", "v1:setuju:7")]
    assert sent.message_id == stored.message_id


async def test_a_document_goes_up_and_comes_back_byte_for_byte(double: FakeTelegram, bot: Bot) -> None:
    data = bytes(range(256)) * 4096  # 1 MiB, every byte value
    name = "Surat Pengantar Dinas P&K (Lamandau) — 2026.pdf"
    sent = await bot.send_document(BUDI, data, filename=name, caption="Lampiran")
    assert sent.document is not None and sent.document.file_name == name
    stored = double.messages_for(BUDI)[-1]
    assert stored.file is not None and stored.file.data == data and stored.file.file_name == name
    downloaded = await (await bot.get_file(sent.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == data


async def test_5xx_is_a_network_error(double: FakeTelegram, bot: Bot) -> None:
    double.inject("sendMessage", "5xx")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(BUDI, "x")


async def test_no_answer_is_timed_out(double: FakeTelegram, transport: Transport) -> None:
    double.inject("sendMessage", "timeout")
    async with bot_on(double, transport, read_timeout=0.3) as tg_bot:
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await tg_bot.send_message(BUDI, "x")
        assert time.monotonic() - started < 1.5  # well before the double's 2 s hold ends
        await double.wait_idle(timeout=3)
        await tg_bot.send_message(BUDI, "y")
    assert [m.plain_text for m in double.messages_for(BUDI)] == ["y"]


async def test_a_dropped_connection_is_a_network_error(double: FakeTelegram, bot: Bot) -> None:
    double.inject("sendDocument", "network")
    with pytest.raises(NetworkError):
        await bot.send_document(BUDI, b"data", filename="a.txt")
    assert (await bot.send_document(BUDI, b"data", filename="a.txt")).document is not None


async def test_nobody_listening_is_a_network_error(transport: Transport) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    tg_bot = Bot("123:x", base_url=f"http://127.0.0.1:{port}/bot", request=transport())
    try:
        with pytest.raises(NetworkError):
            await tg_bot.initialize()  # its getMe finds nobody
    finally:
        await tg_bot.shutdown()


async def test_long_polling_waits_its_timeout_without_timing_out(double: FakeTelegram, bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()  # the poll's timeout is added to read_timeout
    assert 0.9 < time.monotonic() - started < 2.5


async def test_a_request_before_initialize_is_refused() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request("http://127.0.0.1:9/", "POST")


async def test_a_full_length_message_arrives_whole(double: FakeTelegram, bot: Bot) -> None:
    line = "Dinas Pendidikan & Kebudayaan — “belum menerima”; 100% + é\n"
    text = (line * 80)[:4096]
    await bot.send_message(BUDI, text)
    assert double.messages_for(BUDI)[-1].plain_text == text
