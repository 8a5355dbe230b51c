"""Verification by checklist through the Bot API double: ticking on one message edited in place,
changing one's mind, a return on two items reaching the OPD, the re-submission and the second
verification, stale and forged checklist buttons, HTML in a typed reason."""

from __future__ import annotations

from sqlalchemy import select

from bot.demo_checklist import give_reason, open_from_queue, verify_by_checklist
from bot.storage import models as m
from tests.e2e.conftest import cycle_to

DISDIK = "Dinas Pendidikan"
TWO = {"IKU": "Indikator tidak sesuai dengan IKU", "Realisasi triwulan": "Realisasi triwulan IV belum diisi"}


async def submitted(sim, key="disdik", note="Data kinerja telah diisi pada aplikasi E-SAKIP.", first=True,
                    who="tim1"):
    """The OPD reports; Tim SAKIP `who` opens it from the queue message (the sheet arrives)."""
    if first:
        await cycle_to(sim, until_step=9)
        await sim.press(key, "Terima surat")
    await sim.press(key, "Laporkan selesai")
    await sim.say(key, note)
    await sim.press(key, "Kirim laporan")
    await open_from_queue(sim, who, next(o.nama for o in sim.opds if o.kode == key.upper()))


def by_id(sim, who, message_id):
    return next(msg for msg in sim.messages(who) if msg.message_id == message_id)


def labels_of(message):
    return [b.text for row in message.buttons for b in row]


def answer(sim, query_id):
    return sim.double.callback_answers[query_id].text or ""


def items(sim, kode="DISDIK"):
    with sim.svc.db.transaction(write=False) as s:
        rows = s.scalars(select(m.VerificationItem).where(m.VerificationItem.opd_kode == kode)
                         .order_by(m.VerificationItem.task_id, m.VerificationItem.id)).all()
        return [(r.task_id, r.kode, r.ok, r.alasan, r.catatan) for r in rows]


def status(sim, kode="DISDIK"):
    with sim.svc.db.transaction(write=False) as s:
        return s.scalar(select(m.CycleOpd).where(m.CycleOpd.opd_kode == kode)).status


async def test_ticks_edit_the_one_message_in_place(sim):
    await submitted(sim)
    sheet = sim.find_message("tim1", "✅ Renstra", contains=DISDIK)
    assert "Daftar periksa bukti dukung (0 dari 6 butir diperiksa)" in sheet.plain_text
    assert "Sesuai" not in labels_of(sheet) and "Selesai verifikasi" not in labels_of(sheet)
    before = len(sim.messages("tim1"))
    await sim.press("tim1", "✅ Renstra", contains=DISDIK)
    await sim.press("tim1", "✅ IKU", contains=DISDIK)
    edited = by_id(sim, "tim1", sheet.message_id)
    assert len(sim.messages("tim1")) == before  # edited, nothing new sent
    assert "1. Rencana Strategis (Renstra) Perangkat Daerah — ✅ sesuai" in edited.plain_text
    assert "(2 dari 6 butir diperiksa)" in edited.plain_text
    assert "3. Perjanjian Kinerja (PK) — belum diperiksa" in edited.plain_text
    assert "• ✅ Renstra •" in labels_of(edited) and "❌ Renstra" in labels_of(edited)
    assert status(sim) == "menunggu_verifikasi"  # ticks alone decide nothing


