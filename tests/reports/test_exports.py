"""The files: the XLSX opened and its cells compared with the scenario's numbers, the PDF's text,
the chart as a real PNG, the audit trail as CSV."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import replace
from datetime import datetime

import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from bot.reports import chart, exports, pdf, riwayat, xlsx

from .scenario import EXPECTED, EXPECTED_BELUM, EXPECTED_TERLAMBAT, opd_rows


def workbook(data: bytes):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(data))


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def recap_book(half):  # type: ignore[no-untyped-def]
    svc, cycle_id = half
    return workbook(xlsx.recap_xlsx(svc.recap.build(cycle_id), svc.recap.audit_trail(cycle_id))), svc, cycle_id


def test_the_recap_workbook_has_one_sheet_per_view_with_frozen_filtered_headers(recap_book):
    wb, _, _ = recap_book
    assert wb.sheetnames == ["Ringkasan", "Per Perangkat Daerah", "Verifikasi Bukti Dukung", "Riwayat"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert all(c.font.bold for c in ws[1])


def test_the_summary_sheet_counts(recap_book):
    wb, _, _ = recap_book
    ws = wb["Ringkasan"]
    assert [c.value for c in ws[1]] == ["Keadaan", "Jumlah Perangkat Daerah", "Persentase"]
    table = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, 9)}
    assert table == EXPECTED
    assert ws.cell(2, 3).value == pytest.approx(17 / 40) and ws.cell(2, 3).number_format == "0.0%"
    assert ws.auto_filter.ref == "A1:C8"
    info = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(10, ws.max_row + 1)}
    assert info["Jumlah Perangkat Daerah"] == 40
    assert info["Terlambat"] == EXPECTED_TERLAMBAT
    assert info["Belum melaporkan pengisian"] == EXPECTED_BELUM
    assert info["Keadaan siklus"] == "Berjalan" and info["Langkah berjalan"] == "8, 9, 10"
    assert info["Batas waktu pengisian"] == datetime(2026, 12, 4, 16, 0)  # WIB, as Excel shows it


def test_the_per_opd_sheet(recap_book):
    wb, svc, cycle_id = recap_book
    ws = wb["Per Perangkat Daerah"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]
    assert len(rows) == 40 and ws.auto_filter.ref == f"A1:P{41}"
    assert Counter(r["Keadaan"] for r in rows) == Counter({k: v for k, v in EXPECTED.items() if v})
    assert sum(r["Dikembalikan (kali)"] for r in rows) == 5
    assert Counter(r["Hasil verifikasi"] for r in rows) == Counter(
        {"Sesuai": 17, "Menunggu verifikasi": 5, "Tidak sesuai (dikembalikan)": 3, None: 15})
    assert sorted(r["Kode"] for r in rows) == sorted(row.kode for row in opd_rows())
    assert sum(1 for r in rows if (r["Sisa hari (negatif: terlambat)"] or 0) < 0) == 18
    assert sum(1 for r in rows if "terlambat" in (r["Keterangan"] or "")) == EXPECTED_TERLAMBAT
    first = rows[0]
    assert isinstance(first["Batas waktu"], datetime) and first["Surat diterima"] is None
    received = [c for c in ws["F"][1:] if c.value is not None]
    assert received and all(c.is_date and c.number_format == "dd/mm/yyyy hh:mm" for c in received)
    assert ws["F2"].value is None and ws["F2"].number_format == "General"  # no format on an empty cell
    # widths fit the longest name but stay readable
    longest = max(len(r["Perangkat Daerah"]) for r in rows)
    assert 20 < ws.column_dimensions["C"].width <= min(longest, 48) + 2
    assert ws.column_dimensions["A"].width >= 5


def test_the_history_sheet_matches_the_audit_log(recap_book):
    wb, svc, cycle_id = recap_book
    events = svc.recap.audit_trail(cycle_id).events
    ws = wb["Riwayat"]
    assert ws.max_row - 1 == len(events)
    actions = Counter(ws.cell(r, 8).value for r in range(2, ws.max_row + 1))
    assert actions["task_tidak_sesuai"] == 5 and actions["task_sesuai"] == 17 and actions["cycle_start"] == 1
    assert any("menyatakan isian" in (ws.cell(r, 3).value or "") for r in range(2, ws.max_row + 1))


def test_a_control_character_in_a_note_or_name_does_not_fail_the_workbook(half):
    """Found by the 10,000-update fuzz: openpyxl refuses \\x00-\\x1f (but tab and newlines) in a cell."""
    svc, cycle_id = half
    trail = svc.recap.audit_trail(cycle_id)
    odd = replace(trail.events[0], actor="Operator\x07 Dinas\x1b", note="catatan\x00 dengan\tTAB\nbaris")
    book = workbook(xlsx.recap_xlsx(svc.recap.build(cycle_id), replace(trail, events=(odd, *trail.events[1:]))))
    row = [c.value for c in book["Riwayat"][2]]
    assert row[1] == "Operator Dinas" and row[6] == "catatan dengan\tTAB\nbaris"


def test_the_recap_pdf_has_the_expected_parts(half):
    svc, cycle_id = half
    recap = svc.recap.build(cycle_id)
    data = pdf.recap_pdf(recap, chart.recap_chart(recap))
    text = pdf_text(data)
    assert data.startswith(b"%PDF")
    assert "REKAPITULASI PENGISIAN DATA KINERJA" in text and "SEKRETARIAT DAERAH" in text
    for label, count in EXPECTED.items():
        assert f"{label} {count}" in text
    assert "Jumlah 40" in text and f"Terlambat: {EXPECTED_TERLAMBAT} Perangkat Daerah" in text
    flat = squash(text)
    for row in opd_rows():
        assert squash(row.nama) in flat, row.nama
    pages = len(PdfReader(io.BytesIO(data)).pages)
    assert f"Halaman {pages} dari {pages}" in text


def test_the_recap_pdf_closes_with_the_kabags_mengetahui(half):
    """Evidence for the Inspektorat: "Mengetahui, Kepala Bagian Organisasi", name and NIP."""
    from dataclasses import replace

    from bot.sop.definition import Pejabat

    svc, cycle_id = half
    recap = svc.recap.build(cycle_id)
    assert recap.mengetahui == Pejabat("Kepala Bagian Organisasi", "Siti Rahmah, S.Sos.", "", "")
    text = pdf_text(pdf.recap_pdf(recap))
    assert "Nanga Bulik, 8 Desember 2026 Mengetahui, Kepala Bagian Organisasi, Siti Rahmah, S.Sos. NIP. ...." in text
    text = pdf_text(pdf.recap_pdf(replace(recap, mengetahui=replace(recap.mengetahui, nip="198001012005012003"))))
    assert "Siti Rahmah, S.Sos. NIP. 19800101 200501 2 003" in text
    text = pdf_text(pdf.recap_pdf(replace(recap, mengetahui=None)))
    assert "Mengetahui, Kepala Bagian Organisasi, (.......................................) NIP. ...." in text


def test_the_chart_is_a_png(half):
    svc, cycle_id = half
    png = chart.recap_chart(svc.recap.build(cycle_id))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.verify()
    assert image.size == (1200, 500)


def test_the_chart_of_a_cycle_that_just_started(sqlite_db, clock, tmp_path):
    from bot.services.container import build_services

    from .conftest import settings_for
    from .scenario import OFFICIALS, register

    svc = build_services(settings_for(sqlite_db.url, tmp_path / "data"), clock=clock, db=sqlite_db)
    register(svc, 3)
    cycle_id = svc.cycles.start(OFFICIALS["sekda"][0]).cycle_id
    recap = svc.recap.build(cycle_id)
    assert recap.submissions == () and recap.letter_deadline is None
    assert chart.recap_chart(recap).startswith(b"\x89PNG")
    wb = workbook(xlsx.recap_xlsx(recap, svc.recap.audit_trail(cycle_id)))
    assert wb["Ringkasan"].cell(7, 2).value == 3  # Menunggu surat


def test_the_audit_trail_as_csv(half):
    svc, cycle_id = half
    trail = svc.recap.audit_trail(cycle_id)
    data = riwayat.audit_csv(trail)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Waktu (WIB)", "Oleh", "Peristiwa"] and len(rows) == len(trail.events) + 1
    assert rows[1][0] == "2026-11-24 10:00" and "memulai siklus" in rows[1][2]
    returned = [r for r in rows if r[-1] == "task_tidak_sesuai"]
    assert len(returned) == 5 and all(r[6].startswith("Target IKU") and r[3] == "10" for r in returned)
    assert any(r[1] == "Sistem" and r[-1] == "escalation" for r in rows)


def test_export_files_are_named_and_typed(half):
    svc, cycle_id = half
    for fmt, suffix in [("xlsx", ".xlsx"), ("png", ".png"), ("text", ".txt")]:
        file = exports.recap_file(svc.recap, cycle_id, fmt)
        assert file.filename.startswith("Rekap_E-SAKIP_2026_20261208-1000") or file.filename.startswith("Grafik")
        assert file.filename.endswith(suffix) and file.content and file.mime_type
    assert exports.trail_file(svc.recap, cycle_id).mime_type == "text/csv"
    with pytest.raises(ValueError, match="tidak dikenal"):
        exports.recap_file(svc.recap, cycle_id, "docx")
