"""Verification by checklist through the Bot API double: ticking on one message, edited in place."""

from __future__ import annotations

from bot.demo_checklist import give_reason, verify_by_checklist
from tests.e2e.conftest import cycle_to


async def submitted(sim, key="disdik"):
    await cycle_to(sim, until_step=9)
    await sim.press(key, "Terima surat")
    await sim.press(key, "Laporkan selesai")
    await sim.say(key, "Data kinerja telah diisi pada aplikasi E-SAKIP.")
    await sim.press(key, "Kirim laporan")


def by_id(sim, who, message_id):
    return next(m for m in sim.messages(who) if m.message_id == message_id)


async def test_ticks_edit_the_one_message_in_place(sim):
    await submitted(sim)
    sheet = sim.find_message("tim1", "✅ Renstra", contains="Dinas Pendidikan")
    assert "Daftar periksa bukti dukung (0 dari 6 butir diperiksa)" in sheet.plain_text
    assert "Selesai verifikasi" not in [b.text for row in sheet.buttons for b in row]
    before = len(sim.messages("tim1"))
    await sim.press("tim1", "✅ Renstra", contains="Dinas Pendidikan")
    await sim.press("tim1", "✅ IKU", contains="Dinas Pendidikan")
    edited = by_id(sim, "tim1", sheet.message_id)
    assert len(sim.messages("tim1")) == before  # edited, nothing new sent
    assert "1. Rencana Strategis (Renstra) Perangkat Daerah — ✅ sesuai" in edited.plain_text
    assert "(2 dari 6 butir diperiksa)" in edited.plain_text
    assert "3. Perjanjian Kinerja (PK) — belum diperiksa" in edited.plain_text
    labels = [b.text for row in edited.buttons for b in row]
    assert "• ✅ Renstra •" in labels and "❌ Renstra" in labels



async def test_look(sim):
    await submitted(sim)
    await sim.press("tim1", "✅ Renstra", contains="Dinas Pendidikan")
    await sim.press("tim1", "❌ IKU", contains="Dinas Pendidikan")
    m = sim.find_message("tim1", "Kembali ke daftar periksa")
    print(m.plain_text); print([b.text for r in m.buttons for b in r]); print("=====")
    await sim.press("tim1", "Dokumen belum ditandatangani", contains="Dinas Pendidikan")
    for s in ("Perjanjian Kinerja", "Renja/RKT", "Realisasi triwulan", "Rancangan LKj"):
        await sim.press("tim1", "✅ " + s, contains="Dinas Pendidikan")
    m = sim.find_message("tim1", "Selesai verifikasi")
    print(m.plain_text); print([b.text for r in m.buttons for b in r]); print("=====")
    await sim.press("tim1", "Selesai verifikasi")
    m = next(x for x in reversed(sim.messages("tim1")) if "Langkah 10" in x.plain_text)
    print(m.plain_text, m.buttons)
    assert False