async def test_changing_ones_mind_before_finishing(sim):
    await submitted(sim)
    sheet = sim.find_message("tim1", "✅ Renstra", contains=DISDIK)
    await give_reason(sim, "tim1", DISDIK, "Renstra", "Dokumen belum diunggah")
    assert "❌ tidak sesuai: Dokumen belum diunggah" in by_id(sim, "tim1", sheet.message_id).plain_text
    await sim.press("tim1", "✅ Renstra", contains=DISDIK)  # on second thought: sesuai
    text = by_id(sim, "tim1", sheet.message_id).plain_text
    assert "Renstra) Perangkat Daerah — ✅ sesuai" in text and "belum diunggah" not in text
    await sim.press("tim1", "❌ IKU", contains=DISDIK)  # opens the reasons ...
    asking = by_id(sim, "tim1", sheet.message_id)
    assert "Butir 2 — Indikator Kinerja Utama (IKU) tidak sesuai: mohon pilih alasannya" in asking.plain_text
    assert "Dokumen belum ditandatangani" in labels_of(asking) and "Tulis alasan lain" in labels_of(asking)
    await sim.press("tim1", "Kembali ke daftar periksa", contains=DISDIK)  # ... and goes back
    back = by_id(sim, "tim1", sheet.message_id)
    assert "2. Indikator Kinerja Utama (IKU) — belum diperiksa" in back.plain_text
    assert "mohon pilih alasannya" not in back.plain_text
    assert [(k, ok) for _, k, ok, *_ in items(sim)] == [("renstra", True)]


async def test_return_on_two_items_then_resubmission_and_second_verification(sim):
    await submitted(sim)
    await verify_by_checklist(sim, "tim1", DISDIK, failed=TWO)
    assert status(sim) == "dikembalikan"
    done = next(msg for msg in reversed(sim.messages("tim1")) if "Langkah 10" in msg.plain_text)
    assert "Dinyatakan tidak sesuai dan dikembalikan" in done.plain_text and not done.buttons
    returned = sim.find_message("disdik", "Laporkan selesai")
    text = returned.plain_text
    assert "Butir yang harus diperbaiki:\n1. Indikator Kinerja Utama (IKU): Indikator tidak sesuai dengan IKU\n" \
           "2. Realisasi capaian kinerja triwulan: Realisasi triwulan IV belum diisi" in text
    assert "Renstra" not in text and "Perjanjian Kinerja (PK)" not in text  # only the two items
    first = items(sim)
    assert [(k, ok) for _, k, ok, *_ in first] == [("renstra", True), ("iku", False), ("pk", True),
                                                   ("renja", True), ("realisasi", False), ("lkj", True)]
    with sim.svc.db.transaction(write=False) as s:
        progress = s.scalar(select(m.CycleOpd).where(m.CycleOpd.opd_kode == "DISDIK"))
        assert progress.returns == 1
        assert progress.last_note == ("IKU: Indikator tidak sesuai dengan IKU; "
                                      "Realisasi triwulan: Realisasi triwulan IV belum diisi")
    # Fixed and reported again: the second sheet starts from what was sesuai.
    await submitted(sim, note="IKU dan realisasi triwulan IV telah diperbaiki.", first=False, who="tim2")
    sheet = sim.find_message("tim2", "✅ IKU", contains="telah diperbaiki")
    assert "(4 dari 6 butir diperiksa)" in sheet.plain_text
    assert "1. Rencana Strategis (Renstra) Perangkat Daerah — ✅ sesuai (pada verifikasi sebelumnya)" in sheet.plain_text
    assert "2. Indikator Kinerja Utama (IKU) — belum diperiksa" in sheet.plain_text
    await verify_by_checklist(sim, "tim2", "telah diperbaiki")
    assert status(sim) == "terverifikasi"
    second = [row for row in items(sim) if row[0] != first[0][0]]
    assert len(second) == 6 and all(ok for _, _, ok, *_ in second)
    verified = next(msg for msg in reversed(sim.messages("tim2")) if "Langkah 10" in msg.plain_text)
    assert "Semua 6 butir bukti dukung sesuai." in verified.plain_text


