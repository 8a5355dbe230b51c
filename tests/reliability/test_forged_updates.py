"""Forged callback data and edited messages: a refusal with a reason, never a traceback, never
another role's task shown, never a command run twice."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot import callbacks
from bot.storage import models as m
from tests.e2e.test_rules import to_step


def answer(sim, query_id: str) -> str:
    return sim.double.callback_answers[query_id].text or ""


@pytest.mark.parametrize("data", ["", "t:ap:9999999999999999999", "t:ap:" + "9" * 40, "zz:top:1",
                                  "t:ap:", "t:ap:-1", "t:ap:١٢", "t:bt:999999", "s:kirim:999999",
                                  "f:kirim:999999", "a:ack:999999", "r:pdf:999999", "\x00:\x00:1",
                                  "t:bt:" + "0" * 18])
async def test_forged_callback_data_is_refused_with_a_reason(sim, errors, data):
    await to_step(sim, 2)
    message_id = sim.messages("asisten")[-1].message_id
    before = [msg.plain_text for msg in sim.messages("asisten")]
    qid = await sim.double.press_raw(sim.tg("asisten"), message_id, data)
    await sim.settle()
    assert answer(sim, qid), "every press is answered"
    assert "Terjadi gangguan" not in answer(sim, qid)
    after = [msg.plain_text for msg in sim.messages("asisten")]
    assert after[:len(before)] == before  # nothing edited
    assert all(text.startswith("⚠️") for text in after[len(before):])  # at most a refusal
    assert not list(errors), [r.getMessage() for r in errors]


def test_every_handler_pattern_accepts_only_what_decode_accepts():
    import re

    for data in ["t:ap:1", "t:ap:" + "9" * 18]:
        assert re.match(callbacks.pattern("t", "ap"), data) and callbacks.decode(data)
    for data in ["t:ap:" + "9" * 19, "t:ap:١", "t:ap:1\n", "t:ap:"]:
        assert not re.match(callbacks.pattern("t", "ap"), data)
        with pytest.raises(callbacks.CallbackError):
            callbacks.decode(data)
    assert not re.match(callbacks.pattern("t", "ap"), "t:apx:1")


async def test_cancel_button_of_another_roles_task_shows_nothing(sim, errors):
    await to_step(sim, 2)
    task_id = sim.svc.cycles.open_tasks_for(sim.tg("asisten"))[0].id
    mine = sim.messages("kabag")
    message_id = mine[-1].message_id if mine else 1
    shown = [msg.plain_text for msg in sim.messages("kabag")]
    qid = await sim.double.press_raw(sim.tg("kabag"), message_id, callbacks.encode("t", "bt", task_id))
    await sim.settle()
    assert "bukan untuk" in answer(sim, qid)
    assert [msg.plain_text for msg in sim.messages("kabag")] == shown  # nothing edited or sent
    assert not list(errors)


async def test_cancel_button_of_another_opds_task_shows_nothing(sim, errors):
    await to_step(sim, 9)
    dinsos = sim.find_message("dinsos", "Terima surat")
    task_id = callbacks.decode(dinsos.buttons[0][0].data).id
    shown = [msg.plain_text for msg in sim.messages("disdik")]
    qid = await sim.double.press_raw(sim.tg("disdik"), sim.messages("disdik")[-1].message_id,
                                     callbacks.encode("t", "bt", task_id))
    await sim.settle()
    assert "Perangkat Daerah lain" in answer(sim, qid)
    assert [msg.plain_text for msg in sim.messages("disdik")] == shown
    assert not list(errors)


async def test_editing_an_old_command_starts_nothing(sim, errors):
    sent = await sim.double.send_text(sim.tg("sekda"), "/bantuan")
    await sim.settle()
    replies = len(sim.messages("sekda"))
    await sim.double.edit_text(sim.tg("sekda"), sent, "/mulai 2026")
    await sim.settle()
    with sim.svc.db.transaction(write=False) as s:
        assert s.scalar(select(func.count()).select_from(m.Cycle)) == 0
    assert len(sim.messages("sekda")) == replies  # not even a reply
    assert not list(errors)


async def test_editing_a_form_answer_changes_nothing(sim, errors):
    await to_step(sim, 2)
    await sim.press("asisten", "Tambah arahan")
    note = await sim.double.send_text(sim.tg("asisten"), "x" * 1001)  # refused: too long
    await sim.settle()
    assert "terlalu panjang" in sim.last_text("asisten")
    with sim.svc.db.transaction(write=False) as s:
        audits = s.scalar(select(func.count()).select_from(m.AuditLog))
    await sim.double.edit_text(sim.tg("asisten"), note, "Mohon segera diproses.")
    await sim.settle()
    with sim.svc.db.transaction(write=False) as s:
        assert s.scalar(select(func.count()).select_from(m.AuditLog)) == audits
    assert not list(errors)


def test_every_registered_callback_pattern_is_one_of_the_codec(sim):
    """Walk the Application's handlers (conversation states included): each CallbackQueryHandler
    takes exactly the codec's shapes (callbacks.pattern), or everything (the last fallback)."""
    from telegram.ext import CallbackQueryHandler, ConversationHandler

    def walk(handlers):
        for handler in handlers:
            if isinstance(handler, ConversationHandler):
                yield from walk(handler.entry_points)
                for state in handler.states.values():
                    yield from walk(state)
                yield from walk(handler.fallbacks)
            elif isinstance(handler, CallbackQueryHandler):
                yield handler

    found = [h for group in sim.app.handlers.values() for h in walk(group)]
    assert len(found) >= 15
    for handler in found:
        if handler.pattern is None:
            continue
        assert handler.pattern.pattern.endswith(f":{callbacks.ID}\\Z"), handler.pattern.pattern
        assert not handler.pattern.match("t:ap:" + "9" * 19)
