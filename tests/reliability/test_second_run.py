"""A second `esakip-bot run` never takes down the one that serves (issue 15, item 1).

Same database: the newcomer refuses before it polls (the lease), with one line and exit 1.
Another database, same token: Telegram answers the *older* poller 409; the newcomer gives up
with one line, the one that was serving backs off, warns and goes on serving."""

from __future__ import annotations

import asyncio

from bot.app import NEWCOMER_SECONDS
from bot.fakegram import FakeTelegram
from tests.reliability.procs import BotProcess, bot_env, wait_polling

TOKEN = "515151:SECOND-RUN"
GUEST = 5001


async def served(double: FakeTelegram, text: str) -> None:
    """A guest writes; some bot answers (the unregistered get a polite refusal)."""
    before = len(double.messages_for(GUEST))
    await double.send_text(GUEST, text)
    await double.wait_for(lambda: any(m.direction == "bot→user" for m in double.messages_for(GUEST)[before:]),
                          timeout=30, interval=0.05)


def one_line(stderr: str) -> str:
    """The one line that says why (besides the INFO log of starting and stopping)."""
    lines = [line for line in stderr.splitlines() if line.strip() and " INFO " not in line]
    assert "Traceback" not in stderr, stderr
    assert len(lines) == 1 and lines[0].startswith("Galat: "), stderr
    return lines[0]


async def test_a_second_run_on_the_same_database_refuses_before_it_polls(tmp_path):
    async with FakeTelegram(token=TOKEN) as double:
        double.add_user(GUEST, first_name="Tamu")
        env = bot_env(double, f"sqlite:///{tmp_path / 'one.db'}", tmp_path)
        first = await BotProcess("run", env).start()
        second = BotProcess("run", env)
        try:
            await wait_polling(double, 0)
            asked = dict(double.stats.methods)
            await second.start()
            assert await second.finish() == 1
            line = one_line(second.stderr)
            assert "lain sudah berjalan pada basis data ini" in line and f"PID {first.pid}" in line
            assert double.stats.methods == asked  # not one request: no getMe, no getUpdates
            await served(double, "/start")
            assert first.returncode is None
            assert await first.stop() == 0, first.stderr
        finally:
            await first.ensure_dead()
            await second.ensure_dead()
    double.assert_no_violations()


async def test_a_newcomer_with_the_same_token_gives_up_and_the_serving_one_goes_on(tmp_path):
    async with FakeTelegram(token=TOKEN) as double:
        double.add_user(GUEST, first_name="Tamu")
        first = await BotProcess("run", bot_env(double, f"sqlite:///{tmp_path / 'a.db'}", tmp_path / "a")).start()
        second = BotProcess("run", bot_env(double, f"sqlite:///{tmp_path / 'b.db'}", tmp_path / "b"))
        try:
            await wait_polling(double, 0)
            began = asyncio.get_running_loop().time()
            await served(double, "/start")
            await asyncio.sleep(max(0.0, began + NEWCOMER_SECONDS - asyncio.get_running_loop().time()))
            await second.start()
            assert await second.finish(timeout=60) == 1
            line = one_line(second.stderr)
            assert "409 Conflict" in line and "tetap melayani" in line
            await asyncio.sleep(2.0)  # the serving one backed off once or twice by now
            assert first.returncode is None
            await served(double, "/bantuan")
            assert await first.stop() == 0
            assert "409 Conflict" in first.stderr and "going on" in first.stderr
            assert "Traceback" not in first.stderr, first.stderr
        finally:
            await first.ensure_dead()
            await second.ensure_dead()
