"""The board as JSON for the page: codes, numbers and short texts in the configured zone.

The page shows what it is given; every rule about a Perangkat Daerah's state was applied by the
recap and the board service before this."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

from bot import formatting
from bot.presentation import labels
from bot.reports import wording
from bot.reports.model import OpdHistory, OpdLine
from bot.services.board import Board, BoardRow, OfficialTask, StepCell, Viewer

#: Short month names for compact times ("24 Nov 10.30").
BULAN_SINGKAT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


class Formatter:
    def __init__(self, tz: tzinfo, now: datetime) -> None:
        self.tz, self.today = tz, now.astimezone(tz).date()

    def short(self, value: datetime | None, *, always_date: bool = False) -> str | None:
        """'09.07' today, '23 Nov 09.07' another day."""
        if value is None:
            return None
        local = value.astimezone(self.tz)
        if local.date() == self.today and not always_date:
            return f"{local:%H.%M}"
        return f"{local.day} {BULAN_SINGKAT[local.month - 1]} {local:%H.%M}"

    @staticmethod
    def days(value: timedelta | None) -> float | None:
        return None if value is None else round(value.total_seconds() / 86400, 2)

    @staticmethod
    def duration(value: timedelta | None) -> str | None:
        return None if value is None else formatting.durasi(value)


def board_json(board: Board, tz: tzinfo, refresh_seconds: float) -> dict[str, Any]:
    recap = board.recap
    now = recap.at if recap else datetime.now(tz)
    f = Formatter(tz, now)
    body: dict[str, Any] = {
        "pengguna": viewer_json(board.viewer),
        "refresh_detik": refresh_seconds,
        "zona": formatting.zone_abbr(tz),
        "langkah": list(board.steps),
        "siklus": None,
    }
    if recap is None:
        return body
    local = now.astimezone(tz)
    body["siklus"] = {
        "id": recap.cycle_id, "tahun": recap.tahun, "status": recap.status,
        "diperbarui": f"{local:%H.%M}", "per": formatting.tanggal_jam(now, tz),
        "langkah_berjalan": recap.current_step, "kegiatan": recap.current_kegiatan,
        "batas_pengisian": formatting.tanggal(recap.letter_deadline, tz) if recap.letter_deadline else None,
    }
    body["total"] = vars(board.totals)
    body["opd"] = [row_json(row, f) for row in board.rows]
    body["tugas"] = tasks_json(board.tasks, f)
    return body


def viewer_json(viewer: Viewer) -> dict[str, Any]:
    return {"nama": viewer.nama, "peran": viewer.peran.value, "peran_label": viewer.peran.label,
            "semua": viewer.sees_all, "opd": viewer.opd_nama}


def cell_json(cell: StepCell, f: Formatter) -> dict[str, Any]:
    """One step of one Perangkat Daerah; keys without a value are left out (500 OPDs, 1,500 cells)."""
    out: dict[str, Any] = {"langkah": cell.step, "keadaan": cell.state}
    for key, value in (("waktu", f.short(cell.at, always_date=True)), ("terlambat", f.duration(cell.late_by)),
                       ("batas", f.short(cell.due_at, always_date=True))):
        if value is not None:
            out[key] = value
    return out


def row_json(row: BoardRow, f: Formatter) -> dict[str, Any]:
    line = row.line
    return {
        "kode": line.kode, "nama": line.nama, "status": line.status.value, "status_label": line.status_label,
        "terlambat": line.is_late, "terlambat_kini": f.duration(line.late_by),
        "operator": row.has_operator, "dikembalikan": line.returns,
        "langkah": [cell_json(cell, f) for cell in row.cells],
        "hari": [f.days(span) for span in row.spans], "selesai": row.finished,
    }


def tasks_json(tasks: tuple[OfficialTask, ...], f: Formatter) -> list[dict[str, Any]]:
    """The open tasks of the officials, one entry per role and step (step 10 has one task per
    Perangkat Daerah): waiting since the earliest, the nearest deadline, the longest delay."""
    groups: dict[tuple[str, int], list[OfficialTask]] = {}
    for task in tasks:
        groups.setdefault((task.role.value, task.step), []).append(task)
    out = []
    for (role, step), group in groups.items():
        first = group[0]
        dues = [t.due_at for t in group if t.due_at is not None]
        lates = [t.late_by for t in group if t.late_by is not None]
        out.append({
            "langkah": step, "judul": labels.section("board_steps").get(first.kind.value, ""), "kegiatan": first.kegiatan,
            "peran": role, "peran_singkat": labels.section("board_roles").get(role, first.role.label),
            "peran_label": first.role.label, "nama": list(first.people),
            "opd": [t.opd_nama for t in group if t.opd_nama], "jumlah": len(group),
            "sejak": f.short(min(t.started_at for t in group)),
            "batas": f.short(min(dues), always_date=True) if dues else None,
            "terlambat": f.duration(max(lates)) if lates else None, "terlambat_jumlah": len(lates),
        })
    return out


def history_json(history: OpdHistory, tz: tzinfo) -> dict[str, Any]:
    f = Formatter(tz, history.trail.at)
    line: OpdLine = history.line
    words = wording.chat_macros("riwayat_baris.html", tz)
    return {
        "kode": line.kode, "nama": line.nama, "status_label": line.status_label,
        "catatan": line.last_note, "dikembalikan": line.returns,
        "batas": f.short(line.due_at, always_date=True), "langkah": line.step,
        "peristiwa": [{"waktu": f.short(e.at, always_date=True), "catatan": e.note,
                       "teks": f"{wording.plain(words.pelaku(e))} {wording.plain(words.uraian(e))}."}
                      for e in history.trail.events],
    }
