"""/mulai asks the tahun kinerja (issue 13 item 1): buttons with the default highlighted, or
typed (`/mulai 2025`); forged, stale and out-of-range years are refused; one open cycle per SOP
and tahun kinerja."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot import formatting
from bot.services import tahun as years
from bot.storage import models as m


def _answer(sim, qid: str) -> str:
    return sim.double.callback_answers[qid].text or ""


def test_the_default_is_the_previous_year_until_june():
    assert years.default_tahun(datetime(2027, 3, 10, 9, tzinfo=formatting.WIB), formatting.WIB) == 2026
    assert years.default_tahun(datetime(2027, 6, 30, 23, tzinfo=formatting.WIB), formatting.WIB) == 2026
    assert years.default_tahun(datetime(2026, 7, 1, 8, tzinfo=formatting.WIB), formatting.WIB) == 2026
    assert years.offered(datetime(2027, 3, 10, tzinfo=formatting.WIB), formatting.WIB) == (2026, 2027)


async def test_mulai_asks_the_year_with_buttons_and_refuses_forged_ones(sim):
    await sim.say("sekda", "/start")
    await sim.say("sekda", "/mulai")
    question = sim.messages("sekda")[-1]
    assert "tahun kinerja mana yang akan dilaporkan?" in question.plain_text
    rows = question.reply_markup["inline_keyboard"]
    assert [b["text"] for b in rows[0]] == ["Tahun Kinerja 2025", "Tahun Kinerja 2026"]
    assert [b.get("style") for b in rows[0]] == [None, "primary"]  # November: the current year
    # someone who may not start a cycle sees no year question at all
    await sim.say("kabag", "/mulai")
    assert "hanya dapat dimulai oleh Sekretaris Daerah" in sim.last_text("kabag")
    # a forged year, a forged SOP index and a press by the Kabag change nothing
    for who, data, expected in (("sekda", "mu:yr:189900", "Tahun kinerja 1899 tidak dapat dipilih"),
                                ("sekda", "mu:yr:203000", "Tahun kinerja 2030 tidak dapat dipilih"),
                                ("sekda", "mu:yr:202609", "tidak berlaku"),
                                ("kabag", "mu:yr:202600", "hanya dapat dimulai oleh")):
        qid = await sim.double.press_raw(sim.tg(who), question.message_id, data)
        await sim.settle()
        assert expected in _answer(sim, qid), (data, _answer(sim, qid))
    with sim.svc.db.transaction(write=False) as s:
        assert s.scalar(select(m.Cycle)) is None
    await sim.press("sekda", "Tahun Kinerja 2025")
    assert "Siklus yang dimulai: Pengisian E-SAKIP Tahun Kinerja 2025" in sim.double.chat(
        sim.tg("sekda")).find(question.message_id).plain_text
    assert any("Siklus Pengisian E-SAKIP Tahun Kinerja 2025 dimulai" in msg.plain_text
               for msg in sim.messages("sekda"))
    # the same button again (a second client): one open cycle per SOP and tahun kinerja
    qid = await sim.double.press_raw(sim.tg("sekda"), question.message_id, "mu:yr:202500")
    await sim.settle()
    assert "Tahun 2025 sudah berjalan" in _answer(sim, qid)
    # another tahun kinerja may run beside it, typed
    await sim.say("sekda", "/mulai 2026")
    assert any("Siklus Pengisian E-SAKIP Tahun Kinerja 2026 dimulai" in msg.plain_text
               for msg in sim.messages("sekda"))
    with sim.svc.db.transaction(write=False) as s:
        assert sorted(s.scalars(select(m.Cycle.tahun).where(m.Cycle.status == "open"))) == [2025, 2026]


async def test_a_typed_year_is_checked(sim):
    await sim.say("sekda", "/start")
    for typed, expected in (("/mulai 1899", "Tahun kinerja 1899 tidak dapat dipilih. Siklus dapat dimulai untuk "
                                            "tahun kinerja 2021 sampai dengan 2026, misalnya /mulai 2026."),
                            ("/mulai dua ribu", "Ketik /mulai saja"),
                            ("/mulai 26", "Tahun kinerja ditulis dengan empat angka, misalnya /mulai 2026."),
                            ("/mulai ٢٠٢٦", "ditulis dengan empat angka")):
        await sim.say("sekda", typed)
        assert expected in sim.last_text("sekda"), (typed, sim.last_text("sekda"))
    with sim.svc.db.transaction(write=False) as s:
        assert s.scalar(select(m.Cycle)) is None
