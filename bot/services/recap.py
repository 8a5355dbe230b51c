"""The recap of a cycle: where it stands, every Perangkat Daerah's progress and history, the
audit trail (read by bot.services.trail) and the SOP monitoring assessment. Read-only, one unit
of work per question. The `load_*` functions take an open session, so that a use-case already
inside a unit of work (the archive of step 12) can put the same figures in its documents."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from typing import TypeVar

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.reports import assessment, progress
from bot.reports.audit import AuditTrail
from bot.reports.model import Monitoring, OpdHistory, OpdLine, Recap, TaskRecord
from bot.roles import Peran
from bot.services import checklist_store, history
from bot.services.errors import NotFound, NotRegistered
from bot.services.sops import SopCatalog
from bot.services.trail import load_trail
from bot.sop.definition import Pejabat, SopDefinition, StepKind
from bot.storage import Database
from bot.storage import models as m
from bot.workflow import OpdStatus, TaskStatus
from bot.storage.types import OutboxStatus

T = TypeVar("T")

#: Who may see which report (in the order a refusal names them).
VIEWERS: dict[str, tuple[Peran, ...]] = {
    "rekap": (Peran.TIM_SAKIP, Peran.KABAG, Peran.ASISTEN, Peran.SEKDA, Peran.ADMIN),
    "monitoring": (Peran.TIM_SAKIP, Peran.KABAG, Peran.ADMIN),
    "riwayat": (Peran.TIM_SAKIP, Peran.ADMIN),
}


# The statements of a /rekap, built once: building them on every call (and their cache keys)
# was a fifth of a recap's CPU.
_PERAN = select(m.User.peran).where(m.User.telegram_id == bindparam("tg"), m.User.aktif)
_CURRENT = select(m.Cycle.id).order_by(m.Cycle.status.desc(), m.Cycle.tahun.desc(), m.Cycle.id.desc()).limit(1)
_CURRENT_OF_SOPS = _CURRENT.where(m.Cycle.sop_name.in_(bindparam("sops", expanding=True)))
_NAMES = select(m.User.id, m.User.nama).where(m.User.id.in_(bindparam("ids", expanding=True)))
_TASKS = (select(m.Task.step, m.Task.role, m.Task.opd_kode, m.Task.status, m.Task.started_at, m.Task.due_at,
                 m.Task.completed_at, m.Task.outcome, m.Task.claimed_by)
          .where(m.Task.cycle_id == bindparam("cycle")).order_by(m.Task.seq))
_FAILED = select(func.count()).select_from(m.Outbox).where(m.Outbox.cycle_id == bindparam("cycle"),
                                                          m.Outbox.status == OutboxStatus.FAILED)
_KABAG = select(m.User).where(m.User.peran == Peran.KABAG, m.User.aktif).order_by(m.User.id).limit(1)


class RecapService:
    def __init__(self, db: Database, clock: Clock, sop: SopDefinition, catalog: SopCatalog | None = None,
                 tz: tzinfo | None = None) -> None:
        self.db, self.tz = db, tz  # tz: the deployment's zone, which the reports show instants in
        self.clock = clock
        self.sop = sop
        self.catalog = catalog
        #: The SOPs whose cycles have a recap per Perangkat Daerah (those with a submission step).
        sops = catalog.sops if catalog is not None else (sop,)
        self.recap_sops = tuple(d.name for d in sops if d.has_kind(StepKind.SUBMISSION))

    def _sop(self, s: Session, cycle_id: int, per_opd: bool = True) -> SopDefinition:
        """The SOP the cycle runs on; with `per_opd`, refused when it has no recap per
        Perangkat Daerah (an SOP without a submission step)."""
        cycle = _cycle(s, cycle_id)
        sop = self.catalog.sop(s, cycle) if self.catalog is not None else self.sop
        if per_opd and not sop.has_kind(StepKind.SUBMISSION):
            raise NotFound("cycle.no_recap", cycle_id=cycle_id, title=sop.title, tahun=cycle.tahun)
        return sop

    def may_view(self, telegram_id: int, report: str) -> bool:
        """Whether this registered user's role may see `report` (rekap, monitoring, riwayat)."""
        with self.db.transaction(write=False) as s:
            peran = s.scalar(_PERAN, {"tg": telegram_id})
        if peran is None:
            raise NotRegistered()
        return Peran(peran) in VIEWERS[report]

    def current_cycle_id(self) -> int | None:
        """The open cycle of the latest year, else the latest closed one."""
        with self.db.transaction(write=False) as s:
            return load_current_cycle_id(s, self.recap_sops)

    def current(self, filter: str | None = None) -> Recap | None:
        cycle_id = self.current_cycle_id()
        return self.build(cycle_id, filter) if cycle_id is not None else None

    def build(self, cycle_id: int, filter: str | None = None, with_track: bool = False) -> Recap:
        """The recap; `with_track` adds each OPD's last three cycles (for the XLSX)."""
        def work(s: Session) -> Recap:
            recap = load_recap(s, self._sop(s, cycle_id), cycle_id, self.clock.now(), filter, tz=self.tz)
            if not with_track:
                return recap
            years, track = history.load_track(s, cycle_id, self._lines_of())
            return replace(recap, track=track, track_years=years)
        return self._read(work)

    def opd_history(self, cycle_id: int, kode: str) -> OpdHistory | None:
        """One Perangkat Daerah's line, events and last three cycles; `kode` may also be its
        singkatan (any case)."""
        def work(s: Session) -> OpdHistory | None:
            found = load_opd_history(s, self._sop(s, cycle_id), cycle_id, kode, self.clock.now(), tz=self.tz)
            if found is None:
                return None
            _, track = history.load_track(s, cycle_id, self._lines_of(), {found.line.kode})
            return replace(found, track=track.get(found.line.kode, ()))
        return self._read(work)

    def cycle_of_year(self, tahun: int) -> int | None:
        """The recap's cycle of that tahun kinerja (`/rekap 2025`), None when there is none."""
        with self.db.transaction(write=False) as s:
            return history.load_cycle_of_year(s, self.recap_sops, tahun)

    def years(self) -> list[int]:
        with self.db.transaction(write=False) as s:
            return history.load_years(s, self.recap_sops)

    def _lines_of(self) -> Callable[[Session, m.Cycle], list[OpdLine]]:
        now = self.clock.now()
        return lambda s, cycle: _lines(s, self._sop(s, cycle.id), cycle.id, _tasks(s, cycle.id), now)

    def audit_trail(self, cycle_id: int) -> AuditTrail:
        return self._read(lambda s: load_trail(s, cycle_id, self.clock.now(), tz=self.tz))

    def monitoring(self, cycle_id: int) -> Monitoring:
        return self._read(lambda s: load_monitoring(s, self._sop(s, cycle_id, False), cycle_id, self.clock.now(), tz=self.tz))

    def _read(self, work: Callable[[Session], T]) -> T:
        with self.db.transaction(write=False) as s:
            return work(s)


