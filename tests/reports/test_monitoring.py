"""The SOP monitoring form: each step against its mutu baku, from the scenario's real timings."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime, timedelta

from openpyxl import load_workbook
from pypdf import PdfReader

from bot.formatting import WIB
from bot.reports import pdf, text, xlsx
from bot.sop.definition import Pejabat

from .scenario import AWAITING, NEVER_RECEIVED, ONLY_RECEIVED, RETURNED, RETURNED_THEN_VERIFIED, VERIFIED


def by_no(mon) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {s.no: s for s in mon.steps}


def test_half_way_assessment(half):
    svc, cycle_id = half
    mon = svc.recap.monitoring(cycle_id)
    steps = by_no(mon)
    assert len(mon.steps) == 12 and mon.identity.nomor == "SOP/17/1/ORG/2015" and mon.total_opd == 40
    assert [steps[n].penilaian for n in range(1, 13)] == [
        "baik", "baik", "baik", "baik", "baik", "tidak_baik", "baik", "tidak_baik", "tidak_baik", "baik",
        "belum", "belum"]
    # step 1: one disposition in 7 minutes against 30
    assert steps[1].median == timedelta(minutes=7) and steps[1].actors == ("Dr. Muhamad Irwansyah",)
    # steps 4-5: the draft went round once through "Tidak"
    assert steps[4].executions == 2 and steps[5].returns == 1 and steps[5].return_to == 4
    # step 6: 45 minutes against 30
    assert steps[6].late == 1 and steps[6].longest == timedelta(minutes=45)
    # step 7 has no mutu baku waktu
    assert not steps[7].has_deadline and steps[7].late == 0
    # step 8: receipts; three came late, five never came and were escalated
    assert steps[8].per_opd and steps[8].done == 35 and steps[8].open == len(NEVER_RECEIVED)
    assert steps[8].late == 3 and steps[8].open_late == 5 and steps[8].escalations >= 5
    # step 9: ten still filling and three returned are past the deadline; two reported late
    assert steps[9].open == len(ONLY_RECEIVED) + len(RETURNED) == steps[9].open_late
    assert steps[9].late == 2 and steps[9].escalations > 0
    # step 10: five returned, five awaiting verification, none late
    assert steps[10].returns == 5 and steps[10].open == 5 and steps[10].late == 0
    assert set(steps[10].actors) == {"Rina Wulandari", "Agus Prasetyo"}
    assert (mon.baik, mon.tidak_baik, mon.belum) == (7, 3, 2)


def test_closed_cycle_assessment(closed):
    svc, cycle_id = closed
    steps = by_no(svc.recap.monitoring(cycle_id))
    assert all(s.started for s in steps.values())
    assert (steps[8].cancelled, steps[9].cancelled, steps[10].cancelled) == (5, 13, 5)
    assert steps[10].penilaian == "tidak_baik" and steps[11].penilaian == "baik"
    assert steps[12].finished_at is not None


def test_the_monitoring_workbook(half):
    svc, cycle_id = half
    wb = load_workbook(io.BytesIO(xlsx.monitoring_xlsx(svc.recap.monitoring(cycle_id))))
    assert wb.sheetnames == ["Monitoring SOP", "Identitas SOP"]
    ws = wb["Monitoring SOP"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:P13"
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]
    assert [r["No."] for r in rows] == list(range(1, 13))
    assert [r["Penilaian terhadap penerapan"] for r in rows].count("Tidak berjalan dengan baik") == 3
    assert rows[5]["Realisasi terlama"] == "45 menit" and rows[5]["Terlambat"] == 1
    assert "Dikembalikan 1 kali" in rows[4]["Catatan hasil penilaian"]
    assert "13 Perangkat Daerah belum menyelesaikan" in rows[8]["Catatan hasil penilaian"]
    assert "Tindak lanjuti 13 Perangkat Daerah" in rows[8]["Tindakan yang harus diambil"]
    assert rows[10]["Penilaian terhadap penerapan"] == "Belum dilaksanakan"
    identity = {r[0].value: r[1].value for r in wb["Identitas SOP"].iter_rows(min_row=2)}
    assert identity["Nomor SOP"] == "SOP/17/1/ORG/2015"
    assert "MUHAMAD IRWANSYAH" in identity["Disahkan oleh"]


def test_each_identity_cell_has_the_format_of_its_own_value(half):
    """A date format on the whole column showed version 1 as 01/01/1900 and 2026 as 18/07/1905."""
    svc, cycle_id = half
    wb = load_workbook(io.BytesIO(xlsx.monitoring_xlsx(svc.recap.monitoring(cycle_id))))
    cells = {r[0].value: r[1] for r in wb["Identitas SOP"].iter_rows(min_row=2)}
    for label, value in (("Versi definisi SOP", 1), ("Siklus pelaksanaan", 2026)):
        assert cells[label].value == value and cells[label].number_format == "General", label
        assert not cells[label].is_date, label
    assert cells["Nomor SOP"].number_format == "General"
    for label in ("Periode pelaksanaan", "Keadaan per"):
        assert isinstance(cells[label].value, datetime), label
        assert cells[label].number_format == "dd/mm/yyyy hh:mm", label


def test_the_monitoring_pdf(closed):
    svc, cycle_id = closed
    data = pdf.monitoring_pdf(svc.recap.monitoring(cycle_id))
    text_ = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
    for part in ("MONITORING PELAKSANAAN SOP", "SOP/17/1/ORG/2015", "Pengisian Portal E-SAKIP Kabupaten Lamandau",
                 "Dr. MUHAMAD IRWANSYAH", "Catatan hasil penilaian", "Tindakan yang harus diambil",
                 "Paraf penilai", "tidak selesai sampai batas waktu verifikasi berakhir", "Penilai"):
        assert "".join(part.split()) in "".join(text_.split()), part  # table headers wrap
    assert "Berjalan dengan baik" in text_ and "Tidak berjalan dengan baik" in text_


def test_the_monitoring_message(half):
    svc, cycle_id = half
    plain = text.monitoring_text(svc.recap.monitoring(cycle_id))
    assert "Berjalan dengan baik 7 · Tidak berjalan dengan baik 3 · Belum dilaksanakan 2" in plain
    assert "6. Asisten Administrasi Umum (mutu baku 30 menit): tidak berjalan dengan baik" in plain
    assert "7. Sekretaris Daerah (tanpa mutu baku waktu)" in plain


def test_a_step_done_per_opd_counts_perangkat_daerah_not_tasks(half, closed):
    """A Perangkat Daerah returned at step 10 and resubmitted has two tasks of steps 9 and 10 but
    finished each once ("4 dari 3 Perangkat Daerah selesai" was the bug)."""
    svc, cycle_id = half
    steps = by_no(svc.recap.monitoring(cycle_id))
    # step 9: verified 15 + awaiting verification 5 + returned then resubmitted 2
    assert steps[9].done == len(VERIFIED) + len(AWAITING) + len(RETURNED_THEN_VERIFIED) == 22
    # step 10: only a "sesuai" finishes it; the three returned are still out
    assert steps[10].done == len(VERIFIED) + len(RETURNED_THEN_VERIFIED) == 17
    assert steps[10].executions == 17 + len(RETURNED) + len(RETURNED_THEN_VERIFIED) + len(AWAITING)
    svc, cycle_id = closed
    for s in svc.recap.monitoring(cycle_id).steps:
        if s.per_opd:
            assert s.done + s.cancelled <= s.total_opd == 40, s.no


def test_pelaksana_are_the_people_of_the_steps_role(half):
    svc, cycle_id = half
    steps = by_no(svc.recap.monitoring(cycle_id))
    assert steps[8].actors == ("Rina Wulandari",)  # not the operators who confirmed receipt
    assert all(name.startswith("Operator") for name in steps[9].actors)


def test_step_9_is_judged_against_the_letters_deadline_and_says_so(half):
    from bot.reports import wording

    svc, cycle_id = half
    mon = svc.recap.monitoring(cycle_id)
    steps = by_no(mon)
    assert steps[9].batas_surat == datetime(2026, 12, 4, 16, 0, tzinfo=WIB)
    assert all(s.batas_surat is None for s in mon.steps if s.no != 9)
    note = wording.macro("monitoring_catatan.html", "catatan", steps[9], tz=WIB)
    assert ("Dinilai terhadap batas waktu pengisian dalam surat, Jumat, 4 Desember 2026 pukul 16.00 WIB, "
            "yang menggantikan mutu baku 1 Jam.") in note
    assert "(mutu baku 1 Jam)" not in note and "2 pelaksanaan selesai melewati batas waktu." in note
    assert "(mutu baku 30 menit)" in wording.macro("monitoring_catatan.html", "catatan", steps[1], tz=WIB)
    assert "9. Perangkat Daerah (batas waktu pengisian dalam surat)" in text.monitoring_text(mon)


def _pdf_pages(mon) -> list[str]:  # type: ignore[no-untyped-def]
    data = pdf.monitoring_pdf(mon)
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]


def test_the_penilai_is_the_kabag_with_name_and_nip(closed):
    svc, cycle_id = closed
    mon = svc.recap.monitoring(cycle_id)
    assert mon.penilai == Pejabat("Kepala Bagian Organisasi", "Siti Rahmah, S.Sos.", "", "")
    last = _pdf_pages(mon)[-1]
    assert "Penilai, Kepala Bagian Organisasi, Siti Rahmah, S.Sos. NIP. ....." in last
    with_nip = replace(mon, penilai=replace(mon.penilai, nip="198001012005012003"))
    assert "Siti Rahmah, S.Sos. NIP. 19800101 200501 2 003" in _pdf_pages(with_nip)[-1]
    nobody = replace(mon, penilai=None)
    assert "Penilai, Kepala Bagian Organisasi, (.......................................) NIP. ...." in \
        _pdf_pages(nobody)[-1]


def test_the_penilai_never_stands_alone_on_the_last_page(closed):
    """Whatever the length of the table, the block goes with the note and the rows above it."""
    svc, cycle_id = closed
    mon = svc.recap.monitoring(cycle_id)
    for count in range(6, 13):
        pages = _pdf_pages(replace(mon, steps=mon.steps[:count], checklist=None))  # the steps' table alone
        last = pages[-1]
        assert "Penilai," in last and "Berjalan dengan baik" in last, count
        assert f"{count}. " in last.split("Penilai,")[0], (count, last[:200])  # a table row too
