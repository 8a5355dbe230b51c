"""The rules that hold everywhere, each through the real Application and the double."""

from __future__ import annotations

import asyncio
import sqlite3

from sqlalchemy import func, select

from bot.demo import SAMPLE_PDF, open_from_queue
from bot.storage import models as m


def answer(sim, query_id: str) -> str:
    return sim.double.callback_answers[query_id].text or ""


async def to_step(sim, step: int) -> None:
    """Walk the cycle forward with plain presses until `step` is open."""
    await sim.say("sekda", "/mulai 2026")
    if step > 1:
        await sim.press("sekda", "Disposisikan ke Asisten")
    if step > 2:
        await sim.press("asisten", "Disposisikan ke Kabag")
    if step > 3:
        await sim.press("kabag", "Disposisikan ke Tim SAKIP")
    if step > 4:
        await sim.press("tim1", "Isi konsep surat")
        await sim.press("tim1", "Kirim ke Kabag")
    if step > 5:
        await sim.press("kabag", "Setujui")
        await sim.press("asisten", "Setujui")
        await sim.press("sekda", "Tandatangani")
        await sim.press("sekda", "Ya, tandatangani")
    if step > 8:
        await sim.press("tim1", "Distribusikan surat")
        await sim.press("disdik", "Terima surat")


async def test_unregistered_user_is_told_how_to_register(sim):
    sim.double.add_user(777, first_name="Tamu")
    await sim.double.send_text(777, "/start")
    await sim.settle()
    text = sim.double.last_message(777).plain_text
    assert "belum terdaftar" in text and "777" in text
    await sim.double.send_text(777, "/tugas")
    await sim.settle()
    assert "belum terdaftar" in sim.double.last_message(777).plain_text
    qid = await sim.double.press_raw(777, 1, "t:fw:1")
    await sim.settle()
    assert "belum terdaftar" in answer(sim, qid)


async def test_invite_binds_once_and_bad_tokens_are_explained(sim):
    issued = sim.svc.directory.create_invite("opd", "DINSOS")
    sim.double.add_user(5001, first_name="Operator", last_name="Baru")
    await sim.double.send_text(5001, f"/start {issued.token}")
    await sim.settle()
    welcome = sim.double.last_message(5001).plain_text
    assert "Selamat datang, Operator Baru" in welcome and "Dinas Sosial" in welcome
    sim.double.add_user(5002, first_name="Lain")
    await sim.double.send_text(5002, f"/start {issued.token}")
    await sim.double.send_text(5002, "/start token-palsu")
    await sim.settle()
    texts = [msg.plain_text for msg in sim.double.messages_for(5002)]
    assert any("sudah digunakan" in t for t in texts) and any("tidak dikenal" in t for t in texts)
    commands = [r for r in sim.double.requests if r.method == "setMyCommands"]
    assert commands, "registered users get a command menu"


async def test_wrong_role_wrong_opd_and_forged_data_change_nothing(sim):
    await to_step(sim, 9)
    receipt = sim.find_message("dinsos", "Terima surat")
    data = receipt.buttons[0][0].data
    # an operator of another OPD presses DINSOS's receipt with forged data
    disdik_msg = sim.messages("disdik")[-1].message_id
    qid = await sim.double.press_raw(sim.tg("disdik"), disdik_msg, data)
    await sim.settle()
    assert "Perangkat Daerah lain" in answer(sim, qid)
    # the asisten presses a Tim SAKIP button
    qid = await sim.double.press_raw(sim.tg("asisten"), sim.messages("asisten")[-1].message_id, data)
    await sim.settle()
    assert "untuk Perangkat Daerah" in answer(sim, qid)
    for forged in ("garbage", "t:zz:1", "t:fw:99999999", "x" * 64, "t:fw:1:extra"):
        qid = await sim.double.press_raw(sim.tg("kabag"), sim.messages("kabag")[-1].message_id, forged)
        await sim.settle()
        assert answer(sim, qid), forged
    with sim.svc.db.transaction(write=False) as s:
        assert s.scalar(select(m.CycleOpd.status).where(m.CycleOpd.opd_kode == "DINSOS")) == "belum_menerima"


async def test_stale_and_double_presses(sim):
    await to_step(sim, 1)
    message = sim.find_message("sekda", "Disposisikan ke Asisten")
    first = await sim.double.press(sim.tg("sekda"), message, "Disposisikan ke Asisten")
    second = await sim.double.press_raw(sim.tg("sekda"), message.message_id,
                                        message.buttons[0][0].data)
    await sim.settle()
    answers = sorted([answer(sim, first), answer(sim, second)])
    assert answers[0].startswith("Tercatat") and "sudah diproses oleh Dr. MUHAMAD IRWANSYAH" in answers[1]
    with sim.svc.db.transaction(write=False) as s:
        assert s.scalar(select(func.count()).select_from(m.Task).where(m.Task.step == 2)) == 1