# -- loaders (inside a caller's unit of work) ------------------------------------------------

def load_current_cycle_id(s: Session, sop_names: Sequence[str] | None = None) -> int | None:
    """The open cycle of the latest year, else the latest closed one (of `sop_names`, when given)."""
    if sop_names is None:
        return s.scalar(_CURRENT)
    return s.scalar(_CURRENT_OF_SOPS, {"sops": list(sop_names)})


def _cycle(s: Session, cycle_id: int) -> m.Cycle:
    cycle = s.get(m.Cycle, cycle_id)
    if cycle is None:
        raise NotFound("cycle.cycle_unknown", cycle_id=cycle_id)
    return cycle


def _names(s: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {i: nama for i, nama in s.execute(_NAMES, {"ids": list(wanted)})}


def _tasks(s: Session, cycle_id: int) -> list[TaskRecord]:
    rows = s.execute(_TASKS, {"cycle": cycle_id}).all()
    names = _names(s, {r.claimed_by for r in rows})
    return [TaskRecord(r.step, r.role, r.opd_kode, r.status, r.started_at, r.due_at, r.completed_at,
                       r.outcome, names.get(r.claimed_by) if r.claimed_by else None) for r in rows]


_LINES = (select(m.CycleOpd.urutan, m.CycleOpd.opd_kode, m.PerangkatDaerah.nama, m.CycleOpd.status,
                 m.CycleOpd.received_at, m.CycleOpd.received_by, m.CycleOpd.submitted_at, m.CycleOpd.verified_at,
                 m.CycleOpd.verified_by, m.CycleOpd.returns, m.CycleOpd.last_note)
          .join(m.PerangkatDaerah, m.PerangkatDaerah.kode == m.CycleOpd.opd_kode)
          .where(m.CycleOpd.cycle_id == bindparam("cycle")).order_by(m.CycleOpd.urutan))


def _lines(s: Session, sop: SopDefinition, cycle_id: int, tasks: list[TaskRecord], now: datetime) -> list[OpdLine]:
    rows = s.execute(_LINES, {"cycle": cycle_id}).all()  # columns, not rows of the ORM: 40 per /rekap
    names = _names(s, {p.received_by for p in rows} | {p.verified_by for p in rows})
    by_opd: dict[str, list[TaskRecord]] = {}
    for task in tasks:
        if task.opd is not None:
            by_opd.setdefault(task.opd, []).append(task)
    receipt = sop.step_of_kind(StepKind.DISTRIBUTION).no
    submission = sop.step_of_kind(StepKind.SUBMISSION).no
    lines = [OpdLine(
        urutan=p.urutan, kode=p.opd_kode, nama=p.nama, status=OpdStatus(p.status), received_at=p.received_at,
        received_by=names.get(p.received_by) if p.received_by else None,
        submitted_at=p.submitted_at, verified_at=p.verified_at,
        verified_by=names.get(p.verified_by) if p.verified_by else None,
        returns=p.returns, last_note=p.last_note,
        **progress.standing(by_opd.get(p.opd_kode, []), receipt, submission, now)) for p in rows]
    return progress.order(lines)


def load_recap(s: Session, sop: SopDefinition, cycle_id: int, now: datetime, filter: str | None = None, *,
               tz: tzinfo | None = None) -> Recap:
    cycle = _cycle(s, cycle_id)
    tasks = _tasks(s, cycle_id)
    lines = _lines(s, sop, cycle_id, tasks, now)
    failed = s.scalar(_FAILED, {"cycle": cycle_id}) or 0
    open_tasks = [t for t in tasks if t.status == TaskStatus.OPEN]
    steps = tuple(sorted({t.step for t in open_tasks}))
    step = steps[0] if steps else None
    role = next((t.role for t in open_tasks if t.step == step), None)
    dues = [t.due_at for t in open_tasks if t.due_at is not None and t.due_at >= now]
    submission = sop.step_of_kind(StepKind.SUBMISSION).no
    return Recap(
        cycle_id=cycle.id, tahun=cycle.tahun, status=cycle.status, at=now, tz=tz, opened_at=cycle.opened_at,
        closed_at=cycle.closed_at, total_steps=sop.total_steps, current_step=step, current_steps=steps,
        current_kegiatan=sop.step(step).kegiatan if step else None,
        current_role=Peran(role).label if role else None, next_due=min(dues) if dues else None,
        letter_deadline=_letter_deadline(sop, cycle, tasks),
        window_closes_at=cycle.window_closes_at, nomor_surat=(cycle.letter or {}).get("nomor") or None,
        counts=progress.counts(lines), total=len(lines),
        lines=tuple(progress.apply_filter(lines, filter)), failed_messages=failed, filter=filter,
        submissions=progress.first_submissions(tasks, submission),
        verifications=tuple(sorted(line.verified_at for line in lines
                                   if line.verified_at and line.status is OpdStatus.TERVERIFIKASI)),
        mengetahui=load_kabag(s, sop), checklist=checklist_store.load_summary(s, sop, cycle_id),
    )


def _letter_deadline(sop: SopDefinition, cycle: m.Cycle, tasks: list[TaskRecord]) -> datetime | None:
    """Batas waktu pengisian: the letter's, else the submission step's due (one rule for the recap
    and the monitoring form)."""
    if cycle.letter_deadline is not None or not sop.has_kind(StepKind.SUBMISSION):
        return cycle.letter_deadline
    return _step_due(tasks, sop.step_of_kind(StepKind.SUBMISSION).no)


def _step_due(tasks: list[TaskRecord], step: int) -> datetime | None:
    return next((t.due_at for t in tasks if t.step == step and t.due_at is not None), None)


def load_opd_history(s: Session, sop: SopDefinition, cycle_id: int, kode: str, now: datetime, *,
                     tz: tzinfo | None = None) -> OpdHistory | None:
    _cycle(s, cycle_id)  # an unknown cycle is refused, not "no such OPD"
    wanted = kode.strip().upper()
    found = s.scalar(select(m.CycleOpd.opd_kode)
                     .join(m.PerangkatDaerah, m.PerangkatDaerah.kode == m.CycleOpd.opd_kode)
                     .where(m.CycleOpd.cycle_id == cycle_id,
                            (func.upper(m.CycleOpd.opd_kode) == wanted)
                            | (func.upper(m.PerangkatDaerah.singkatan) == wanted)).limit(1))
    if found is None:
        return None
    tasks = _tasks(s, cycle_id)
    line = next(line for line in _lines(s, sop, cycle_id, tasks, now) if line.kode == found)
    trail = load_trail(s, cycle_id, now, tz=tz).of_opd(found)
    return OpdHistory(trail, line, checklist=checklist_store.load_summary(s, sop, cycle_id))


def load_monitoring(s: Session, sop: SopDefinition, cycle_id: int, now: datetime, *, tz: tzinfo | None = None) -> Monitoring:
    cycle = _cycle(s, cycle_id)
    tasks = _tasks(s, cycle_id)
    total_opd = s.scalar(select(func.count()).select_from(m.CycleOpd).where(m.CycleOpd.cycle_id == cycle_id)) or 0
    escalated = Counter(
        (after or {}).get("langkah") for after in s.scalars(select(m.AuditLog.after).where(
            m.AuditLog.cycle_id == cycle_id, m.AuditLog.action == "escalation")))
    steps, summary = checklist_store.with_item_returns(s, sop, cycle_id, assessment.assess(
        sop, tasks, {k: v for k, v in escalated.items() if isinstance(k, int)}, total_opd, now, cycle.letter_deadline))
    return Monitoring(cycle_id=cycle.id, tahun=cycle.tahun, status=cycle.status, at=now, tz=tz,
                      opened_at=cycle.opened_at, closed_at=cycle.closed_at, identity=sop.identity,
                      sop_version=cycle.sop_version, total_opd=total_opd, checklist=summary, steps=steps,
                      penilai=load_kabag(s, sop), letter_deadline=_letter_deadline(sop, cycle, tasks),
                      window_closes_at=cycle.window_closes_at)


def load_kabag(s: Session, sop: SopDefinition) -> Pejabat:
    """The Kepala Bagian Organisasi who signs the recaps and the monitoring form: the registered
    Kabag (the first one, if several are registered); empty name or NIP when unknown, which the
    documents print as a line to fill by hand."""
    user = s.scalars(_KABAG).first()
    jabatan = sop.roles.get(Peran.KABAG, Peran.KABAG.label)
    return Pejabat(jabatan=jabatan, nama=user.nama if user else "", pangkat="",
                   nip=(user.nip or "") if user else "")
