"""The recap as a picture (matplotlib, Agg, no pyplot: no global state, safe in threads):
Perangkat Daerah by status, and reports over time against the filling deadline."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, tzinfo
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, DateFormatter, date2num
from matplotlib.figure import Figure

from bot import formatting
from bot.reports import wording
from bot.reports.model import Recap
from bot.workflow import OpdStatus

COLORS = {
    OpdStatus.TERVERIFIKASI: "#2e7d32", OpdStatus.MENUNGGU_VERIFIKASI: "#1565c0",
    OpdStatus.DIKEMBALIKAN: "#ef6c00", OpdStatus.MENGISI: "#fbc02d", OpdStatus.BELUM_MENERIMA: "#c62828",
    OpdStatus.MENUNGGU_SURAT: "#9e9e9e", OpdStatus.TIDAK_SELESAI: "#6d4c41",
}


def _local(value: datetime, tz: tzinfo | None) -> float:
    """The wall-clock time in the deployment's zone, as matplotlib's date number."""
    return float(date2num(formatting.local(value, tz).replace(tzinfo=None)))


def recap_chart(recap: Recap, dpi: int = 100) -> bytes:
    """A PNG of two panels; `recap` must be unfiltered."""
    t = wording.labels(recap.tz)
    fig = Figure(figsize=(12, 5), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    bars, timeline = fig.subplots(1, 2, width_ratios=(1, 1.3))
    fig.suptitle(t.GRAFIK_JUDUL.format(tahun=recap.tahun, per=formatting.tanggal_jam(recap.at, recap.tz)), fontsize=13)
    _status_bars(bars, recap, t)
    _timeline(timeline, recap, t)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _status_bars(ax: Axes, recap: Recap, t: Any) -> None:
    shown = [c for c in recap.counts if c.count] or list(recap.counts)
    positions = range(len(shown))
    ax.barh(positions, [c.count for c in shown], color=[COLORS[c.status] for c in shown])
    ax.set_yticks(positions, [c.label for c in shown])
    ax.invert_yaxis()
    for y, c in zip(positions, shown):
        ax.annotate(str(c.count), (c.count, y), xytext=(3, 0), textcoords="offset points", va="center")
    ax.set_xlim(0, max(recap.total, 1) * 1.15)
    ax.set_xlabel(t.GRAFIK_SUMBU_JUMLAH)
    ax.set_title(t.GRAFIK_STATUS, fontsize=11)


def _cumulative(ax: Axes, times: tuple[datetime, ...], start: datetime, end: datetime, tz: tzinfo | None,
                **style: Any) -> None:
    xs = [_local(start, tz)] + [_local(x, tz) for x in times] + [_local(end, tz)]
    ys = [0] + list(range(1, len(times) + 1)) + [len(times)]
    ax.step(xs, ys, where="post", **style)


def _timeline(ax: Axes, recap: Recap, t: Any) -> None:
    end = recap.closed_at or recap.at
    marks = [recap.opened_at, end, *recap.submissions, *recap.verifications]
    if recap.letter_deadline:
        marks.append(recap.letter_deadline)
    start, finish = min(marks), max(marks)
    finish = max(finish, start + timedelta(days=1))
    _cumulative(ax, recap.submissions, start, end, recap.tz, color="#1565c0", linewidth=2, label=t.GRAFIK_MELAPOR)
    _cumulative(ax, recap.verifications, start, end, recap.tz, color="#2e7d32", linewidth=2, label=t.GRAFIK_TERVERIFIKASI)
    ax.axhline(recap.total, color="#616161", linestyle=":", label=t.GRAFIK_JUMLAH)
    if recap.letter_deadline:
        ax.axvline(_local(recap.letter_deadline, recap.tz), color="#c62828", linestyle="--", label=t.GRAFIK_BATAS)
    if not recap.submissions:
        ax.text(0.5, 0.5, t.GRAFIK_KOSONG, transform=ax.transAxes, ha="center", color="#616161")
    margin = (finish - start) * 0.03
    ax.set_xlim(_local(start - margin, recap.tz), _local(finish + margin, recap.tz))
    ax.set_ylim(0, max(recap.total, 1) * 1.1)
    locator = AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(DateFormatter("%d/%m" if finish - start > timedelta(days=2) else "%d/%m %H.%M"))
    ax.set_ylabel(t.GRAFIK_SUMBU_JUMLAH)
    ax.set_title(t.GRAFIK_WAKTU, fontsize=11)
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(True, alpha=0.3)
