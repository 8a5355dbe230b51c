"""History across tahun kinerja (issue 13 item 9): three cycles of different years in one
database; /rekap KODE and the recap XLSX show each OPD's last three cycles; /rekap 2025 reads
that year's recap."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from bot.demo import run_cycle


async def _late(sim) -> None:
    sim.advance(days=40)  # past the letter's batas waktu (31 Desember 2026), inside the window


async def test_three_years_in_one_database(sim):
    await run_cycle(sim, returned_opd="dinsos", tahun=2024)
    await run_cycle(sim, returned_opd="disdik", tahun=2025)
    await run_cycle(sim, returned_opd="dinsos", tahun=2026, before_reports=_late)

    await sim.say("tim1", "/rekap DINSOS")
    page = sim.last_text("tim1")
    assert "Pengisian E-SAKIP Tahun Kinerja 2026" in page
    track = page[page.index("Tiga siklus terakhir"):page.index("Riwayat")]
    lines = [line for line in track.splitlines() if line.startswith("•")]
    assert len(lines) == 3, track
    assert lines[0].startswith("• Tahun Kinerja 2026: melapor terlambat") and lines[0].endswith("dikembalikan 1×")
    assert lines[1] == "• Tahun Kinerja 2025: melapor tepat waktu, tidak pernah dikembalikan"
    assert lines[2] == "• Tahun Kinerja 2024: melapor tepat waktu, dikembalikan 1×"

    # an earlier year stays readable, its history going back from it
    await sim.say("tim1", "/rekap 2025")
    assert "Rekap Pengisian E-SAKIP Tahun Kinerja 2025" in sim.find_message("tim1", "Unduh XLSX").plain_text
    await sim.say("tim1", "/rekap 2025 disdik")
    page = sim.last_text("tim1")
    assert "Pengisian E-SAKIP Tahun Kinerja 2025" in page
    assert "• Tahun Kinerja 2025: melapor tepat waktu, dikembalikan 1×" in page
    assert "• Tahun Kinerja 2024: melapor tepat waktu, tidak pernah dikembalikan" in page
    assert "Tahun Kinerja 2026:" not in page
    await sim.say("tim1", "/rekap 2023")
    assert sim.last_text("tim1") == ("⚠️ Belum ada siklus Pengisian E-SAKIP Tahun Kinerja 2023.\n"
                                     "Rekap tersedia untuk Tahun Kinerja 2026, 2025 dan 2024, misalnya /rekap 2026.")

    # the XLSX of the current year: one sheet, per OPD, the three cycles
    await sim.say("tim1", "/rekap")
    await sim.press("tim1", "Unduh XLSX")
    document = [m for m in sim.messages("tim1") if m.file is not None and m.file.file_name.endswith(".xlsx")][-1]
    assert document.file.file_name.startswith("Rekap_E-SAKIP_2026_")
    sheet = load_workbook(io.BytesIO(document.file.data))["Tiga Siklus Terakhir"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("No.", "Kode", "Perangkat Daerah", "Tahun Kinerja 2026", "Dikembalikan 2026 (kali)",
                       "Tahun Kinerja 2025", "Dikembalikan 2025 (kali)", "Tahun Kinerja 2024",
                       "Dikembalikan 2024 (kali)")
    dinsos = next(r for r in rows[1:] if r[1] == "DINSOS")
    assert dinsos[3].startswith("melapor terlambat") and dinsos[4:] == (
        1, "melapor tepat waktu", 0, "melapor tepat waktu", 1)
