"""Replies to the person who acted, and the edit of the pressed task message, survive transient
faults: with a quarter of all requests failing (502 or a dropped connection), every actor is
still told."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.services.outbox import PENDING, SENDING
from bot.storage import models as m


async def deliver_everything(sim) -> None:
    """Let the outbox retry what failed (its backoff is on the injected clock) until it is empty."""
    for _ in range(30):
        await sim.settle()
        with sim.svc.db.transaction(write=False) as s:
            waiting = s.scalar(select(func.count()).select_from(m.Outbox)
                               .where(m.Outbox.status.in_([PENDING, SENDING])))
        if not waiting:
            return
        sim.advance(minutes=6)
    raise AssertionError("the outbox did not empty")


async def test_every_actor_is_told_with_a_quarter_of_requests_failing(sim, errors):
    faults = sim.double.inject_randomly(0.25, kinds=("5xx", "network"), seed=15)
    told: list[tuple[str, str]] = []

    async def press(who: str, button: str, expect: str = "Tercatat. Terima kasih.") -> None:
        await deliver_everything(sim)
        pressed = sim.find_message(who, button)
        qid = await sim.press(who, button)
        await deliver_everything(sim)
        answer = sim.double.callback_answers.get(qid)
        assert answer is not None, f"{who}'s press of {button!r} was never answered"
        if expect:
            assert answer.text == expect, (who, button, answer.text)
            edited = sim.double.chat(sim.tg(who)).find(pressed.message_id)
            assert edited.plain_text.startswith("✅") and not edited.buttons, (who, button, edited.plain_text)
        told.append((who, button))

    await sim.double.send_text(sim.tg("sekda"), "/mulai 2026")
    await deliver_everything(sim)
    assert "Disposisikan ke Asisten" in [b.text for row in sim.double.last_message(sim.tg("sekda")).buttons
                                         for b in row], "the Sekda was told the cycle started"
    await press("sekda", "Disposisikan ke Asisten")
    await press("asisten", "Disposisikan ke Kabag")
    await press("kabag", "Disposisikan ke Tim SAKIP")
    await press("tim1", "Isi konsep surat", expect="")
    assert "Kirim ke Kabag" in [b.text for row in sim.double.last_message(sim.tg("tim1")).buttons for b in row]
    await press("tim1", "Kirim ke Kabag", expect="Konsep surat terkirim.")
    await press("kabag", "Setujui")
    await press("asisten", "Setujui")
    sim.double.faults.clear()
    assert len(told) == 7
    assert faults.injected >= 10, faults.injected
    assert sim.app.bot.rate_limiter.retried > 0
    assert not list(errors), [r.getMessage() for r in errors]
