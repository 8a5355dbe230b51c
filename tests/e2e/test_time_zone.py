"""ESAKIP_TIMEZONE is the one zone of a deployment: in Makassar (WITA) the deadlines the officials
read in chat and in the documents are WITA times and say "WITA", never "WIB"."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from bot import formatting, messages
from bot.simulation import Simulation
from bot.storage import models as m

from .conftest import OPDS, cycle_to

WITA = ZoneInfo("Asia/Makassar")


def _pdf_text(path: str) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def _document(sim: Simulation, kind: str, filename: str | None = None) -> m.Document:
    """The newest document of `kind` (named `filename`, when given)."""
    with sim.svc.db.transaction(write=False) as s:
        query = select(m.Document).where(m.Document.kind == kind)
        if filename is not None:
            query = query.where(m.Document.filename == filename)
        doc = s.scalars(query.order_by(m.Document.id.desc())).first()
    assert doc is not None, kind
    return doc


async def test_a_deployment_in_makassar_shows_wita_in_chat_and_in_the_documents(tmp_path):
    async with Simulation(tmp_path, opds=OPDS, timezone="Asia/Makassar") as sim:
        # The simulation starts at 09.00 local time: Tuesday 24 November 2026, 09.00 WITA.
        assert sim.clock.now() == datetime(2026, 11, 24, 1, 0, tzinfo=ZoneInfo("UTC"))
        await sim.say("sekda", "/start")
        await sim.say("sekda", "/mulai 2026")
        # Step 1 (30 minutes of working time) is due at 09.30 WITA, which is 08.30 WIB.
        task = sim.last_text("sekda")
        assert "Batas waktu: Selasa, 24 November 2026 pukul 09.30 WITA (30 menit)" in task, task

        # Dispositions, the konsep, the signature, the distribution (cycle_to's own /mulai is
        # refused: "sudah berjalan (dimulai 24 November 2026 pukul 09.00 WITA)").
        await cycle_to(sim, until_step=9)
        assert any("dimulai 24 November 2026 pukul 09.00 WITA" in (m.plain_text or "") for m in sim.messages("sekda"))
        # The SOP writes its mutu baku "1 Jam" and "30 menit"; chat writes them alike, in lower case.
        kabag = [r.plain_text or "" for m in sim.messages("kabag") for r in [*m.history, m]]
        assert any("WITA (1 jam)" in t for t in kabag) and not any("(1 Jam)" in t for t in kabag)
        for who in ("sekda", "asisten", "kabag", "tim1", "disdik"):
            for message in sim.messages(who):
                assert "WIB" not in (message.plain_text or ""), (who, message.plain_text)

        # The lembar disposisi of step 2: its deadline (the Kabag's, step 3) and its date, in WITA.
        disposisi = _pdf_text(_document(sim, "lembar_disposisi", "Lembar_Disposisi_Langkah_2.pdf").file_path)
        assert "WITA" in disposisi and "WIB" not in disposisi, disposisi
        with sim.svc.db.transaction(write=False) as s:
            step3 = s.scalars(select(m.Task).where(m.Task.step == 3)).one()
        deadline = step3.due_at.astimezone(WITA)
        assert f"pukul {deadline:%H.%M} WITA" in disposisi, disposisi
        # The signed letter's verification block: when it was signed, in WITA.
        letter = _pdf_text(_document(sim, "surat_pemberitahuan").file_path)
        signed = sim.clock.now().astimezone(WITA)
        assert "WIB" not in letter and f"{formatting.tanggal(signed.date())} pukul" in letter, letter
        sim.double.assert_no_violations()


def test_an_instant_is_never_shown_without_a_zone():
    """A text that shows an instant needs the deployment's zone; it does not fall back to WIB."""
    due = datetime(2026, 11, 24, 2, 30, tzinfo=ZoneInfo("UTC"))
    assert formatting.jam(due, WITA) == "pukul 10.30 WITA"
    assert formatting.jam(due, ZoneInfo("Asia/Jayapura")) == "pukul 11.30 WIT"
    assert formatting.tanggal_jam(due, formatting.WIB) == "24 November 2026 pukul 09.30 WIB"
    with pytest.raises(formatting.NoZone):
        formatting.waktu_lengkap(due, None)
    with pytest.raises(formatting.NoZone):
        messages.render("cycle_closed", tahun=2026, kinerja=True, at=due, judul="E-SAKIP", actor_nama="x",
                        verified=0, total=0)
    assert "pukul 10.30 WITA" in messages.render("cycle_closed", tz=WITA, tahun=2026, kinerja=True, at=due,
                                                 judul="E-SAKIP", actor_nama="x", verified=0, total=0)
