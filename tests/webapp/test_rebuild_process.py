"""The running bot builds the board's snapshots in a child process (bot/webapp/rebuild.py): the
same answers as a build in the bot's own thread, writes seen as before, and a child that fails
leaves the board working."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import FrozenClock
from bot.services.container import build_services
from bot.storage import Database
from bot.webapp.hooks import board_server
from tests.reports.conftest import Seeded, seeded_half, settings_for  # noqa: F401  (fixture)
from tests.reports.scenario import operator

from .conftest import TOKEN, Board
from .test_snapshot import TIM, get


@pytest.fixture
async def separate(seeded_half: Seeded, tmp_path: Path) -> AsyncIterator[Board]:  # noqa: F811
    path = tmp_path / "separate.db"  # beside the `board` fixture's copy
    shutil.copy(seeded_half.path, path)
    clock = FrozenClock(seeded_half.at)  # type: ignore[arg-type]
    url = f"sqlite:///{path}"
    svc = build_services(settings_for(url, seeded_half.data_dir), clock=clock, db=Database(url))
    server = await board_server(svc, TOKEN, host="127.0.0.1", port=0, separate_process=True).start()
    yield Board(svc, server, clock)
    await server.stop()
    svc.db.dispose()


async def test_the_child_builds_what_the_bot_would_and_sees_writes(separate: Board, board: Board):
    rebuilder = separate.server.app.rebuilder
    assert rebuilder is not None and board.server.app.rebuilder is None
    status, body, _ = await get(separate, TIM)
    assert status == 200 and rebuilder.alive and rebuilder.body is not None  # built by the child
    in_thread = (await get(board, TIM))[1]
    assert body == in_thread and body["opd"]
    separate.svc.directory.remove_user(operator(7))  # a write of this process: rebuilt at once
    _, after, _ = await get(separate, TIM)
    assert after["total"]["belum_ada_operator"] == body["total"]["belum_ada_operator"] + 1
    assert (await get(separate, operator(7)))[0] == 403


async def test_a_failing_child_leaves_the_board_to_the_bot(separate: Board):
    rebuilder = separate.server.app.rebuilder
    assert rebuilder is not None

    def broken(*args: object) -> None:
        raise RuntimeError("the child died")

    rebuilder.build = broken  # type: ignore[method-assign]
    status, body, _ = await get(separate, TIM)
    assert status == 200 and body["opd"] and not rebuilder.alive
    separate.svc.directory.remove_user(operator(7))
    assert (await get(separate, operator(7)))[0] == 403  # built in the bot's thread from now on
