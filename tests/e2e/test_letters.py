"""The letter: /verifikasi tells a genuine code from a forged one; the SRIKANDI path; numbers."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from bot.demo import SAMPLE_PDF
from bot.storage import models as m

from .test_rules import to_step


def signed_letter(sim) -> m.Document:
    with sim.svc.db.transaction(write=False) as s:
        return s.scalars(select(m.Document).where(m.Document.kind == "surat_pemberitahuan")
                         .order_by(m.Document.id.desc())).first()


async def test_verifikasi_genuine_forged_and_empty(sim):
    await to_step(sim, 8)
    doc = signed_letter(sim)
    text = "\n".join(page.extract_text() for page in PdfReader(doc.file_path).pages)
    assert doc.verification_code in text.replace(" ", "")
    assert "BSrE" not in text
    code = doc.verification_code
    await sim.say("disdik", f"/verifikasi {code[:4].lower()}-{code[4:]}")
    reply = sim.last_text("disdik")
    assert f"Kode {code} sah" in reply and "000.8/1/SETDA-ORG/XI/2026" in reply and doc.sha256 in reply
    await sim.say("disdik", f"/verifikasi ESAKIP-LMD:{code}:{doc.sha256[:16]}")
    assert "sah" in sim.last_text("disdik")
    await sim.say("disdik", "/verifikasi ABCDEFGHJK")
    assert "tidak dikenal" in sim.last_text("disdik")
    await sim.say("disdik", "/verifikasi <b>x</b>")
    assert "tidak dikenal" in sim.last_text("disdik")
    await sim.say("disdik", "/verifikasi")
    assert "diikuti kode verifikasi" in sim.last_text("disdik")


async def test_srikandi_letter_replaces_the_bots_and_reaches_every_opd(sim):
    await to_step(sim, 5)
    await sim.press("kabag", "Setujui")
    await sim.press("asisten", "Setujui")
    await sim.press("sekda", "Tandatangani")
    await sim.press("sekda", "Ya, tandatangani")
    await sim.press("tim1", "Unggah surat ber-TTE (SRIKANDI)")
    await sim.upload("tim1", "surat.docx", b"PK", "application/octet-stream")
    assert "Jenis yang diterima: PDF" in sim.last_text("tim1")
    official = SAMPLE_PDF + b"% ditandatangani melalui SRIKANDI\n"
    await sim.upload("tim1", "Surat_TTE_SRIKANDI.pdf", official, "application/pdf")
    await sim.say("tim1", "B/77/000.8/SETDA-ORG/XI/2026")
    assert "tersimpan" in sim.last_text("tim1")
    await sim.press("tim1", "Distribusikan surat")
    for who in ("disdik", "dinsos", "kec-delang"):
        letters = [msg for msg in sim.messages(who) if msg.file is not None]
        assert letters and letters[-1].file.data == official, who
        assert any("B/77/000.8/SETDA-ORG/XI/2026" in msg.plain_text for msg in sim.messages(who))
    with sim.svc.db.transaction(write=False) as s:
        actions = s.scalars(select(m.AuditLog.action)).all()
    assert "letter_official" in actions


async def test_only_tim_sakip_may_upload_the_official_letter(sim):
    await to_step(sim, 8)
    message = sim.find_message("tim1", "Unggah surat ber-TTE (SRIKANDI)")
    data = [b.data for row in message.buttons for b in row if b.text.startswith("Unggah")][0]
    qid = await sim.double.press_raw(sim.tg("kabag"), sim.messages("kabag")[-1].message_id, data)
    await sim.settle()
    assert "untuk Tim SAKIP" in sim.double.callback_answers[qid].text



async def test_a_wrong_srikandi_number_is_asked_again_and_the_form_stays_open(sim):
    await to_step(sim, 8)
    await sim.press("tim1", "Unggah surat ber-TTE (SRIKANDI)")
    await sim.upload("tim1", "Surat_TTE.pdf", SAMPLE_PDF, "application/pdf")
    await sim.say("tim1", "B/" + "9" * 120)  # longer than a number can be: refused, asked again
    assert "Nomor surat dari SRIKANDI wajib diisi" in sim.last_text("tim1")
    await sim.say("tim1", "B/78/000.8/SETDA-ORG/XI/2026")
    assert "tersimpan" in sim.last_text("tim1")
    assert signed_letter(sim).nomor == "B/78/000.8/SETDA-ORG/XI/2026"
