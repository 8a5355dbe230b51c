"""History across tahun kinerja (issue 13 item 9): which cycle `/rekap 2025` reads, and how each
Perangkat Daerah did in its last three cycles (on time or late, how often returned).

Loaders take an open session, like those of bot/services/recap.py, whose per-OPD lines they reuse
(so that "terlambat" means the same in the recap and in the history)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.reports.model import OpdLine, PastCycle
from bot.storage import get_row
from bot.storage import models as m
from bot.workflow import CycleStatus, OpdStatus

#: How many cycles the history shows, the asked one included.
DEPTH = 3


def load_cycle_of_year(s: Session, sop_names: Sequence[str], tahun: int) -> int | None:
    """The cycle of that tahun kinerja: the open one, else the latest closed."""
    return s.scalar(select(m.Cycle.id).where(m.Cycle.sop_name.in_(list(sop_names)), m.Cycle.tahun == tahun)
                    .order_by(m.Cycle.status.desc(), m.Cycle.id.desc()).limit(1))


def load_years(s: Session, sop_names: Sequence[str]) -> list[int]:
    """The tahun kinerja that have a cycle, newest first (for the answer to a year with none)."""
    return sorted(set(s.scalars(select(m.Cycle.tahun).where(m.Cycle.sop_name.in_(list(sop_names))))),
                  reverse=True)


def load_track(s: Session, cycle_id: int, lines_of: Callable[[Session, m.Cycle], list[OpdLine]],
               kodes: Iterable[str] | None = None) -> tuple[tuple[int, ...], dict[str, tuple[PastCycle, ...]]]:
    """The last DEPTH cycles of the same SOP up to this one (by tahun kinerja, then start), and
    per OPD kode (those of `kodes`, or all) how it did in each; this cycle first. An OPD not yet
    in an older cycle simply has fewer entries."""
    cycle = get_row(s, m.Cycle, cycle_id)
    earlier = s.scalars(select(m.Cycle).where(
        m.Cycle.sop_name == cycle.sop_name, m.Cycle.id != cycle.id,
        (m.Cycle.tahun < cycle.tahun) | ((m.Cycle.tahun == cycle.tahun) & (m.Cycle.id < cycle.id)))
        .order_by(m.Cycle.tahun.desc(), m.Cycle.id.desc()).limit(DEPTH - 1)).all()
    cycles = [cycle, *earlier]
    wanted = set(kodes) if kodes is not None else None
    track: dict[str, list[PastCycle]] = {}
    for past in cycles:
        for line in lines_of(s, past):
            if wanted is None or line.kode in wanted:
                track.setdefault(line.kode, []).append(past_cycle(past, line))
    return tuple(c.tahun for c in cycles), {k: tuple(v) for k, v in track.items()}


def past_cycle(cycle: m.Cycle, line: OpdLine) -> PastCycle:
    if line.submitted_at is None:
        done = line.status is OpdStatus.TIDAK_SELESAI or cycle.status == CycleStatus.CLOSED
        return PastCycle(cycle.id, cycle.tahun, "tidak_selesai" if done else "belum", line.returns)
    late = line.submitted_late_by
    return PastCycle(cycle.id, cycle.tahun, "terlambat" if late else "tepat_waktu", line.returns, late or None)

