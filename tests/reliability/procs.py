"""Real `esakip-bot run` / `worker` processes against the Bot API double, for the fault tests."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.fakegram import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]


def bot_env(double: FakeTelegram, db_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a bot process pointed at the double (nothing read from a .env)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESAKIP_")}
    env.update(ESAKIP_BOT_TOKEN=double.token, ESAKIP_BOT_API_URL=double.base_url,
               ESAKIP_BOT_FILE_URL=double.base_file_url, ESAKIP_DATABASE_URL=db_url,
               ESAKIP_DATA_DIR=str(data_dir), ESAKIP_CALENDAR="24x7", **extra)
    return env


class BotProcess:
    """One `esakip-bot COMMAND` subprocess; its stderr is kept for the test to read."""

    def __init__(self, command: str, env: dict[str, str]) -> None:
        self.command, self.env = command, env
        self.proc: asyncio.subprocess.Process | None = None
        self.out = b""
        self.err = b""

    async def start(self) -> BotProcess:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-c", "from bot.cli import main; main()", self.command, env=self.env, cwd=ROOT,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    @property
    def returncode(self) -> int | None:
        return None if self.proc is None else self.proc.returncode

    async def finish(self, timeout: float = 30.0) -> int:
        """Wait for the process to end by itself; returns its exit code."""
        assert self.proc is not None
        out, err = await asyncio.wait_for(self.proc.communicate(), timeout)
        self.out, self.err = self.out + out, self.err + err
        assert self.proc.returncode is not None
        return self.proc.returncode

    async def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM, and wait for a clean exit."""
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
        return await self.finish(timeout)

    async def kill9(self) -> None:
        """kill -9, then reap it (a zombie would still look alive to the next process)."""
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.kill()
        await self.finish(30)

    async def ensure_dead(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()

    @property
    def stderr(self) -> str:
        return self.err.decode(errors="replace")


async def wait_polling(double: FakeTelegram, polls_before: int, timeout: float = 60.0) -> None:
    """Until a getUpdates beyond the first `polls_before` began (so some process polls)."""
    await double.wait_for(lambda: double.state.updates.polls > polls_before, timeout=timeout, interval=0.05)
