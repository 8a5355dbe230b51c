"""Bot API errors are understood by their meaning, whatever python-telegram-bot does to the case."""

from __future__ import annotations

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.fakegram.methods_messages import NOT_MODIFIED, QUERY_INVALID
from bot.telegram_errors import ApiErrorKind, classify, is_transient
from tests.e2e.test_rules import to_step


@pytest.mark.parametrize(("error", "kind"), [
    (BadRequest(f"Bad Request: {NOT_MODIFIED}"), ApiErrorKind.NOT_MODIFIED),
    (BadRequest("Bad Request: message to edit not found"), ApiErrorKind.MESSAGE_GONE),
    (BadRequest("Bad Request: message can't be edited"), ApiErrorKind.MESSAGE_GONE),
    (BadRequest(f"Bad Request: {QUERY_INVALID}"), ApiErrorKind.QUERY_TOO_OLD),
    (BadRequest("Bad Request: chat not found"), ApiErrorKind.CHAT_GONE),
    (Forbidden("Forbidden: bot was blocked by the user"), ApiErrorKind.BLOCKED),
    (BadRequest("Bad Request: can't parse entities"), ApiErrorKind.BAD_REQUEST),
    (RetryAfter(3), ApiErrorKind.RETRY_AFTER),
    (TimedOut(), ApiErrorKind.TRANSIENT),
    (NetworkError("Bad Gateway"), ApiErrorKind.TRANSIENT),
])
def test_descriptions_are_classified_case_insensitively(error, kind):
    # python-telegram-bot capitalises what follows "Bad Request: "
    assert error.message[0].isupper()
    assert classify(error) is kind
    assert is_transient(error) is (kind is ApiErrorKind.TRANSIENT)


async def test_pressing_a_finished_buttons_twice_is_answered_once_without_a_traceback(sim, errors):
    await to_step(sim, 4)
    await sim.press("tim1", "Isi konsep surat")
    form = sim.find_message("tim1", "Kirim ke Kabag")
    data = next(b.data for row in form.buttons for b in row if b.text == "Kirim ke Kabag")
    await sim.press("tim1", "Kirim ke Kabag")
    before = len(sim.double.requests)
    qid = await sim.double.press_raw(sim.tg("tim1"), form.message_id, data)
    await sim.settle()
    answers = [r for r in sim.double.requests[before:] if r.method == "answerCallbackQuery"]
    assert len(answers) == 1 and answers[0].status == 200
    assert "sudah selesai" in sim.double.callback_answers[qid].text
    assert not any("Terjadi gangguan" in (e.text or "") for e in sim.double.transcript())
    assert not list(errors), [r.getMessage() for r in errors]


async def test_an_identical_edit_is_not_an_error(sim, errors):
    """"Batal" pressed twice on the signing confirmation: the second edit would change nothing;
    Telegram says so (capitalised by python-telegram-bot) and the bot takes it calmly."""
    await to_step(sim, 5)
    await sim.press("kabag", "Setujui")
    await sim.press("asisten", "Setujui")
    await sim.press("sekda", "Tandatangani")
    confirm = sim.find_message("sekda", "Batal")
    data = next(b.data for row in confirm.buttons for b in row if b.text == "Batal")
    await sim.press("sekda", "Batal")
    qid = await sim.double.press_raw(sim.tg("sekda"), confirm.message_id, data)
    await sim.settle()
    assert sim.double.callback_answers[qid].text == "Dibatalkan."
    assert [v for v in sim.double.violations if "not modified" not in v] == []
    sim.double.violations.clear()  # the one redundant edit, answered "message is not modified"
    assert not list(errors), [r.getMessage() for r in errors]


async def test_sedang_dikerjakan_pressed_twice_is_calm(sim, errors):
    """The reminder's button, pressed again once its buttons are gone, edits nothing."""
    await to_step(sim, 9)
    for _ in range(60):  # the OPD's filling runs for weeks; its reminders carry the button
        sim.advance(days=1)
        sim.svc.alerts.sweep()
        await sim.settle()
        if any(b.text == "Sedang dikerjakan" for msg in sim.messages("disdik") for row in msg.buttons for b in row):
            break
    reminder = sim.find_message("disdik", "Sedang dikerjakan")
    data = reminder.buttons[0][0].data
    await sim.press("disdik", "Sedang dikerjakan")
    assert not sim.double.chat(sim.tg("disdik")).find(reminder.message_id).buttons
    qid = await sim.double.press_raw(sim.tg("disdik"), reminder.message_id, data)
    await sim.settle()
    assert "dijeda" in sim.double.callback_answers[qid].text
    assert not list(errors), [r.getMessage() for r in errors]
