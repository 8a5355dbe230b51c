"""Issue 12 items 3-4 through the real Application and the Bot API double: an OPD with no operator
(Kecamatan Delang), a registered Kepala OPD (Dinas Sosial), Tim SAKIP recording on behalf."""

from __future__ import annotations

from sqlalchemy import select

from bot.demo import SAMPLE_PDF, record_receipt_on_behalf, run_cycle
from bot.storage import models as m
from tests.e2e.test_rules import answer, to_step


def texts(sim, who: str) -> list[str]:
    return [msg.plain_text or "" for msg in sim.messages(who)]


def task_id(sim, step: int, opd: str) -> int:
    with sim.svc.db.transaction(write=False) as s:
        return s.scalar(select(m.Task.id).where(m.Task.step == step, m.Task.opd_kode == opd,
                                                m.Task.status == "open"))


async def test_a_cycle_with_an_opd_recorded_on_its_behalf_closes_and_the_trail_says_so(sim):
    await run_cycle(sim, returned_opd="dinsos")
    with sim.svc.db.transaction(write=False) as s:
        cycle = s.scalar(select(m.Cycle))
        delang = s.scalar(select(m.CycleOpd).where(m.CycleOpd.opd_kode == "KEC-DELANG"))
        trail = s.scalars(select(m.AuditLog).where(m.AuditLog.cycle_id == cycle.id,
                                                   m.AuditLog.actor_label.contains("atas nama"))).all()
        behalf = s.scalars(select(m.Task).where(m.Task.on_behalf_by.is_not(None))).all()
        attachment = s.scalar(select(m.Document).where(m.Document.kind == "lampiran_opd",
                                                       m.Document.opd_kode == "KEC-DELANG"))
    assert cycle.status == "closed" and delang.status == "terverifikasi"
    assert delang.received_via == "surel" and delang.received_by_name.startswith("Yuliana")
    assert [a.action for a in trail] == ["task_confirm_receipt", "task_submit"]
    for row in trail:
        assert row.actor_label == "Rina Wulandari, S.E. (Tim SAKIP Kabupaten) atas nama Kecamatan Delang"
        assert row.after["atas_nama"]["dicatat_oleh"] == "Rina Wulandari, S.E."
    assert trail[0].after["atas_nama"]["diterima_melalui"] == "surel"
    assert sorted(t.step for t in behalf) == [8, 9] and {t.opd_kode for t in behalf} == {"KEC-DELANG"}
    assert attachment is not None and attachment.filename == "Rancangan_LKj_surel_2026.pdf"
    # Tim SAKIP saw the confirmation of each record, and /riwayat shows who recorded it for whom
    assert any("dicatat atas nama Perangkat Daerah oleh Rina Wulandari" in t for t in texts(sim, "tim1"))
    history = sim.svc.recap.audit_trail(cycle.id)
    assert any("atas nama Kecamatan Delang" in e.actor for e in history.events)
    # the tanda terima names the person at the OPD who received it, how, and who recorded it
    with sim.svc.db.transaction(write=False) as s:
        receipt = s.scalar(select(m.Document.file_path).where(m.Document.kind == "tanda_terima",
                                                              m.Document.opd_kode == "KEC-DELANG"))
        summary = s.scalar(select(m.Document.file_path).where(m.Document.kind == "rekap_tanda_terima"))
    text = pdf_text(receipt)
    assert "Yuliana, S.Sos., Kepala Subbagian Umum dan Kepegawaian" in text and "surat elektronik (surel)" in text
    assert "dicatat pada Bot Telegram E-SAKIP oleh Rina Wulandari, S.E. (Tim SAKIP Kabupaten)" in text
    assert "dicatat oleh Tim SAKIP atas nama Perangkat Daerah" in pdf_text(summary)


def pdf_text(path: str) -> str:
    from pathlib import Path

    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(Path(path))).pages)


