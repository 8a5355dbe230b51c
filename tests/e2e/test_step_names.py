"""Chat names each step by its short name from the SOP file; the seed's verbatim kegiatan (typos
and all) is folded into an expandable quote, one tap away (issue 11, item 11)."""

from __future__ import annotations

import re

from bot.demo import run_cycle
from bot.sop import load_sop

from tests.unit.test_sop_file import SEED_TYPOS

QUOTE = re.compile(r"<blockquote expandable>.*?</blockquote>", re.S)


def _sent_texts(sim) -> list[str]:  # type: ignore[no-untyped-def]
    """Every text the bot sent, each version of an edited message included (raw HTML)."""
    texts = []
    for person in sim.people:
        for message in sim.messages(person):
            if message.direction != "bot→user":
                continue
            texts += [r.text or r.caption or "" for r in message.history]
            texts.append(message.text or message.caption or "")
    return texts


async def test_the_task_message_names_the_step_and_folds_the_sops_words(sim):
    await sim.say("sekda", "/mulai 2026")
    task = next(m for m in reversed(sim.messages("sekda")) if m.buttons)
    kegiatan = load_sop().step(1).kegiatan
    assert "Langkah 1 dari 12 — Disposisi Sekretaris Daerah" in task.plain_text
    quotes = [e for e in task.formatted.entities if e["type"] == "expandable_blockquote"]
    assert len(quotes) == 1
    quoted = task.plain_text.encode("utf-16-le")[2 * quotes[0]["offset"]:
                                                 2 * (quotes[0]["offset"] + quotes[0]["length"])]
    assert f"Uraian dalam SOP — {kegiatan}\nKelengkapan: Disposisi Perintah Sekretaris Daerah\nOutput: " \
        in quoted.decode("utf-16-le")
    assert task.plain_text.count(kegiatan) == 1
    # the Sekda started the cycle and holds step 1: he is pointed to his task, not told it was sent to him
    assert any("Tugas Bapak/Ibu pada Langkah 1 — Disposisi Sekretaris Daerah" in m.plain_text
               for m in sim.messages("sekda"))
    await sim.press("sekda", "Disposisikan ke Asisten")
    assert any(m.plain_text.startswith("✅ Langkah 1 — Disposisi Sekretaris Daerah: Didisposisikan")
               for m in sim.messages("sekda"))


async def test_no_message_of_a_whole_cycle_shows_the_seeds_spelling_outside_the_quote(sim):
    await sim.say("kabag", "/bantuan")
    assert "• Langkah 5 — Koreksi Konsep Surat oleh Kepala Bagian Organisasi" in sim.last_text("kabag")
    await run_cycle(sim, returned_opd="dinsos")
    texts = _sent_texts(sim)
    assert sum("<blockquote expandable>" in t for t in texts) >= 20
    for text in texts:
        outside = QUOTE.sub("", text)
        assert "<blockquote" not in outside, text
        for typo in SEED_TYPOS:
            assert typo not in outside, (typo, text)
