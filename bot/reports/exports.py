"""The files a person can ask for, built from the recap service: shared by the bot's buttons
and the command line, so both give the same file under the same name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from bot import formatting

if TYPE_CHECKING:
    from bot.services.recap import RecapService

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIME = {"xlsx": XLSX, "pdf": "application/pdf", "png": "image/png", "csv": "text/csv",
        "txt": "text/plain"}
RECAP_FORMATS = ("text", "xlsx", "pdf", "png")
MONITORING_FORMATS = ("text", "xlsx", "pdf")


@dataclass(frozen=True)
class ExportFile:
    kind: str  # the caption's key in templates/chat/rekap_berkas.html
    filename: str
    content: bytes
    tahun: int

    @property
    def mime_type(self) -> str:
        return MIME[self.filename.rsplit(".", 1)[-1]]


def _name(prefix: str, tahun: int, at: datetime, suffix: str, tz: tzinfo | None) -> str:
    """The file's name, stamped with the report's moment in the deployment's zone."""
    return f"{prefix}_{tahun}_{formatting.local(at, tz):%Y%m%d-%H%M}.{suffix}"


def recap_file(recap: RecapService, cycle_id: int, fmt: str) -> ExportFile:
    """The recap as text, xlsx, pdf (with its chart) or png (the chart alone)."""
    from bot.reports import chart, pdf, text, xlsx

    r = recap.build(cycle_id, with_track=fmt == "xlsx")
    if fmt == "xlsx":
        return ExportFile("rekap_xlsx", _name("Rekap_E-SAKIP", r.tahun, r.at, "xlsx", r.tz),
                          xlsx.recap_xlsx(r, recap.audit_trail(cycle_id)), r.tahun)
    if fmt == "pdf":
        return ExportFile("rekap_pdf", _name("Rekap_E-SAKIP", r.tahun, r.at, "pdf", r.tz),
                          pdf.recap_pdf(r, chart.recap_chart(r, dpi=150)), r.tahun)
    if fmt == "png":
        return ExportFile("grafik", _name("Grafik_Rekap_E-SAKIP", r.tahun, r.at, "png", r.tz), chart.recap_chart(r), r.tahun)
    if fmt == "text":
        return ExportFile("rekap_text", _name("Rekap_E-SAKIP", r.tahun, r.at, "txt", r.tz),
                          text.recap_text(r).encode(), r.tahun)
    raise ValueError(f"format {fmt!r} tidak dikenal; pilihan: {', '.join(RECAP_FORMATS)}")


def monitoring_file(recap: RecapService, cycle_id: int, fmt: str) -> ExportFile:
    """The form "Monitoring Pelaksanaan SOP" as text, xlsx or pdf."""
    from bot.reports import pdf, text, xlsx

    mon = recap.monitoring(cycle_id)
    name = "Monitoring_SOP_E-SAKIP"
    if fmt == "xlsx":
        return ExportFile("monitoring_xlsx", _name(name, mon.tahun, mon.at, "xlsx", mon.tz), xlsx.monitoring_xlsx(mon), mon.tahun)
    if fmt == "pdf":
        return ExportFile("monitoring_pdf", _name(name, mon.tahun, mon.at, "pdf", mon.tz), pdf.monitoring_pdf(mon), mon.tahun)
    if fmt == "text":
        return ExportFile("monitoring_text", _name(name, mon.tahun, mon.at, "txt", mon.tz),
                          text.monitoring_text(mon).encode(), mon.tahun)
    raise ValueError(f"format {fmt!r} tidak dikenal; pilihan: {', '.join(MONITORING_FORMATS)}")


def trail_file(recap: RecapService, cycle_id: int) -> ExportFile:
    from bot.reports.riwayat import audit_csv

    trail = recap.audit_trail(cycle_id)
    return ExportFile("riwayat_csv", _name("Riwayat_Siklus_E-SAKIP", trail.tahun, trail.at, "csv", trail.tz),
                      audit_csv(trail), trail.tahun)
