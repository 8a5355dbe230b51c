"""Through the real Application and the Bot API double: /rekap and its buttons, /monitoring,
/riwayat, in the demo's closed cycle and in a half-finished one."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from pypdf import PdfReader

from bot.demo import run_cycle
from bot.workflow import ActionKind as A

BOT = "bot→user"


def files(sim, who: str) -> list:  # type: ignore[no-untyped-def,type-arg]
    return [m for m in sim.messages(who) if m.direction == BOT and m.file is not None]


async def test_closed_cycle_recap_monitoring_and_history(sim):
    await run_cycle(sim, returned_opd="dinsos")
    await sim.say("tim1", "/rekap")
    recap = sim.find_message("tim1", "Unduh XLSX")
    assert [b.text for b in recap.buttons[0]] == ["Unduh XLSX", "Unduh PDF", "Grafik"]
    assert all(b.data.startswith(("r:xlsx:", "r:pdf:", "r:chart:")) for b in recap.buttons[0])
    assert "Siklus telah selesai" in recap.plain_text and "Terverifikasi 3 (dari 3)" in recap.plain_text
    await sim.press("tim1", "Unduh XLSX")
    (document,) = [m for m in files(sim, "tim1") if m.file.file_name.endswith(".xlsx")]
    assert document.file.file_name.startswith("Rekap_E-SAKIP_2026_")
    assert document.file.mime_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    wb = load_workbook(io.BytesIO(document.file.data))
    assert wb["Ringkasan"]["A2"].value == "Terverifikasi" and wb["Ringkasan"]["B2"].value == 3
    rows = list(wb["Per Perangkat Daerah"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[1] for r in rows) == ["DINSOS", "DISDIK", "KEC-DELANG"]
    assert {r[1]: r[11] for r in rows}["DINSOS"] == 1  # returned once
    await sim.press("tim1", "Unduh PDF")
    pdf = next(m for m in files(sim, "tim1") if (m.file.file_name or "").startswith("Rekap_E-SAKIP")
               and m.file.file_name.endswith(".pdf"))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.file.data)).pages)
    assert "REKAPITULASI PENGISIAN" in text and "Kecamatan Delang" in text
    await sim.press("tim1", "Grafik")
    photo = sim.messages("tim1")[-1]
    assert photo.photo is not None and photo.photo.data.startswith(b"\x89PNG")
    assert "Grafik Rekap Pengisian E-SAKIP Tahun Kinerja 2026" in photo.plain_text
    # the SOP monitoring form and the audit trail of the same (closed) cycle
    await sim.say("kabag", "/monitoring")
    summary = sim.find_message("kabag", "Unduh PDF")
    assert "Monitoring Pelaksanaan SOP" in summary.plain_text and "SOP/17/1/ORG/2015" in summary.plain_text
    await sim.press("kabag", "Unduh XLSX")
    book = load_workbook(io.BytesIO(sim.messages("kabag")[-1].file.data))
    assert book["Monitoring SOP"].max_row == 13
    await sim.press("kabag", "Unduh PDF")
    assert sim.messages("kabag")[-1].file.data.startswith(b"%PDF")
    await sim.say("tim1", "/riwayat")
    history = sim.find_message("tim1", "Unduh CSV")
    assert "menyatakan isian Dinas Sosial tidak sesuai" in history.plain_text
    await sim.press("tim1", "Unduh CSV")
    rows = list(csv.reader(io.StringIO(sim.messages("tim1")[-1].file.data.decode("utf-8-sig"))))
    assert rows[0][0] == "Waktu (WIB)" and sum(1 for r in rows if r[-1] == "task_sesuai") == 3
    sim.double.assert_no_violations()


async def test_refusals_name_who_may(sim):
    await sim.say("disdik", "/rekap")
    assert "hanya tersedia bagi Tim SAKIP Kabupaten" in sim.last_text("disdik")
    await sim.say("asisten", "/riwayat")
    assert "Riwayat siklus hanya tersedia bagi Tim SAKIP Kabupaten dan Administrator" in sim.last_text("asisten")
    await sim.say("asisten", "/monitoring")
    assert "Kepala Bagian Organisasi dan Administrator" in sim.last_text("asisten")
    await sim.say("asisten", "/rekap")
    assert "Belum ada siklus Pengisian E-SAKIP" in sim.last_text("asisten")


async def drive_half_way(sim) -> None:  # type: ignore[no-untyped-def]
    """Steps 1-8 through the services; Disdik receives and reports, Dinsos receives, Delang not."""
    svc = sim.svc

    def act(who: str, action: A, **kw) -> None:  # type: ignore[no-untyped-def]
        (task,) = svc.cycles.open_tasks_for(sim.tg(who))[:1]
        svc.cycles.act(sim.tg(who), task.id, action, **kw)

    svc.cycles.start(sim.tg("sekda"))
    for who, action in [("sekda", A.FORWARD), ("asisten", A.FORWARD), ("kabag", A.FORWARD)]:
        sim.advance(minutes=5)
        act(who, action)
    from dataclasses import replace
    from datetime import date

    fields = replace(svc.letters.defaults(2026), batas_waktu_pengisian=date(2026, 12, 4))
    act("tim1", A.SUBMIT_DRAFT, payload=svc.letters.payload(fields))
    for who, action in [("kabag", A.APPROVE), ("asisten", A.APPROVE), ("sekda", A.SIGN), ("tim1", A.DISTRIBUTE)]:
        sim.advance(minutes=5)
        act(who, action)
    for who in ("disdik", "dinsos"):
        sim.advance(minutes=10)
        act(who, A.CONFIRM_RECEIPT)
    act("disdik", A.SUBMIT, note="Sudah diisi.")
    sim.advance(days=2)
    await sim.settle()


async def test_half_finished_cycle_filters_and_one_opd(sim, monkeypatch):
    import conversations.recap
    import conversations.reports

    await drive_half_way(sim)
    await sim.say("tim2", "/rekap belum")
    text = sim.last_text("tim2")
    assert "Belum melapor: 2 dari 3 Perangkat Daerah" in text
    assert "Kecamatan Delang — Belum menerima surat, terlambat" in text and "Dinas Pendidikan" not in text.split(
        "Perangkat Daerah\n", 1)[1]
    await sim.say("tim2", "/rekap terlambat")
    assert "Terlambat: 1 dari 3 Perangkat Daerah" in sim.last_text("tim2")
    await sim.say("kabag", "/rekap disdik")
    history = sim.last_text("kabag")
    assert history.startswith("📊 Dinas Pendidikan") and "melaporkan pengisian Dinas Pendidikan selesai" in history
    await sim.say("kabag", "/rekap XYZ")
    assert "«XYZ» tidak terdapat pada siklus ini" in sim.last_text("kabag")
    # a recap too long for chat comes as totals and the full list as a file
    monkeypatch.setattr(conversations.recap, "MAX_PARTS", 0)
    await sim.say("sekda", "/rekap")
    summary, document = sim.messages("sekda")[-2:]
    assert "Perlu perhatian: Kecamatan Delang" in summary.plain_text and "\n1. " not in summary.plain_text
    assert document.file.file_name.endswith(".xlsx") and "Daftar lengkap 3 Perangkat Daerah" in document.plain_text
    assert [b.text for b in document.buttons[0]] == ["Unduh XLSX", "Unduh PDF", "Grafik"]
    # a long history is shown in part, and the whole of it attached as CSV
    monkeypatch.setattr(conversations.reports, "RIWAYAT_SHOWN", 5)
    await sim.say("tim1", "/riwayat")
    shown, attached = sim.messages("tim1")[-2:]
    assert "ditampilkan 5 peristiwa terakhir" in shown.plain_text and shown.plain_text.count("• ") == 5
    assert attached.file.file_name.endswith(".csv")
    sim.double.assert_no_violations()


async def test_an_export_that_fails_after_its_press_was_answered_is_said_in_the_chat(sim, monkeypatch):
    """The press is answered ("disiapkan…") before the file is built; Telegram refuses a second
    answer, so the error reply goes to the chat instead of being lost."""
    from bot.reports import exports

    def broken(*args):  # type: ignore[no-untyped-def]
        raise RuntimeError("openpyxl could not write a cell")

    await drive_half_way(sim)
    await sim.say("tim1", "/rekap")
    monkeypatch.setattr(exports, "recap_file", broken)
    await sim.press("tim1", "Unduh XLSX")
    assert "terjadi gangguan" in sim.last_text("tim1") and "openpyxl" not in sim.last_text("tim1")
    sim.double.assert_no_violations()
