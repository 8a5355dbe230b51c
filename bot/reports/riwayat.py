"""The audit trail of a cycle as rows and as a CSV file (UTF-8 with BOM, so that a spreadsheet
program opens it with the right characters)."""

from __future__ import annotations

import csv
import io
from typing import Any

from bot import formatting
from bot.reports import wording
from bot.reports.audit import AuditTrail


def audit_rows(trail: AuditTrail) -> list[list[Any]]:
    """One row per event, in the columns of KOLOM_RIWAYAT (rekap_teks.yaml)."""
    words = wording.chat_macros("riwayat_baris.html", trail.tz)
    return [[e.at, wording.plain(words.pelaku(e)), wording.plain(words.uraian(e)), e.step, e.opd_kode,
             e.opd_nama, e.note, e.action] for e in trail.events]


def audit_csv(trail: AuditTrail) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(wording.labels(trail.tz).KOLOM_RIWAYAT)
    for row in audit_rows(trail):
        writer.writerow([formatting.local(row[0], trail.tz).strftime("%Y-%m-%d %H:%M"),
                         *("" if v is None else v for v in row[1:])])
    return out.getvalue().encode("utf-8-sig")