async def test_a_stale_press_is_answered_while_another_process_holds_the_write_lock(sim):
    """A press of an old button is read, not written: it is answered at once even while the
    scheduler's process (here: another connection) holds SQLite's write lock."""
    await to_step(sim, 1)
    message = sim.find_message("sekda", "Disposisikan ke Asisten")
    message_id, data = message.message_id, message.buttons[0][0].data
    await sim.press("sekda", "Disposisikan ke Asisten")
    writer = sqlite3.connect(sim.svc.db.engine.url.database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        query_id = await sim.double.press_raw(sim.tg("sekda"), message_id, data)
        async with asyncio.timeout(5):  # a write would wait for the lock (30 s)
            while query_id not in sim.double.callback_answers:
                await asyncio.sleep(0.01)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert "sudah diproses oleh Dr. MUHAMAD IRWANSYAH" in answer(sim, query_id)


async def test_two_tim_sakip_members_on_one_submission(sim):
    await to_step(sim, 9)
    await sim.press("disdik", "Laporkan selesai")
    await sim.press("disdik", "Kirim laporan")
    await open_from_queue(sim, "tim1", "Dinas Pendidikan")
    sim.advance(hours=25)  # tim1's take has lapsed: tim2 may open it too
    await open_from_queue(sim, "tim2", "Dinas Pendidikan")
    for item in ("Renstra", "IKU", "Perjanjian Kinerja", "Renja/RKT", "Realisasi triwulan"):
        await sim.press("tim1", f"✅ {item}", contains="Dinas Pendidikan")
    await sim.press("tim2", "✅ Rancangan LKj", contains="Dinas Pendidikan")  # one sheet, shared
    await sim.press("tim1", "✅ Rancangan LKj", contains="Dinas Pendidikan")
    one = sim.find_message("tim1", "Selesai verifikasi", contains="Dinas Pendidikan")
    two = sim.find_message("tim2", "Selesai verifikasi", contains="Dinas Pendidikan")
    q1 = await sim.double.press(sim.tg("tim1"), one, "Selesai verifikasi")
    q2 = await sim.double.press(sim.tg("tim2"), two, "Selesai verifikasi")
    await sim.settle()
    assert answer(sim, q1).startswith("Hasil verifikasi tercatat")
    assert "sudah diproses oleh Rina Wulandari" in answer(sim, q2)
    taken = [msg for msg in sim.messages("tim2") if msg.message_id == two.message_id][0]
    assert "Dinyatakan sesuai oleh Rina Wulandari" in taken.plain_text and not taken.buttons


async def test_html_in_names_and_notes_is_escaped(sim):
    sim.svc.directory.add_user(6001, "<b>Budi</b> & <i>Co</i>", "tim_sakip")
    sim.double.add_user(6001, first_name="Budi")
    await to_step(sim, 3)
    await sim.press("kabag", "Tambah arahan")
    await sim.say("kabag", "<script>alert(1)</script> & segera </b>")
    texts = [msg.plain_text for msg in sim.double.messages_for(6001)]
    assert any("<script>alert(1)</script> & segera </b>" in t for t in texts)


async def test_notes_must_be_text_not_empty_and_not_too_long(sim):
    await to_step(sim, 5)
    await sim.press("kabag", "Kembalikan")
    await sim.upload("kabag", "foto.png", b"\x89PNG....", "image/png")
    assert "berupa teks" in sim.last_text("kabag")
    await sim.say("kabag", "x" * 4100)
    assert "terlalu panjang" in sim.last_text("kabag")
    await sim.say("kabag", "/batal")
    assert "Dibatalkan" in sim.last_text("kabag")
    assert sim.find_message("kabag", "Kembalikan")  # the task is still open


async def test_uploads_wrong_type_and_oversized(tmp_path):
    from bot.simulation import Simulation

    from .conftest import OPDS

    async with Simulation(tmp_path, opds=OPDS, max_upload_mb=0.001) as sim:
        await to_step(sim, 9)
        await sim.press("disdik", "Laporkan selesai")
        await sim.upload("disdik", "virus.exe", b"MZ", "application/octet-stream")
        assert "tidak dapat diterima" in sim.last_text("disdik")
        await sim.upload("disdik", "LKj.pdf", SAMPLE_PDF * 10, "application/pdf")
        assert "melebihi batas" in sim.last_text("disdik")
        await sim.press("disdik", "Kirim laporan")
        with sim.svc.db.transaction(write=False) as s:
            assert s.scalar(select(func.count()).select_from(m.Document)
                            .where(m.Document.kind == "lampiran_opd")) == 0
        sim.double.assert_no_violations()


async def test_unexpected_messages_get_a_clear_answer(sim):
    await sim.say("kabag", "halo bot")
    assert "tidak dapat diproses" in sim.last_text("kabag")
    await sim.say("kabag", "/batal")
    assert "Tidak ada isian" in sim.last_text("kabag")
    await to_step(sim, 4)
    await sim.press("tim1", "Isi konsep surat")
    await sim.upload("tim1", "x.pdf", SAMPLE_PDF, "application/pdf")
    assert "formulir" in sim.last_text("tim1")


async def test_telegram_errors_do_not_lose_messages(sim):
    await to_step(sim, 1)
    sim.double.inject("sendMessage", "5xx", times=1, chat_id=sim.tg("asisten"))
    await sim.press("sekda", "Disposisikan ke Asisten")
    with sim.svc.db.transaction(write=False) as s:
        row = s.scalars(select(m.Outbox).where(m.Outbox.chat_id == sim.tg("asisten"))).one()
        assert (row.status, row.attempts) == ("pending", 1)
    sim.advance(minutes=1)
    await sim.settle()
    assert "Langkah 2 dari 12" in sim.last_text("asisten")
    sent = [msg for msg in sim.messages("asisten") if "Langkah 2 dari 12" in msg.plain_text]
    assert len(sent) == 1


async def test_blocked_user_is_marked_unreachable_and_others_told(sim):
    await to_step(sim, 1)
    sim.double.block(sim.tg("asisten"))
    await sim.press("sekda", "Disposisikan ke Asisten")
    with sim.svc.db.transaction(write=False) as s:
        user = s.scalar(select(m.User).where(m.User.telegram_id == sim.tg("asisten")))
        assert user.unreachable_at is not None
    for member in ("tim1", "tim2"):
        assert "memblokir Bot E-SAKIP" in sim.last_text(member)
    sim.double.unblock(sim.tg("asisten"))
    await sim.say("asisten", "/start")
    assert sim.svc.directory.find_user(sim.tg("asisten")) is not None
    with sim.svc.db.transaction(write=False) as s:
        user = s.scalar(select(m.User).where(m.User.telegram_id == sim.tg("asisten")))
        assert user.unreachable_at is None


async def test_429_is_honoured_and_delivered_once(sim):
    await to_step(sim, 1)
    sim.double.inject("sendMessage", "429", times=1, retry_after=3, chat_id=sim.tg("asisten"))
    await sim.press("sekda", "Disposisikan ke Asisten")
    await sim.settle()
    # the rate limiter waited retry_after and sent again: one message, no duplicate
    with sim.svc.db.transaction(write=False) as s:
        row = s.scalars(select(m.Outbox).where(m.Outbox.chat_id == sim.tg("asisten"))).one()
    assert row.status == "sent"
    assert len([x for x in sim.messages("asisten") if "Langkah 2 dari 12" in x.plain_text]) == 1


async def test_a_restart_loses_no_decision(sim):
    await to_step(sim, 4)
    await sim.press("tim1", "Isi konsep surat")
    menu = sim.find_message("tim1", "Kirim ke Kabag")
    await sim.restart()
    # a button of a form opened before the restart: explained, and nothing changes
    qid = await sim.double.press(sim.tg("tim1"), menu, "Kirim ke Kabag")
    await sim.settle()
    assert "Formulir ini sudah ditutup" in answer(sim, qid)
    await sim.say("tim1", "/tugas")
    assert "Langkah 4 dari 12" in sim.last_text("tim1")
    await sim.press("tim1", "Isi konsep surat")
    await sim.press("tim1", "Kirim ke Kabag")
    assert "Langkah 5 dari 12" in sim.last_text("kabag")


async def test_concurrent_updates_from_many_people(sim):
    await to_step(sim, 9)
    await asyncio.gather(*(sim.double.send_text(sim.tg(p), "/tugas") for p in sim.people))
    await sim.settle()
    assert "Langkah 9 dari 12" in sim.last_text("disdik")


def sent_to(sim, who: str) -> list:
    return sim.double.messages_for(sim.tg(who))


async def test_tugas_with_one_task_is_one_message_with_its_buttons(sim):
    await to_step(sim, 4)
    before = len(sent_to(sim, "tim1"))
    await sim.say("tim1", "/tugas")
    replies = sent_to(sim, "tim1")[before:]
    assert len(replies) == 1  # the count above the task, not a message of its own
    text = replies[0].plain_text
    assert text.startswith("📋 Tugas terbuka: 1") and "Langkah 4 dari 12" in text
    assert "Isi konsep surat" in [b.text for row in replies[0].buttons for b in row]
    await sim.press("tim1", "Isi konsep surat")  # the button of that message works
    assert "Kirim ke Kabag" in [b.text for row in sim.find_message("tim1", "Kirim ke Kabag").buttons for b in row]


async def test_tugas_without_tasks_says_so_in_one_message(sim):
    await to_step(sim, 4)
    before = len(sent_to(sim, "sekda"))
    await sim.say("sekda", "/tugas")
    replies = sent_to(sim, "sekda")[before:]
    assert len(replies) == 1 and "Tidak ada tugas terbuka" in replies[0].plain_text
    assert not replies[0].buttons
