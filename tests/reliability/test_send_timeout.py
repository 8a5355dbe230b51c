"""The outbox's send timeout is one Telegram's latency does not reach (issue 15, item 4): a send
answered after 7 seconds is delivered once (PTB's 5-second default sent it twice), and the
timeout grows past the slowest answer seen, so a timeout is not retried while answers are slow."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from bot.app import outbox_bot
from bot.config import Settings
from bot.fakegram import FakeTelegram, RateLimits
from bot.services.container import build_services
from bot.services.outbox import enqueue
from bot.storage import models as m
from scheduler.dispatch import Dispatcher

TOKEN = "737373:SLOW"
CHAT = 4242


@pytest.fixture
async def double():
    async with FakeTelegram(token=TOKEN, rate_limits=RateLimits(enabled=False)) as fake:
        fake.add_user(CHAT, first_name="Penerima")
        yield fake
        fake.assert_no_violations()


def services(double, sqlite_db, clock, tmp_path, **settings):
    return build_services(Settings(_env_file=None, database_url=sqlite_db.url, data_dir=tmp_path,
                                   bot_api_url=double.base_url, bot_file_url=double.base_file_url, **settings),
                          clock=clock, db=sqlite_db)


def queue(svc, *texts):
    with svc.db.transaction() as s:
        for text in texts:
            enqueue(s, now=svc.clock.now(), chat_id=CHAT, kind="message", purpose="info", payload={"text": text})


async def deliver_twice(svc, clock):
    """Two dispatcher runs, minutes apart (a retry, if any, would be due in the second)."""
    bot = outbox_bot(svc, TOKEN)
    async with bot:
        dispatcher = Dispatcher(svc, bot)
        await dispatcher.run_once(bot)
        clock.advance(minutes=10)
        await dispatcher.run_once(bot)
    return dispatcher


def copies(double) -> Counter[str]:
    return Counter(x.plain_text for x in double.messages_for(CHAT))


async def test_a_seven_second_answer_is_waited_for_and_not_sent_again(double, sqlite_db, clock, tmp_path):
    svc = services(double, sqlite_db, clock, tmp_path)
    assert svc.settings.send_timeout_seconds > 7  # the documented default is 30 s
    queue(svc, "Surat sudah ditandatangani")
    double.inject("sendMessage", "latency", delay=7.0)
    await deliver_twice(svc, clock)
    assert copies(double) == {"Surat sudah ditandatangani": 1}
    with svc.db.transaction(write=False) as s:
        assert s.scalars(select(m.Outbox.status)).all() == ["sent"]


async def test_the_timeout_grows_past_the_slowest_answer_seen(double, sqlite_db, clock, tmp_path):
    svc = services(double, sqlite_db, clock, tmp_path, send_timeout_seconds=1.0)
    queue(svc, "pertama", "kedua")
    double.inject("sendMessage", "latency", delay=0.6)   # within 1 s: seen, and remembered
    double.inject("sendMessage", "latency", delay=1.4)   # beyond the setting, within 3 x 0.6 s
    dispatcher = await deliver_twice(svc, clock)
    assert copies(double) == {"pertama": 1, "kedua": 1}
    assert dispatcher.timeout == pytest.approx(3 * 1.4, abs=0.5)


async def test_a_timeout_beyond_every_latency_seen_is_retried_once(double, sqlite_db, clock, tmp_path):
    svc = services(double, sqlite_db, clock, tmp_path, send_timeout_seconds=0.5)
    double.timeout_delay = 1.5  # held back, never carried out: the retry is the only copy
    queue(svc, "diulang")
    double.inject("sendMessage", "timeout")
    await deliver_twice(svc, clock)
    assert copies(double) == {"diulang": 1}
    with svc.db.transaction(write=False) as s:
        row = s.scalars(select(m.Outbox)).one()
        assert (row.status, row.attempts) == ("sent", 2) and "TimedOut" in row.last_error


async def test_a_batch_renews_its_lease_only_when_it_runs_long(double, sqlite_db, clock, tmp_path, monkeypatch):
    """Within the first half of a claim's lease no other dispatcher can hold its rows, so they are
    sent without a renewal each; past it, each row's lease is renewed first, and one that another
    dispatcher took over meanwhile (its lease ran out) is left to it: sent once, not twice."""
    svc = services(double, sqlite_db, clock, tmp_path)
    queue(svc, "satu", "dua", "tiga")
    takes = []
    take = svc.outbox.take
    monkeypatch.setattr(svc.outbox, "take", lambda *args: takes.append(args[0]) or take(*args))
    bot = outbox_bot(svc, TOKEN)
    async with bot:
        slow, other = Dispatcher(svc, bot), Dispatcher(svc, bot)
        other.holder = "mesin-lain:1:x"  # a dispatcher on another machine
        deliver = slow._deliver

        async def a_long_wait_after_the_first(bot_, delivery):
            await deliver(bot_, delivery)
            if delivery.payload["text"] == "satu":
                clock.advance(seconds=slow.lease.total_seconds() + 1)  # the claim's lease ran out
                await other.run_once(bot)  # and the other dispatcher claimed and sent the rest

        slow._deliver = a_long_wait_after_the_first
        await slow.run_once(bot)
    assert copies(double) == {"satu": 1, "dua": 1, "tiga": 1}
    assert len(takes) == 2  # "satu" went without a renewal; "dua" and "tiga" were asked, refused
    with svc.db.transaction(write=False) as s:
        assert s.scalars(select(m.Outbox.status)).all() == ["sent"] * 3