async def test_a_typed_reason_with_html_is_shown_as_text(sim):
    await submitted(sim)
    reason = "<b>Target</b> & <a href='x'>PK</a> tidak cocok"
    await give_reason(sim, "tim1", DISDIK, "Perjanjian Kinerja", reason)
    sheet = sim.find_message("tim1", "• ❌ Perjanjian Kinerja •", contains=DISDIK)
    assert f"❌ tidak sesuai: {reason}" in sheet.plain_text  # shown literally, not as markup
    for singkat in ("Renstra", "IKU", "Renja/RKT", "Realisasi triwulan", "Rancangan LKj"):
        await sim.press("tim1", f"✅ {singkat}", contains=DISDIK)
    await sim.press("tim1", "Selesai verifikasi", contains=DISDIK)
    assert f"1. Perjanjian Kinerja (PK): {reason}" in sim.find_message("disdik", "Laporkan selesai").plain_text
    assert {k: catatan for _, k, _, _, catatan in items(sim)}["pk"] == reason


async def test_a_too_long_typed_reason_is_asked_again_and_batal_keeps_the_sheet(sim):
    await submitted(sim)
    await sim.press("tim1", "❌ Renja/RKT", contains=DISDIK)
    await sim.press("tim1", "Tulis alasan lain", contains=DISDIK)
    assert "alasan ketidaksesuaian butir 4 — Rencana Kerja" in sim.last_text("tim1")
    await sim.say("tim1", "x" * 1001)
    assert "terlalu panjang" in sim.last_text("tim1")
    await sim.say("tim1", "/batal")
    assert items(sim) == []
    await sim.press("tim1", "Kembali ke daftar periksa", contains=DISDIK)
    assert "4. Rencana Kerja / Rencana Kinerja Tahunan (Renja/RKT) — belum diperiksa" in \
        sim.find_message("tim1", "❌ Renja/RKT", contains=DISDIK).plain_text


async def test_stale_and_forged_checklist_buttons_change_nothing(sim):
    await submitted(sim)
    sheet = sim.find_message("tim1", "✅ Renstra", contains=DISDIK)
    task_id = int(sheet.buttons[0][0].data.split(":")[2]) // 100
    mid = sheet.message_id
    forged = {f"ck:ok:{task_id * 100 + 99}": "tidak dikenal",  # no item 100
              f"ck:why:{task_id * 10000 + 1 * 100 + 42}": "tidak dikenal",  # no reason 43
              f"ck:no:{task_id * 100 + 12}": "tidak dikenal",
              f"ck:done:{task_id}": "Masih ada 6 butir",  # "Selesai" before any tick
              "ck:zz:1": "tidak dikenal", "ck:ok:": "tidak dikenal", "ck:ok:99999999900": "tidak ditemukan"}
    for data, expected in forged.items():
        qid = await sim.double.press_raw(sim.tg("tim1"), mid, data)
        await sim.settle()
        assert expected in answer(sim, qid), (data, answer(sim, qid))
    # an OPD operator and the Kabag cannot tick Tim SAKIP's sheet
    for who in ("disdik", "kabag"):
        qid = await sim.double.press_raw(sim.tg(who), sim.messages(who)[-1].message_id, f"ck:ok:{task_id * 100}")
        await sim.settle()
        assert "Tim SAKIP" in answer(sim, qid)
    assert items(sim) == [] and status(sim) == "menunggu_verifikasi"
    # tim2's copy of the sheet, after tim1 finished: refused, and its buttons go
    sim.advance(hours=25)  # tim1's hold on it has lapsed: tim2 may open it from the queue too
    await open_from_queue(sim, "tim2", DISDIK)
    copy = sim.find_message("tim2", "✅ Renstra", contains=DISDIK)
    old_data = copy.buttons[0][0].data
    await verify_by_checklist(sim, "tim1", DISDIK)
    assert not by_id(sim, "tim2", copy.message_id).buttons  # the other copy was closed
    qid = await sim.double.press_raw(sim.tg("tim2"), copy.message_id, old_data)
    await sim.settle()
    assert "sudah diproses oleh Rina Wulandari" in answer(sim, qid)
    qid = await sim.double.press_raw(sim.tg("tim1"), mid, f"ck:done:{task_id}")  # "Selesai" twice
    await sim.settle()
    assert "sudah diproses" in answer(sim, qid)
    assert status(sim) == "terverifikasi" and len(items(sim)) == 6
