"""The outbox store: leases, backoff, retry_after, giving up, and who is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.services.outbox import MAX_ATTEMPTS, enqueue
from bot.storage import models as m
from bot.workflow import ActionKind as A

from .conftest import PEOPLE


def _queue(svc, clock, chat_id, text="halo"):
    with svc.db.transaction() as s:
        row = enqueue(s, now=clock.now(), chat_id=chat_id, kind="message", purpose="info",
                      payload={"text": text})
        s.flush()
        return row.id


def test_claim_leases_rows_once(svc, clock):
    first = _queue(svc, clock, PEOPLE["kabag"][0])
    claimed = svc.outbox.claim(clock.now())
    assert [d.id for d in claimed] == [first]
    assert svc.outbox.claim(clock.now()) == []  # leased
    clock.advance(seconds=61)
    assert [d.id for d in svc.outbox.claim(clock.now())] == [first]  # the lease expired


def test_backoff_and_retry_after(svc, clock):
    row_id = _queue(svc, clock, PEOPLE["kabag"][0])
    svc.outbox.claim(clock.now())
    assert svc.outbox.mark_retry(row_id, clock.now(), "429", retry_after=7)
    with svc.db.transaction(write=False) as s:
        assert s.get(m.Outbox, row_id).next_attempt_at == clock.now() + timedelta(seconds=7)
    assert svc.outbox.claim(clock.now() + timedelta(seconds=6)) == []
    assert len(svc.outbox.claim(clock.now() + timedelta(seconds=7))) == 1
    assert svc.outbox.mark_retry(row_id, clock.now(), "timeout")
    with svc.db.transaction(write=False) as s:
        delay = s.get(m.Outbox, row_id).next_attempt_at - clock.now()
    assert timedelta(seconds=4) <= delay <= timedelta(seconds=6)  # 2**2 plus jitter up to half


def test_giving_up_tells_the_admins(svc, clock):
    row_id = _queue(svc, clock, PEOPLE["kabag"][0])
    for attempt in range(MAX_ATTEMPTS):
        again = svc.outbox.mark_retry(row_id, clock.now(), "502 Bad Gateway")
    assert again is False
    with svc.db.transaction(write=False) as s:
        assert s.get(m.Outbox, row_id).status == "failed"
        told = s.scalars(select(m.Outbox).where(m.Outbox.purpose == "failure")).all()
    assert [t.chat_id for t in told] == [PEOPLE["admin"][0]]
    assert "gagal dikirim setelah 8 kali" in told[0].payload["text"]


def test_unreachable_opd_operator_tells_tim_sakip_when_alone(svc, clock):
    svc.outbox.mark_unreachable(PEOPLE["disdik"][0], clock.now())
    svc.outbox.mark_unreachable(PEOPLE["disdik"][0], clock.now())  # once
    with svc.db.transaction(write=False) as s:
        told = sorted(o.chat_id for o in s.scalars(select(m.Outbox).where(m.Outbox.purpose == "unreachable")))
    assert told == [PEOPLE["tim1"][0], PEOPLE["tim2"][0]]
    svc.directory.add_user(2999, "Operator Dua", "opd", "DINSOS")
    svc.outbox.mark_unreachable(PEOPLE["dinsos"][0], clock.now())
    with svc.db.transaction(write=False) as s:
        last = s.scalars(select(m.Outbox).where(m.Outbox.purpose == "unreachable")
                         .order_by(m.Outbox.id.desc())).first()
    assert last.chat_id == 2999 and "Dinas Sosial" in last.payload["text"]


def test_two_dispatchers_claiming_at_once_never_share_a_row(svc, clock):
    import threading

    ids = {_queue(svc, clock, PEOPLE["kabag"][0], f"pesan {i}") for i in range(200)}
    claimed: list[list[int]] = [[], []]
    barrier = threading.Barrier(2)

    def dispatcher(index: int) -> None:
        for _ in range(30):
            barrier.wait()
            claimed[index].extend(d.id for d in svc.outbox.claim(clock.now(), limit=7))

    threads = [threading.Thread(target=dispatcher, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not set(claimed[0]) & set(claimed[1])
    assert len(claimed[0]) + len(claimed[1]) == len(set(claimed[0]) | set(claimed[1]))
    assert set(claimed[0]) | set(claimed[1]) <= ids


def test_new_rows_are_counted_when_their_unit_of_work_commits(svc, clock):
    """The dispatcher looks at this count (no query) to know whether an update wrote anything."""
    from bot.services.outbox import TOPIC

    before = svc.db.commits(TOPIC)
    with svc.db.transaction() as s:
        s.execute(select(m.Outbox.id))  # a write unit of work that adds no row
    assert svc.db.commits(TOPIC) == before
    try:
        with svc.db.transaction() as s:
            enqueue(s, now=clock.now(), chat_id=PEOPLE["kabag"][0], kind="message", purpose="info",
                    payload={"text": "batal"})
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert svc.db.commits(TOPIC) == before  # nothing was written after all
    _queue(svc, clock, PEOPLE["kabag"][0])
    assert svc.db.commits(TOPIC) == before + 1


def test_the_sweeps_bulk_insert_is_counted(svc, clock):
    from bot.services.outbox import TOPIC

    from .test_alerts import at
    from .test_cycles import act, tg

    svc.cycles.start(tg("sekda"))
    act(svc, "sekda", A.FORWARD)  # step 2 for the asisten, due 10.30 WIB
    before = svc.db.commits(TOPIC)
    at(clock, 10, 20)
    assert svc.alerts.sweep().reminders == 1
    assert svc.db.commits(TOPIC) == before + 1


async def test_a_failed_claim_leaves_the_news_for_the_next_run(svc, clock, monkeypatch):
    from scheduler.dispatch import Dispatcher

    dispatcher = Dispatcher(svc)
    _queue(svc, clock, PEOPLE["kabag"][0])
    assert dispatcher.has_news()

    def database_gone(*args, **kwargs):
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(svc.outbox, "claim", database_gone)
    with pytest.raises(ConnectionError):
        await dispatcher.run_once(bot=None)
    assert dispatcher.has_news()  # the row still waits; the next update's run will try again
    monkeypatch.setattr(svc.outbox, "claim", lambda now, limit, *lease: [])
    assert await dispatcher.run_once(bot=None) == 0
    assert not dispatcher.has_news()
