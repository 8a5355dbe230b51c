"""The recap of a cycle: where it stands, and every Perangkat Daerah's progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from bot.clock import Clock
from bot.sop.definition import SopDefinition
from bot.storage import Database
from bot.storage import models as m
from bot.workflow import OpdStatus

#: Who needs attention first.
ATTENTION = [OpdStatus.BELUM_MENERIMA, OpdStatus.DIKEMBALIKAN, OpdStatus.MENGISI,
             OpdStatus.TIDAK_SELESAI, OpdStatus.MENUNGGU_VERIFIKASI, OpdStatus.MENUNGGU_SURAT,
             OpdStatus.TERVERIFIKASI]


@dataclass(frozen=True)
class OpdLine:
    kode: str
    nama: str
    status: OpdStatus
    received_at: datetime | None
    submitted_at: datetime | None
    returns: int
    due_at: datetime | None

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class Recap:
    cycle_id: int
    tahun: int
    status: str
    at: datetime
    current_step: int | None
    current_kegiatan: str | None
    next_due: datetime | None
    counts: list[tuple[str, int]]
    total: int
    lines: list[OpdLine]
    failed_messages: int = 0


class RecapService:
    def __init__(self, db: Database, clock: Clock, sop: SopDefinition) -> None:
        self.db = db
        self.clock = clock
        self.sop = sop

    def current(self) -> Recap | None:
        with self.db.transaction(write=False) as s:
            cycle = s.scalars(select(m.Cycle).order_by(m.Cycle.status.desc(), m.Cycle.tahun.desc(),
                                                       m.Cycle.id.desc()).limit(1)).first()
            return self.build(cycle.id) if cycle else None

    def build(self, cycle_id: int) -> Recap:
        with self.db.transaction(write=False) as s:
            cycle = s.get(m.Cycle, cycle_id)
            open_tasks = s.scalars(select(m.Task).where(m.Task.cycle_id == cycle_id,
                                                        m.Task.status == "open")).all()
            failed = s.scalar(select(func.count()).select_from(m.Outbox).where(
                m.Outbox.cycle_id == cycle_id, m.Outbox.status == "failed")) or 0
            rows = s.execute(
                select(m.CycleOpd, m.PerangkatDaerah.nama)
                .join(m.PerangkatDaerah, m.PerangkatDaerah.kode == m.CycleOpd.opd_kode)
                .where(m.CycleOpd.cycle_id == cycle_id).order_by(m.CycleOpd.urutan)).all()
        due_by_opd = {t.opd_kode: t.due_at for t in open_tasks if t.opd_kode}
        lines = [OpdLine(p.opd_kode, nama, OpdStatus(p.status), p.received_at, p.submitted_at,
                         p.returns, due_by_opd.get(p.opd_kode)) for p, nama in rows]
        lines.sort(key=lambda line: ATTENTION.index(line.status))
        step = min((t.step for t in open_tasks), default=None)
        dues = [t.due_at for t in open_tasks if t.due_at is not None]
        counts = [(status.label, sum(1 for line in lines if line.status is status))
                  for status in reversed(ATTENTION)]
        return Recap(
            cycle_id=cycle.id, tahun=cycle.tahun, status=cycle.status, at=self.clock.now(),
            current_step=step, current_kegiatan=self.sop.step(step).kegiatan if step else None,
            next_due=min(dues) if dues else None, counts=[c for c in counts if c[1]],
            total=len(lines), lines=lines, failed_messages=failed,
        )
