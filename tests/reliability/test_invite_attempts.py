"""/start <token>: five failed tokens in ten minutes and the user is told to wait; the token is
never logged; the limit lives in the database, so every process on it shares it."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.services.invite_attempts import InviteAttempts, TooManyAttempts


async def test_five_failed_tokens_make_the_user_wait(sim, caplog):
    caplog.set_level(logging.INFO)
    issued = sim.svc.directory.create_invite("opd", "DINSOS")
    sim.double.add_user(5002, first_name="Penebak")
    for n in range(5):
        await sim.double.send_text(5002, f"/start tebakan-rahasia-{n}")
        await sim.settle()
        assert "tidak dikenal" in sim.double.last_message(5002).plain_text
    # the sixth try is refused even with a good token, and says how long to wait
    await sim.double.send_text(5002, f"/start {issued.token}")
    await sim.settle()
    text = sim.double.last_message(5002).plain_text
    assert "mohon tunggu 10 menit" in text and "pukul 09.10 WIB" in text, text
    assert sim.svc.directory.find_user(5002) is None
    # another user is not affected
    sim.double.add_user(5003, first_name="Operator")
    await sim.double.send_text(5003, "/start salah")
    await sim.settle()
    assert "tidak dikenal" in sim.double.last_message(5003).plain_text
    # after the window the good token works
    sim.advance(minutes=10, seconds=1)
    await sim.double.send_text(5002, f"/start {issued.token}")
    await sim.settle()
    assert "Selamat datang" in sim.double.last_message(5002).plain_text
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "telegram_id=5002" in logged and "tebakan-rahasia" not in logged and issued.token not in logged


def test_the_limit_is_shared_by_every_process_on_the_database(sim):
    """A second process (its own InviteAttempts on the same database) sees the same failures."""
    here, there = InviteAttempts(sim.svc.db, sim.clock), InviteAttempts(sim.svc.db, sim.clock)
    for _ in range(5):
        here.record_failure(6001, "unknown")
    with pytest.raises(TooManyAttempts) as refused:
        there.check(6001)
    assert refused.value.until == sim.clock.now() + timedelta(minutes=10)
    there.check(6002)  # someone else may try
