"""The SOP monitoring form: each step against its mutu baku, from the scenario's real timings."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook
from pypdf import PdfReader

from bot.reports import pdf, text, xlsx

from .scenario import NEVER_RECEIVED, ONLY_RECEIVED, RETURNED


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
