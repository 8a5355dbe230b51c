"""The recap and the SOP monitoring form as PDF, through the documents' renderer (WeasyPrint)."""

from __future__ import annotations

import base64

from bot.formatting import durasi
from bot.reports import wording
from bot.reports.model import Monitoring, Recap


def recap_pdf(recap: Recap, chart_png: bytes | None = None) -> bytes:
    """The recap (unfiltered) as a landscape table, with the chart when one is given."""
    from bot.documents.models import KOP_SETDA_LAMANDAU
    from bot.documents.render import render_pdf

    grafik = f"data:image/png;base64,{base64.b64encode(chart_png).decode()}" if chart_png else None
    return render_pdf("rekap_pengisian.html", {"r": recap, "kop_surat": KOP_SETDA_LAMANDAU, "grafik": grafik,
                                               "durasi": durasi, "teks": wording.labels(recap.tz)}, tz=recap.tz)


def monitoring_pdf(mon: Monitoring) -> bytes:
    """The form "Monitoring Pelaksanaan SOP" (PermenPANRB 35/2012) filled from the cycle's timings."""
    from bot.documents.render import render_pdf

    return render_pdf("monitoring_sop.html", {"mon": mon, "durasi": durasi}, tz=mon.tz)