async def test_admins_and_tim_sakip_are_told_which_opds_have_no_operator(sim):
    await to_step(sim, 8)
    for who in ("tim1", "tim2", "admin"):
        notices = [t for t in texts(sim, who) if "belum memiliki operator terdaftar" in t]
        assert len(notices) == 2, who  # at /mulai and when the letter is signed
        assert "Kecamatan Delang (KEC-DELANG)" in notices[0] and "1 dari 3" in notices[0]
        assert "/atasnama" in notices[0] and "sudah ditandatangani" in notices[1]
        # only an admin can run the command that makes the invitations; Tim SAKIP asks one
        command = "esakip-bot invite --peran opd --semua" in notices[0]
        assert command == (who == "admin") and (who == "admin" or "minta admin bot" in notices[0])
    assert not any("belum memiliki operator" in t for t in texts(sim, "sekda"))
    await sim.press("tim1", "Distribusikan surat")
    await sim.say("tim1", "/rekap")
    apart = sim.last_text("tim1")
    assert "Belum ada operator terdaftar" in apart and "Kecamatan Delang — Belum menerima surat" in apart
    assert "Dinas Sosial" not in apart
    assert "esakip-bot" not in apart and "dibuat oleh admin bot" in apart
    await sim.say("admin", "/rekap")
    assert "esakip-bot invite --peran opd --semua" in sim.last_text("admin")


async def test_the_kepala_opd_receives_the_letter_read_only_and_sees_the_receipt(sim):
    await to_step(sim, 8)
    await sim.press("tim1", "Distribusikan surat")
    mine = sim.messages("kadinsos")
    assert any(msg.file is not None and msg.file.file_name.startswith("Surat_Pengisian_E-SAKIP") for msg in mine)
    status = next(msg for msg in mine if "Status penerimaan surat oleh Dinas Sosial" in (msg.plain_text or ""))
    assert "belum dikonfirmasi" in status.plain_text and not status.buttons
    assert all(not msg.buttons for msg in mine)  # read-only: the operator confirms
    await sim.press("dinsos", "Terima surat")
    status = next(msg for msg in sim.messages("kadinsos") if "Status penerimaan" in (msg.plain_text or ""))
    assert "sudah diterima" in status.plain_text and "Operator Dinsos" in status.plain_text


async def test_the_kepala_opd_is_told_when_the_opd_is_late_and_may_nudge_only_their_own(sim):
    await to_step(sim, 8)
    await sim.press("tim1", "Distribusikan surat")
    await sim.press("disdik", "Terima surat")
    for _ in range(6):  # the receipt is due in one working day; the first escalation goes to the Kepala
        sim.advance(hours=8)
        sim.svc.alerts.sweep()
    await sim.settle()
    late = [msg for msg in sim.messages("kadinsos") if "Langkah 8 melewati batas waktu" in (msg.plain_text or "")]
    assert late and "Dinas Sosial" in late[0].plain_text and "Operator Dinsos" in late[0].plain_text
    await sim.press("kadinsos", "Ingatkan")
    assert any("Pengingat" in t or "ingat" in t.lower() for t in texts(sim, "dinsos")[-2:])
    # a forged nudge of another OPD's task is refused
    qid = await sim.double.press_raw(sim.tg("kadinsos"), late[0].message_id, f"a:nudge:{task_id(sim, 8, 'KEC-DELANG')}")
    await sim.settle()
    assert "Perangkat Daerah lain" in answer(sim, qid)


