"""One message per event (issue 13 item 3): a whole cycle, as the demo runs it (with a Plh.
Asisten), and no one receives the same message twice.

What counts as a duplicate, precisely: every new message the bot sends to a chat
(`sendMessage`, `sendDocument`) and every edit that changes what a message says
(`editMessageText`, `editMessageCaption`; an edit that only removes buttons says nothing new) is
one *delivery*, keyed by the text the person reads and the content of the file it carries. Two
deliveries with the same key in the same chat are a duplicate, consecutive or not, except:

- a delivery answering a command the person typed again (a second `/start` is answered again);
- deliveries on different days (a reminder repeated the next working day).

A document sent again with other content (a corrected konsep under the same caption) has a new
key and is not a duplicate.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from bot.demo import appoint_plh_asisten, draft_one_teguran, run_cycle
from bot.fakegram.records import Direction
from bot.fakegram.transcript import EventKind
from tests.e2e.conftest import cycle_to


def deliveries(sim, who: str) -> list[tuple[str, str, str | None]]:
    """(day, text, file digest) of every delivery to `who`, in order; answers to a repeated
    command are left out."""
    chat_id = sim.tg(who)
    log = sim.double.chat(chat_id)
    files = {m.message_id: hashlib.sha256(m.file.data).hexdigest() for m in log.messages if m.file is not None}
    seen_inputs: set[str] = set()
    repeated_input = False
    shown: dict[int, str] = {}  # what each message says now
    out = []
    for event in sim.double.transcript():
        if event.chat_id != chat_id:
            continue
        if event.direction is Direction.USER_TO_BOT:
            if event.kind is EventKind.MESSAGE:
                repeated_input = event.text in seen_inputs and event.text.startswith("/")
                seen_inputs.add(event.text)
            else:
                repeated_input = False
            continue
        if event.kind not in (EventKind.MESSAGE, EventKind.EDIT):
            continue
        if event.kind is EventKind.EDIT and shown.get(event.message_id) == event.text:
            continue  # the buttons went, the words stayed
        shown[event.message_id] = event.text
        if repeated_input and event.kind is EventKind.MESSAGE:
            continue
        out.append((event.time.date().isoformat(), event.text, files.get(event.message_id)))
    return out


async def test_each_person_gets_one_message_per_event(sim):
    await appoint_plh_asisten(sim)  # the Kabag is also Plh. Asisten: two roles, one person
    await run_cycle(sim, asisten="kabag", before_reports=draft_one_teguran)  # and one Surat Teguran
    problems = []
    for who in sim.people:
        counts = Counter(deliveries(sim, who))
        assert counts, who
        for (day, text, digest), n in counts.items():
            if n > 1:
                problems.append(f"{who} received {n}× on {day}: {text.splitlines()[0][:120]}")
    assert not problems, "\n".join(problems)


async def test_the_starter_of_a_cycle_is_not_told_he_was_given_his_own_task(sim):
    await sim.say("sekda", "/start")
    await sim.say("sekda", "/mulai 2026")
    started = next(m.plain_text for m in sim.messages("sekda") if "dimulai" in m.plain_text)
    assert "disampaikan kepada Sekretaris Daerah" not in started
    assert "Langkah 1" in started


async def test_an_opds_first_contact_is_the_letter_with_its_button(sim):
    await cycle_to(sim)
    before = len(sim.messages("disdik"))
    await sim.press("tim1", "Distribusikan surat")
    arrived = sim.messages("disdik")[before:]
    assert len(arrived) == 1, [m.plain_text for m in arrived]
    letter = arrived[0]
    assert letter.file is not None and letter.file.file_name.startswith("Surat_Pengisian_E-SAKIP")
    assert [b.text for row in letter.buttons for b in row] == ["Terima surat"]
    text = letter.plain_text
    assert text.count("Batas waktu") == 1 and "Batas waktu pengisian: Kamis, 31 Desember 2026." in text
    assert "Langkah 8" not in text and "Dinas Pendidikan" in text
    # the press edits the caption (editMessageCaption; editMessageText is refused on a document)
    await sim.press("disdik", "Terima surat")
    letter = next(m for m in sim.messages("disdik") if m.message_id == letter.message_id)
    assert letter.plain_text.startswith("✅ Langkah 8") and "Surat diterima oleh Operator Disdik" in letter.plain_text
    assert "Surat Sekretaris Daerah Nomor" in letter.plain_text and not letter.buttons
    methods = [r.method for r in sim.double.requests if r.params.get("chat_id") == sim.tg("disdik")]
    assert "editMessageCaption" in methods
    assert not [r for r in sim.double.requests if r.status != 200 and r.method.startswith("edit")]
