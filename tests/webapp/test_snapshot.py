"""The board's shared snapshot: when it is rebuilt, and what a request that finds it current costs."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
from sqlalchemy import update

from bot.services.outbox import enqueue
from bot.storage import models as m
from tests.reports.scenario import OFFICIALS, OPD_COUNT, operator

from .conftest import Board

TIM = OFFICIALS["tim1"][0]
SEKDA = OFFICIALS["sekda"][0]


async def get(board: Board, telegram_id: int, etag: str | None = None) -> tuple[int, dict, str]:
    headers = board.auth(telegram_id) | ({"If-None-Match": etag} if etag else {})
    async with aiohttp.ClientSession() as http:
        async with http.get(board.url + "/api/status", headers=headers) as response:
            body = await response.json() if response.status == 200 else {}
            return response.status, body, response.headers.get("ETag", "")


def count_builds(board: Board) -> list[int]:
    service = board.server.app.board
    builds: list[int] = []
    build = service.build
    service.build = lambda *args: builds.append(1) or build(*args)  # type: ignore[method-assign]
    return builds


async def test_the_snapshot_is_shared_until_a_write_or_five_seconds(board: Board):
    builds = count_builds(board)
    for who in (TIM, SEKDA, operator(3), TIM):
        assert (await get(board, who))[0] == 200
    assert len(builds) == 1  # one recap for four requests of three people
    board.svc.directory.remove_user(operator(7))  # a write to the users: seen at once
    _, body, _ = await get(board, TIM)
    assert len(builds) == 2 and body["total"]["belum_ada_operator"] == 1
    board.clock.advance(seconds=5)
    _, body, _ = await get(board, SEKDA)
    assert len(builds) == 3 and body["pengguna"]["peran"] == "sekda" and len(body["opd"]) == OPD_COUNT
    _, body, _ = await get(board, TIM)  # the same shared part, its own viewer
    assert len(builds) == 3 and body["pengguna"]["nama"] == "Rina Wulandari"


async def test_other_writes_wait_for_the_gap_and_outbox_writes_are_not_seen(board: Board):
    service = board.server.app.board
    builds = count_builds(board)
    assert (await get(board, TIM))[0] == 200 and len(builds) == 1
    service.min_gap = 3600.0
    with board.svc.db.transaction() as s:  # a task changes: the board may show it a little later
        s.execute(update(m.Task).where(m.Task.status == "open").values(note="diubah"))
    assert (await get(board, TIM))[0] == 200 and len(builds) == 1
    service.min_gap = 0.0
    assert (await get(board, TIM))[0] == 200 and len(builds) == 2
    with board.svc.db.transaction() as s:  # the dispatcher's bookkeeping changes nothing shown
        enqueue(s, now=board.clock.now(), chat_id=TIM, kind="message", purpose="uji", payload={"text": "x"})
    assert (await get(board, TIM))[0] == 200 and len(builds) == 2


async def test_a_removed_user_loses_the_board_at_once_even_within_the_gap(board: Board):
    board.server.app.board.min_gap = 3600.0
    assert (await get(board, operator(9)))[0] == 200
    board.svc.directory.remove_user(operator(9))
    assert (await get(board, operator(9)))[0] == 403


async def test_an_unchanged_board_is_a_304_for_the_same_user_only(board: Board):
    status, body, etag = await get(board, TIM)
    assert status == 200 and etag and body["opd"]
    assert (await get(board, TIM, etag))[:1] == (304,)
    # Another user's ETag is not this user's: their own board, in full.
    status, body, other = await get(board, operator(3), etag)
    assert status == 200 and len(body["opd"]) == 1 and other != etag
    # Once the snapshot is rebuilt, the page gets the new board.
    board.clock.advance(timedelta(seconds=5))
    status, body, newer = await get(board, TIM, etag)
    assert status == 200 and newer != etag and len(body["opd"]) == OPD_COUNT
    # initData is still checked first: a forged one with a good ETag is a 401.
    async with aiohttp.ClientSession() as http:
        async with http.get(board.url + "/api/status", headers={"Authorization": "tma x", "If-None-Match": newer}) as r:
            assert r.status == 401
