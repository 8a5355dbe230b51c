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
    await double.wait_for(lambda: len(double.messages_for(GUEST)) > before, timeout=30, interval=0.05)


def one_line(stderr: str) -> str:
    """The one line that says why (besides the INFO log of starting and stopping)."""
    lines = [line for line in stderr.splitlines() if line.strip() and " INFO " not in line]
    assert "Traceback" not in stderr, stderr
    assert len(lines) == 1 and lines[0].startswith("Galat: "), stderr
    return lines[0]


async def test_a_second_run_refuses_or_gives_up_and_the_serving_one_goes_on(tmp_path):
    async with FakeTelegram(token=TOKEN) as double:
        double.add_user(GUEST, first_name="Tamu")
        env = bot_env(double, f"sqlite:///{tmp_path / 'one.db'}", tmp_path / "one")
        serving = await BotProcess("run", env).start()
        same_db = BotProcess("run", env)
        other_db = BotProcess("run", bot_env(double, f"sqlite:///{tmp_path / 'two.db'}", tmp_path / "two"))
        loop = asyncio.get_running_loop()
        try:
            await wait_polling(double, 0)
            began = loop.time()
            await served(double, "/start")

            # the same database: refused before a single request to Telegram
            asked = dict(double.stats.methods)
            await same_db.start()
            assert await same_db.finish() == 1
            line = one_line(same_db.stderr)
            assert "lain sudah berjalan pada basis data ini" in line and f"PID {serving.pid}" in line
            assert double.stats.methods == asked  # no getMe, no getUpdates

            # another database, the same token: the newcomer gives up, the serving one goes on
            await asyncio.sleep(max(0.0, began + NEWCOMER_SECONDS - loop.time()))
            await other_db.start()
            assert await other_db.finish(timeout=60) == 1
            line = one_line(other_db.stderr)
            assert "409 Conflict" in line and "tetap melayani" in line
            await asyncio.sleep(1.5)  # the serving one backed off once or twice by now
            assert serving.returncode is None
            await served(double, "/bantuan")
            assert await serving.stop() == 0
            assert "409 Conflict" in serving.stderr and "going on" in serving.stderr
            assert "Traceback" not in serving.stderr, serving.stderr
        finally:
            for proc in (serving, same_db, other_db):
                await proc.ensure_dead()
