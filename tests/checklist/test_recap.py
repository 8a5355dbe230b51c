"""The checklist in /rekap, /rekap KODE, the recap XLSX and the SOP monitoring form (PDF and XLSX),
through the Bot API double: mid-cycle (two OPDs returned) and in the demo's closed cycle."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from pypdf import PdfReader

from bot.demo import run_cycle
from bot.demo_checklist import verify_by_checklist
from tests.e2e.conftest import cycle_to

SHEET = "Verifikasi Bukti Dukung"
TYPED = "Data <b>triwulan IV</b> kosong & belum diisi"


def files(sim, who, suffix):
    return [m for m in sim.messages(who) if m.file is not None and (m.file.file_name or "").endswith(suffix)]


async def two_returned(sim):
    await cycle_to(sim, until_step=9)
    for key in ("disdik", "dinsos", "kec-delang"):
        await sim.press(key, "Terima surat")
        await sim.press(key, "Laporkan selesai")
        await sim.say(key, "Data kinerja telah diisi.")
        await sim.press(key, "Kirim laporan")
    await verify_by_checklist(sim, "tim1", "Dinas Pendidikan",
                              failed={"IKU": "Indikator tidak sesuai dengan IKU", "Realisasi triwulan": TYPED})
    await verify_by_checklist(sim, "tim2", "Dinas Sosial", failed={"IKU": "Dokumen belum ditandatangani"})
    await verify_by_checklist(sim, "tim1", "Kecamatan Delang")


async def test_mid_cycle_recap_xlsx_and_monitoring_show_the_items(sim):
    await two_returned(sim)
    await sim.say("tim1", "/rekap")
    assert "Butir bukti dukung yang dikembalikan: IKU 2×, Realisasi triwulan 1×." in sim.last_text("tim1")
    await sim.say("tim1", "/rekap DISDIK")
    page = sim.last_text("tim1")
    assert "• Indikator Kinerja Utama (IKU): ❌ tidak sesuai — Indikator tidak sesuai dengan IKU" in page
    assert f"• Realisasi capaian kinerja triwulan: ❌ tidak sesuai — {TYPED}" in page
    assert "• Rencana Strategis (Renstra) Perangkat Daerah: ✅ sesuai" in page
    await sim.say("tim1", "/rekap")
    await sim.press("tim1", "Unduh XLSX")
    (xlsx,) = files(sim, "tim1", ".xlsx")
    ws = load_workbook(io.BytesIO(xlsx.file.data))[SHEET]
    rows = {r[1]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert [c.value for c in ws[1]] == ["No.", "Kode", "Perangkat Daerah", "Renstra", "IKU", "Perjanjian Kinerja",
                                        "Renja/RKT", "Realisasi triwulan", "Rancangan LKj", "Dikembalikan (kali)"]
    assert rows["DISDIK"][3:] == ("Sesuai", "Tidak sesuai: Indikator tidak sesuai dengan IKU", "Sesuai", "Sesuai",
                                  f"Tidak sesuai: {TYPED}", "Sesuai", 1)
    assert rows["DINSOS"][4] == "Tidak sesuai: Dokumen belum ditandatangani"
    assert rows["KEC-DELANG"][3:] == ("Sesuai",) * 6 + (0,)
    await sim.say("kabag", "/monitoring")
    await sim.press("kabag", "Unduh PDF")
    pdf = files(sim, "kabag", ".pdf")[-1]
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.file.data)).pages]
    text = " ".join(pages)
    assert "Penilai," in pages[-1] and "Jumlah 3" in pages[-1].split("Penilai,")[0]  # the table goes with it
    assert "Pengembalian per Butir Bukti Dukung" in text
    assert "Indikator Kinerja Utama (IKU) 2 Dinas Pendidikan, Dinas Sosial" in text
    assert "Realisasi capaian kinerja triwulan 1 Dinas Pendidikan" in text
    assert "Jumlah 3" in text
    assert "Butir bukti dukung yang tidak sesuai: IKU 2 kali, Realisasi triwulan 1 kali." in text
    await sim.press("kabag", "Unduh XLSX")
    book = load_workbook(io.BytesIO(files(sim, "kabag", ".xlsx")[-1].file.data))
    step10 = next(r for r in book["Monitoring SOP"].iter_rows(min_row=2, values_only=True) if r[0] == 10)
    assert "Butir bukti dukung yang tidak sesuai: IKU 2 kali, Realisasi triwulan 1 kali." in step10[12]


async def test_the_demo_cycle_returns_one_opd_on_two_items_then_verifies_it(sim):
    await run_cycle(sim, returned_opd="dinsos")
    returned = [m.plain_text for m in sim.messages("dinsos") if "Butir yang harus diperbaiki" in m.plain_text]
    assert len(returned) == 1 and "1. Indikator Kinerja Utama (IKU): Target IKU belum sesuai" in returned[0]
    assert "2. Realisasi capaian kinerja triwulan: Data capaian tidak lengkap" in returned[0]
    await sim.say("tim1", "/rekap")
    assert "Terverifikasi 3 (dari 3)" in sim.last_text("tim1")
    assert "Butir bukti dukung yang dikembalikan: IKU 1×, Realisasi triwulan 1×." in sim.last_text("tim1")
    await sim.press("tim1", "Unduh XLSX")
    ws = load_workbook(io.BytesIO(files(sim, "tim1", ".xlsx")[-1].file.data))[SHEET]
    rows = {r[1]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["DINSOS"][3:] == ("Sesuai",) * 6 + (1,)  # the latest verification, returned once
