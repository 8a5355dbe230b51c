"""Spreadsheets (openpyxl): one sheet per view, a frozen header, an auto filter and column
widths that fit their contents. Instants are written as Excel dates in the deployment's zone
(the report's `tz`; Excel has no zones)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot import formatting
from bot.formatting import durasi
from bot.reports import checklist, wording
from bot.reports.audit import AuditTrail
from bot.reports.model import Monitoring, Recap
from bot.reports.riwayat import audit_rows

DATE_FORMAT = "dd/mm/yyyy hh:mm"
PERCENT = "0.0%"
MAX_WIDTH = 60
WRAP_WIDTH = 48
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="FFE8E8E8")


def cell(value: Any, tz: tzinfo | None) -> Any:
    """A value openpyxl can store: aware instants become naive local times in `tz`; text loses
    the control characters a worksheet cannot hold (a name or note typed with one would
    otherwise fail the whole export)."""
    if isinstance(value, datetime):
        return formatting.local(value, tz).replace(tzinfo=None)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def add_table(wb: Workbook, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
              tz: tzinfo | None, wrap: Sequence[int] = (), formats: dict[int, str] | None = None) -> Worksheet:
    """A sheet with a header row (bold, frozen, filtered) and `rows`; `wrap` and `formats` are
    0-based column indexes whose cells wrap or get a number format."""
    ws = wb.create_sheet(title[:31])
    ws.append(list(headers))
    for row in rows:
        ws.append([cell(v, tz) for v in row])
    for c in ws[1]:
        c.font, c.fill = _HEADER_FONT, _HEADER_FILL
        c.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    formats = formats or {}
    for index in range(len(headers)):
        letter = get_column_letter(index + 1)
        values = [row[index] for row in rows if index < len(row)]
        for c in ws[letter][1:]:
            c.number_format = cell_format(c.value, formats.get(index))
        if index in wrap:
            for c in ws[letter][1:]:
                c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[letter].width = fit_width(headers[index], values, index in wrap)
    return ws


def cell_format(value: Any, column_format: str | None) -> str:
    """The number format of one cell, from the type of its own value: instants as dates, the
    column's format (a percentage, a decimal) only on numbers, everything else as it is."""
    if isinstance(value, datetime):
        return DATE_FORMAT
    if column_format and isinstance(value, int | float) and not isinstance(value, bool):
        return column_format
    return "General"