async def test_recording_on_behalf_is_refused_to_others_for_reached_opds_and_when_stale(sim):
    await to_step(sim, 8)
    await sim.press("tim1", "Distribusikan surat")
    await sim.say("dinsos", "/atasnama")
    assert "hanya dapat dilakukan oleh Tim SAKIP atau administrator" in sim.last_text("dinsos")
    await sim.say("kabag", "/atasnama")
    assert "hanya dapat dilakukan oleh Tim SAKIP" in sim.last_text("kabag")
    await sim.say("admin", "/atasnama")  # an administrator may record too
    assert [b.text for row in sim.double.last_message(sim.tg("admin")).buttons for b in row] == [
        "Penerimaan surat — Kecamatan Delang"]
    await sim.say("tim1", "/atasnama")
    listing = sim.double.last_message(sim.tg("tim1"))
    labels = [b.text for row in listing.buttons for b in row]
    assert labels == ["Penerimaan surat — Kecamatan Delang"]
    # forged: an OPD that has an operator, a task of the wrong kind, a task that does not exist
    for data, reason in ((f"ob:rc:{task_id(sim, 8, 'DINSOS')}", "sudah memiliki operator terdaftar"),
                         (f"ob:sb:{task_id(sim, 8, 'KEC-DELANG')}", "tidak ditemukan"),
                         ("ob:rc:999999", "tidak ditemukan")):
        qid = await sim.double.press_raw(sim.tg("tim1"), listing.message_id, data)
        await sim.settle()
        assert reason in answer(sim, qid), data
    qid = await sim.double.press_raw(sim.tg("disdik"), listing.message_id, f"ob:rc:{task_id(sim, 8, 'KEC-DELANG')}")
    await sim.settle()
    assert "hanya dapat dilakukan oleh Tim SAKIP" in answer(sim, qid)
    # a receipt time before the distribution or in the future is refused, then a good one is taken
    await sim.press("tim1", "Penerimaan surat — Kecamatan Delang")
    await sim.press("tim1", "Diterima secara fisik")
    await sim.say("tim1", "Markus, Kasubbag Umum Kecamatan Delang")
    await sim.say("tim1", "01-01-2020 08.00")
    assert "sebelum surat didistribusikan" in sim.last_text("tim1")
    await sim.say("tim1", "31-12-2030 08.00")
    assert "setelah saat ini" in sim.last_text("tim1")
    await sim.say("tim1", "kemarin sore")
    assert "tidak dikenali" in sim.last_text("tim1")
    sim.advance(minutes=30)
    await sim.press("tim1", "Sekarang")
    assert "dicatat atas nama Perangkat Daerah oleh Rina Wulandari" in sim.last_text("tim1")
    # the old list's button is now stale; the second member's record comes too late
    qid = await sim.press("tim1", "Penerimaan surat — Kecamatan Delang")
    assert "sudah tidak terbuka" in answer(sim, qid)
    await sim.say("tim2", "/atasnama")
    assert [b.text for row in sim.double.last_message(sim.tg("tim2")).buttons for b in row] == [
        "Laporan pengisian — Kecamatan Delang"]
    # a submission without the file is not recorded
    await sim.press("tim2", "Laporan pengisian — Kecamatan Delang")
    qid = await sim.press("tim2", "Catat laporan")
    assert "unggah berkas" in answer(sim, qid)
    await sim.upload("tim2", "virus.exe", b"MZ", "application/octet-stream")
    assert "tidak dapat diterima" in sim.last_text("tim2")


async def test_an_operator_who_registers_later_receives_the_open_task_at_once(sim):
    await to_step(sim, 8)
    await sim.press("tim1", "Distribusikan surat")
    issued = sim.svc.directory.create_invite("opd", "KEC-DELANG")
    sim.double.add_user(5101, first_name="Operator", last_name="Delang")
    await sim.double.send_text(5101, f"/start {issued.token}")
    await sim.settle()
    chat = sim.double.chat(5101).messages
    assert any(msg.file is not None and msg.file.file_name.startswith("Surat_Pengisian_E-SAKIP") for msg in chat)
    task = next(msg for msg in chat if msg.buttons)
    assert "Kecamatan Delang" in task.plain_text
    await sim.double.press(5101, task, button="Terima surat")
    await sim.settle()
    with sim.svc.db.transaction(write=False) as s:
        assert s.scalar(select(m.CycleOpd.status).where(m.CycleOpd.opd_kode == "KEC-DELANG")) == "mengisi"
    # from now on Tim SAKIP may no longer record for it
    await sim.say("tim1", "/atasnama")
    assert "Tidak ada tugas Perangkat Daerah tanpa operator" in sim.last_text("tim1")
