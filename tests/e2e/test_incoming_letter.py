"""/mulai may attach the incoming letter the cycle answers (issue 11, item 7): its number, date
and sender go on the lembar disposisi ("-" without one, never the SOP's number); the scan is a
document of the cycle. Wrong file types, oversized files, bad dates and /batal answer clearly."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from bot.demo import SAMPLE_PDF
from bot.simulation import Simulation
from bot.storage import models as m

from .conftest import OPDS

NOMOR = "000.8/412/Org/XI/2026"
PENGIRIM = "Kepala Biro Organisasi Setda Provinsi Kalimantan Tengah"


def disposition_text(sim, step: int = 1) -> str:  # type: ignore[no-untyped-def]
    with sim.svc.db.transaction(write=False) as s:
        path = s.scalar(select(m.Document.file_path).where(
            m.Document.kind == "lembar_disposisi", m.Document.filename == f"Lembar_Disposisi_Langkah_{step}.pdf"))
    pages = PdfReader(io.BytesIO(Path(path).read_bytes())).pages
    return " ".join(" ".join(p.extract_text().split()) for p in pages)


def incoming_rows(sim) -> list[m.SuratMasuk]:  # type: ignore[no-untyped-def]
    with sim.svc.db.transaction(write=False) as s:
        return list(s.scalars(select(m.SuratMasuk)))


async def attach(sim, scan: tuple[str, bytes, str] | None) -> None:  # type: ignore[no-untyped-def]
    await sim.press("sekda", "Lampirkan surat masuk")
    assert "nomor surat masuk" in sim.last_text("sekda")
    await sim.say("sekda", NOMOR)
    await sim.say("sekda", "20-11-2026")
    await sim.say("sekda", PENGIRIM)
    assert "pindaian surat" in sim.last_text("sekda")
    if scan is None:
        await sim.press("sekda", "Lewati pindaian")
    else:
        await sim.upload("sekda", *scan)


async def test_the_incoming_letter_goes_on_every_lembar_disposisi_and_its_scan_is_kept(tmp_path):
    async with Simulation(tmp_path, opds=OPDS, max_upload_mb=0.01) as sim:
        await sim.say("sekda", "/mulai 2026")
        start = sim.find_message("sekda", "Lampirkan surat masuk")
        assert [b.text for row in start.buttons for b in row] == ["Lampirkan surat masuk", "Lewati"]
        await sim.press("sekda", "Lampirkan surat masuk")
        await sim.say("sekda", NOMOR)
        await sim.say("sekda", "31-02-2026")
        assert "Tanggal surat tidak dikenali" in sim.last_text("sekda")
        await sim.say("sekda", "20-12-2026")
        assert "belum tiba" in sim.last_text("sekda")  # the clock stands at 24 November 2026
        await sim.say("sekda", "20 November 2026")
        await sim.say("sekda", PENGIRIM)
        await sim.upload("sekda", "surat.docx", b"PK\x03\x04", "application/octet-stream")
        assert "Jenis berkas .docx tidak dapat diterima. Jenis yang diterima: PDF, JPG, JPEG, PNG" \
            in sim.last_text("sekda")
        await sim.upload("sekda", "besar.pdf", SAMPLE_PDF + b"%" * 20_000, "application/pdf")
        assert "melebihi batas 0,01 MB" in sim.last_text("sekda")
        assert incoming_rows(sim) == []  # nothing is stored before the form is complete
        await sim.upload("sekda", "Surat_Biro_Organisasi.pdf", SAMPLE_PDF, "application/pdf")
        saved = sim.last_text("sekda")
        assert "Surat masuk tersimpan" in saved and f"Nomor: {NOMOR}" in saved
        assert "Tanggal: 20 November 2026" in saved and "Pindaian: Surat_Biro_Organisasi.pdf" in saved
        answered = sim.double.chat(sim.tg("sekda")).find(start.message_id)
        assert not answered.buttons and "Tugas Bapak/Ibu pada Langkah 1 — Disposisi Sekretaris Daerah" in answered.plain_text
        assert f"📎 Surat masuk: Nomor {NOMOR} tanggal 20 November 2026 dari {PENGIRIM}." in answered.plain_text
        [row] = incoming_rows(sim)
        assert (row.nomor, row.tanggal.isoformat(), row.pengirim) == (NOMOR, "2026-11-20", PENGIRIM)
        with sim.svc.db.transaction(write=False) as s:
            scan = s.get(m.Document, row.document_id)
            actions = s.scalars(select(m.AuditLog.action)).all()
        assert scan.kind == "surat_masuk" and Path(scan.file_path).read_bytes() == SAMPLE_PDF
        assert "incoming_letter" in actions
        await sim.press("sekda", "Disposisikan ke Asisten")
        await sim.press("asisten", "Disposisikan ke Kabag")
        for step in (1, 2):
            text = disposition_text(sim, step)
            flat = "".join(text.split())  # a narrow column wraps the number
            assert f"No.Surat:{NOMOR}" in flat and "Tgl.Surat:20November2026" in flat, step
            assert "Surat dari : Kepala Biro Organisasi" in text and "SOP/17/1/ORG/2015" not in text, step
        sim.double.assert_no_violations()


async def test_without_an_incoming_letter_the_sheet_says_dash(sim):
    await sim.say("sekda", "/mulai 2026")
    await sim.press("sekda", "Disposisikan ke Asisten")
    text = disposition_text(sim)
    assert "Surat dari : - No. Surat : - Tgl. Surat : -" in text  # was "SOP/17/1/ORG/2015 langkah 1"
    assert "SOP/17/1/ORG/2015" not in text and "langkah 1" not in text
    # once step 1 is disposed the letter cannot come any more (the three sheets must agree)
    qid = await sim.press("sekda", "Lampirkan surat masuk")
    assert "sebelum Langkah 1 didisposisikan" in sim.double.callback_answers[qid].text
    await sim.press("sekda", "Lewati")
    start = next(msg for msg in sim.messages("sekda") if "dimulai" in msg.plain_text)
    assert not start.buttons and "Surat masuk: tidak dilampirkan" in start.plain_text
    assert "Tugas Bapak/Ibu pada Langkah 1 — Disposisi Sekretaris Daerah" in start.plain_text
    assert incoming_rows(sim) == []


async def test_a_letter_without_scan_and_a_cancelled_form(sim):
    await sim.say("sekda", "/mulai 2026")
    await sim.press("sekda", "Lampirkan surat masuk")
    await sim.say("sekda", "x" * 101)
    assert "paling banyak 100 karakter" in sim.last_text("sekda")
    await sim.say("sekda", "/batal")
    assert "Dibatalkan; tidak ada yang diubah." in sim.last_text("sekda")
    await sim.say("sekda", NOMOR)  # the form is closed: an ordinary message now
    assert incoming_rows(sim) == []
    await attach(sim, None)
    assert "Pindaian: tidak dilampirkan" in sim.last_text("sekda")
    [row] = incoming_rows(sim)
    assert row.document_id is None and row.nomor == NOMOR


async def test_a_forged_press_changes_nothing(sim):
    await sim.say("sekda", "/mulai 2026")
    await sim.press("sekda", "Disposisikan ke Asisten")
    task = sim.find_message("asisten", "Disposisikan ke Kabag")
    for data in ("sm:add:1", "sm:skip:1"):  # on a message that does not show these buttons
        qid = await sim.double.press_raw(sim.tg("asisten"), task.message_id, data)
        await sim.settle()
        assert "tidak dikenal" in sim.double.callback_answers[qid].text
    shown = sim.double.chat(sim.tg("asisten")).find(task.message_id)
    assert shown.history == [] and shown.buttons  # the task message is untouched
    assert incoming_rows(sim) == []