def fit_width(header: str, values: Sequence[Any], wrapped: bool) -> float:
    """Characters of the widest value (a header may wrap over two lines), within limits."""
    def size(value: Any) -> int:
        if value is None:
            return 0
        if isinstance(value, datetime):
            return len(DATE_FORMAT)
        if isinstance(value, float):
            return len(f"{value:.1f}")
        return max((len(line) for line in str(value).splitlines()), default=0)

    widest = max([size(v) for v in values] + [min(len(header), max(12, (len(header) + 1) // 2))])
    return min(widest, WRAP_WIDTH if wrapped else MAX_WIDTH) + 2


def save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


# -- the recap ----------------------------------------------------------------------------

def recap_xlsx(recap: Recap, trail: AuditTrail) -> bytes:
    """Ringkasan, Per Perangkat Daerah and Riwayat; `recap` must be unfiltered."""
    t, tz = wording.labels(recap.tz), recap.tz
    wb = new_workbook()
    _summary(wb, recap, t)
    chat = wording.chat_macros("rekap_baris.html", tz)
    rows = [[n, line.kode, line.nama, line.status_label, line.step, line.received_at, line.received_by,
             line.submitted_at, t.HASIL[line.verdict] if line.verdict else None, line.verified_at,
             line.verified_by, line.returns, line.due_at, line.days_left,
             wording.plain(chat.keterangan(line)), line.last_note]
            for n, line in enumerate(recap.lines, start=1)]
    add_table(wb, t.SHEET_OPD, t.KOLOM_OPD, rows, tz=tz, wrap=(2, 14, 15), formats={13: "0.0"})
    if sheet := checklist.xlsx_sheet(recap, t):
        add_table(wb, *sheet, tz=tz, wrap=tuple(range(2, len(sheet[1]) - 1)))
    if recap.track_years:
        _track(wb, recap, t, chat)
    add_table(wb, t.SHEET_RIWAYAT, t.KOLOM_RIWAYAT, audit_rows(trail), tz=tz, wrap=(2, 6))
    return save(wb)


def _track(wb: Workbook, recap: Recap, t: Any, chat: Any) -> None:
    """Per OPD, its last three cycles: on time or late, and how often returned."""
    columns = [*t.KOLOM_TIGA_SIKLUS]
    for tahun in recap.track_years:
        columns += [t.TK.format(tahun=tahun), t.DIKEMBALIKAN.format(tahun=tahun)]
    rows = []
    for n, line in enumerate(recap.lines, start=1):
        by_year = {c.tahun: c for c in recap.track.get(line.kode, ())}
        row: list[Any] = [n, line.kode, line.nama]
        for tahun in recap.track_years:
            c = by_year.get(tahun)
            row += [wording.plain(chat.ketepatan(c)) if c else t.TIDAK_IKUT, c.returns if c else None]
        rows.append(row)
    add_table(wb, t.SHEET_TIGA_SIKLUS, columns, rows, tz=recap.tz, wrap=(2,))


def _summary(wb: Workbook, recap: Recap, t: Any) -> None:
    total = recap.total or 1
    rows = [[c.label, c.count, c.count / total] for c in recap.counts]
    ws = add_table(wb, t.SHEET_RINGKASAN, t.KOLOM_RINGKASAN, rows, tz=recap.tz, formats={2: PERCENT})
    info = t.RINGKASAN_INFO
    steps = ", ".join(str(no) for no in recap.current_steps) or "-"
    ws.append([])
    for label, value in [
        (t.RINGKASAN_JUMLAH, recap.total),
        (t.RINGKASAN_TERLAMBAT, len(recap.late)),
        (t.RINGKASAN_BELUM, sum(1 for line in recap.lines if line.not_submitted)),
        (t.RINGKASAN_PERHATIAN, len(recap.attention)),
        (info["tahun"], recap.tahun), (info["siklus"], recap.cycle_id),
        (info["status"], t.STATUS_SIKLUS.get(recap.status, recap.status)), (info["langkah"], steps),
        (info["nomor_surat"], cell(recap.nomor_surat or "-", recap.tz)),
        (info["batas_pengisian"], cell(recap.letter_deadline, recap.tz)),
        (info["batas_verifikasi"], cell(recap.window_closes_at, recap.tz)),
        (info["dimulai"], cell(recap.opened_at, recap.tz)), (info["selesai"], cell(recap.closed_at, recap.tz)),
        (info["per"], cell(recap.at, recap.tz)),
    ]:
        ws.append([label, value])
        if isinstance(value, datetime):
            ws.cell(ws.max_row, 2).number_format = DATE_FORMAT
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width, 30)


# -- the SOP monitoring form ----------------------------------------------------------------

def monitoring_xlsx(mon: Monitoring) -> bytes:
    t = wording.labels(mon.tz)
    wb = new_workbook()
    form = "monitoring_catatan.html"
    rows = [[s.no, s.kegiatan, s.pelaksana, s.waktu_text, s.executions, _durasi(s.median), _durasi(s.longest),
             s.late + s.open_late, s.returns, s.escalations, s.open,
             wording.macro(form, "penilaian", s, tz=mon.tz), wording.macro(form, "catatan", s, tz=mon.tz),
             wording.macro(form, "tindakan", s, tz=mon.tz), ", ".join(s.actors), ""] for s in mon.steps]
    add_table(wb, t.SHEET_MONITORING, t.KOLOM_MONITORING, rows, tz=mon.tz, wrap=(1, 12, 13, 14))
    i = t.IDENTITAS
    who = mon.identity.disahkan_oleh
    add_table(wb, t.SHEET_IDENTITAS, t.KOLOM_IDENTITAS, tz=mon.tz, rows=[
        [i["nomor"], mon.identity.nomor], [i["nama"], mon.identity.nama], [i["unit"], mon.identity.unit],
        [i["disahkan_oleh"], f"{who.jabatan}, {who.nama}"], [i["versi"], mon.sop_version],
        [i["tahun"], mon.tahun], [i["periode"], mon.opened_at], [i["per"], mon.at],
        *([[i["batas_pengisian"], mon.letter_deadline]] if mon.letter_deadline else []),
        *([[i["batas_verifikasi"], mon.window_closes_at]] if mon.window_closes_at else []),
        [i["ringkasan"], wording.macro(form, "ringkasan", mon, tz=mon.tz)],
    ], wrap=(1,))
    return save(wb)


def _durasi(value: timedelta | None) -> str:
    """A duration in words, as the form reads (e.g. '2 jam 5 menit')."""
    return durasi(value) if value is not None else ""
