"""The status board (the Telegram Mini App): who may see it and what, built from the recap.

Read-only. The figures are the recap's own (`load_recap`, `load_opd_history`): the board adds
only what a screen needs beside them — each Perangkat Daerah's state at steps 8-10, the time it
took, whether it has an operator, and the open tasks of the officials.

Twenty open boards refreshing every second would cost as much as the bot's own work, on the same
interpreter. So what does not depend on who asks (every line, every open task, and the active
users) is one snapshot; who asks, and what of it they may see, is decided on every request from
it, without a query. It is rebuilt when it is `SNAPSHOT_SECONDS` old (the sweep of a separate
worker process is seen that late at most), at once after this process committed a write to the
users or Perangkat Daerah, and after any other write the board shows once it is `min_gap` seconds
old (so a busy bot rebuilds it at most once per `min_gap`, not once per press; bot/services/board_changes.py).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.reports.model import OpdHistory, OpdLine, Recap
from bot.roles import Peran
from bot.services.board_changes import WriteCounter
from bot.services.board_model import (OPD_ROLES, Board, BoardRow, OfficialTask, Snapshot, Spans, StepCell,  # noqa: F401
                                      Totals, Viewer)
from bot.services.reach import operated_opds
from bot.services.recap import load_current_cycle_id, load_opd_history, load_recap
from bot.sop.definition import SopDefinition, StepKind
from bot.storage import Database
from bot.storage import models as m
from bot.workflow import OpdStatus, TaskStatus

#: Builds a snapshot: (writes, people, now, serial) -> Snapshot (BoardService.build, or a process's).
Builder = Callable[[int, int, datetime, int], Snapshot]
#: Roles whose registered users get the board in their chat menu.
BOARD_ROLES = tuple(Peran)

#: How long one snapshot serves the board when nothing was written meanwhile.
SNAPSHOT_SECONDS = 5.0
#: The least age (real seconds) of a snapshot before a write other than to the people tables
#: rebuilds it: under load the bot commits several writes a second, and each rebuild (~10 ms of
#: the interpreter at 40 OPDs) is a chance to delay an update (docs/BENCHMARKS.md, 2026-12-02).
MIN_GAP_SECONDS = 5.0
#: The viewer of the shared part of the board (replaced by the real one in each answer).
NOBODY = Viewer(0, "", Peran.TIM_SAKIP, None, None)


class BoardService:
    def __init__(self, db: Database, clock: Clock, sop: SopDefinition, *, min_gap: float = MIN_GAP_SECONDS) -> None:
        self.db, self.clock, self.sop, self.min_gap = db, clock, sop, min_gap
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._writes = WriteCounter.of(db.engine)
        self._serials = itertools.count(1)
        self.steps = (sop.step_of_kind(StepKind.DISTRIBUTION).no, sop.step_of_kind(StepKind.SUBMISSION).no,
                      sop.step_of_kind(StepKind.VERIFICATION).no)

    def menu_users(self) -> list[int]:
        """Telegram IDs of the active users whose role may open the board."""
        with self.db.transaction(write=False) as s:
            return list(s.scalars(select(m.User.telegram_id).where(
                m.User.aktif, m.User.peran.in_([p.value for p in BOARD_ROLES])).order_by(m.User.id)))

    def board_for(self, telegram_id: int) -> Board | None:
        """The board as this user may see it (None when not an active registered user)."""
        return self.board_of(self.snapshot(), telegram_id)

    def board_of(self, snap: Snapshot, telegram_id: int) -> Board | None:
        """`snap` cut to what this user may see (no query: the snapshot knows the active users)."""
        viewer = snap.viewers.get(telegram_id)
        if viewer is None:
            return None
        if viewer.sees_all:
            return Board(viewer, snap.recap, snap.rows, snap.totals or _totals(snap.rows), snap.tasks, self.steps,
                         snapshot=snap)
        rows = tuple(r for r in snap.rows if r.line.kode == viewer.opd_kode)
        tasks = tuple(t for t in snap.tasks if t.opd_kode is not None and t.opd_kode == viewer.opd_kode)
        return Board(viewer, snap.recap, rows, _totals(rows), tasks, self.steps)

    def shared_board(self, snap: Snapshot) -> Board:
        """What everyone who sees all is shown, without who is looking (filled in per request)."""
        return Board(NOBODY, snap.recap, snap.rows, snap.totals or _totals(snap.rows), snap.tasks, self.steps,
                     snapshot=snap)

    def fresh(self) -> Snapshot | None:
        """The snapshot if it may serve now, else None; no query and no lock, so the event loop
        may ask."""
        snap = self._snapshot
        return snap if snap is not None and self._is_fresh(snap) else None

    def snapshot(self, build: Builder | None = None) -> Snapshot:
        """The current snapshot, rebuilt (by one thread; the others wait for it) when stale, by
        `build` when given (bot/webapp/rebuild.py: in a process of its own), else here."""
        with self._lock:
            snap = self._snapshot
            if snap is None or not self._is_fresh(snap):
                writes, people = self._writes.value, self._writes.people  # before reading
                snap = self._snapshot = (build or self.build)(writes, people, self.clock.now(), next(self._serials))
            return snap

    def _is_fresh(self, snap: Snapshot) -> bool:
        if snap.people != self._writes.people or abs(self.clock.now() - snap.at) >= timedelta(seconds=SNAPSHOT_SECONDS):
            return False
        return snap.writes == self._writes.value or time.monotonic() - snap.built < self.min_gap

    def build(self, writes: int, people: int, now: datetime, serial: int) -> Snapshot:
        """One unit of work, so the figures are of one instant."""
        with self.db.transaction(write=False) as s:
            viewers = _viewers(s)
            cycle_id = load_current_cycle_id(s, (self.sop.name,))
            if cycle_id is None:
                return Snapshot(writes, people, now, None, (), (), viewers, serial, totals=_totals(()))
            recap = load_recap(s, self.sop, cycle_id, now)
            operators = _with_operator(s, [line.kode for line in recap.lines])
            started = _distributed_at(s, cycle_id, self.steps[0])
            tasks = self._official_tasks(s, cycle_id, now)
        end = recap.closed_at or now
        rows = tuple(self._row(line, line.kode in operators, started.get(line.kode), recap, end)
                     for line in recap.lines)
        return Snapshot(writes, people, now, recap, rows, tasks, viewers, serial, totals=_totals(rows))

    def history_for(self, telegram_id: int, kode: str) -> OpdHistory | None | Literal[False]:
        """One Perangkat Daerah's line and events; False when not an active registered user,
        None when there is no such Perangkat Daerah this user may see."""
        with self.db.transaction(write=False) as s:
            viewer = _viewer(s, telegram_id)
            if viewer is None:
                return False
            if not viewer.sees_all and kode.strip().upper() != (viewer.opd_kode or "").upper():
                return None
            cycle_id = load_current_cycle_id(s, (self.sop.name,))
            found = load_opd_history(s, self.sop, cycle_id, kode, self.clock.now()) if cycle_id else None
        if found is not None and not viewer.sees_all and found.line.kode != viewer.opd_kode:
            return None
        return found

    # -- pieces ---------------------------------------------------------------------------------

    def _row(self, line: OpdLine, has_operator: bool, started: datetime | None, recap: Recap,
             end: datetime) -> BoardRow:
        receipt, submission, verification = self.steps
        open_late = line.late_by if line.late_by is not None else None
        due = line.due_at

        def running(step: int) -> StepCell:
            late = open_late if line.step == step else None
            return StepCell(step, "terlambat" if late else "berjalan", late_by=late,
                            due_at=due if line.step == step else None)

        status = line.status
        if line.received_at is not None:
            c8 = StepCell(receipt, "selesai", line.received_at, line.received_late_by)
        elif status is OpdStatus.BELUM_MENERIMA:
            c8 = running(receipt)
        elif status is OpdStatus.TIDAK_SELESAI:
            c8 = StepCell(receipt, "tidak_selesai")
        else:
            c8 = StepCell(receipt, "belum")
        reported = status in (OpdStatus.MENUNGGU_VERIFIKASI, OpdStatus.TERVERIFIKASI) or (
            status is OpdStatus.TIDAK_SELESAI and not line.awaiting_submission)
        if reported:
            c9 = StepCell(submission, "selesai", line.submitted_at, line.submitted_late_by)
        elif status is OpdStatus.MENGISI:
            c9 = running(submission)
        elif status is OpdStatus.DIKEMBALIKAN:
            late = open_late if line.step == submission else None
            c9 = StepCell(submission, "dikembalikan", late_by=late, due_at=due)
        elif status is OpdStatus.TIDAK_SELESAI and line.received_at is not None:
            c9 = StepCell(submission, "tidak_selesai")
        else:
            c9 = StepCell(submission, "belum")
        if status is OpdStatus.TERVERIFIKASI:
            c10 = StepCell(verification, "selesai", line.verified_at)
        elif status is OpdStatus.MENUNGGU_VERIFIKASI:
            c10 = running(verification)
        elif status is OpdStatus.DIKEMBALIKAN:
            c10 = StepCell(verification, "dikembalikan")
        elif status is OpdStatus.TIDAK_SELESAI:
            c10 = StepCell(verification, "tidak_selesai")
        else:
            c10 = StepCell(verification, "belum")
        if status is OpdStatus.TIDAK_SELESAI and recap.window_closes_at is not None:
            end = min(end, recap.window_closes_at)
        return BoardRow(line, (c8, c9, c10), has_operator, _spans(line, started, end), status.finished)

    def _official_tasks(self, s: Session, cycle_id: int, now: datetime) -> tuple[OfficialTask, ...]:
        opd_roles = [p.value for p in OPD_ROLES]
        query = (select(m.Task.step, m.Task.role, m.Task.opd_kode, m.Task.started_at, m.Task.due_at,
                        m.PerangkatDaerah.nama)
                 .outerjoin(m.PerangkatDaerah, m.PerangkatDaerah.kode == m.Task.opd_kode)
                 .where(m.Task.cycle_id == cycle_id, m.Task.status == TaskStatus.OPEN, m.Task.role.not_in(opd_roles))
                 .order_by(m.Task.started_at, m.Task.seq))
        rows = s.execute(query).all()
        people: dict[str, list[str]] = {}
        for peran, nama in s.execute(select(m.User.peran, m.User.nama).where(
                m.User.aktif, m.User.peran.in_({r.role for r in rows})).order_by(m.User.id)):
            people.setdefault(peran, []).append(nama)
        return tuple(OfficialTask(
            step=r.step, kind=self.sop.step(r.step).kind, kegiatan=self.sop.step(r.step).kegiatan, role=r.role,
            people=tuple(people.get(r.role, ())), opd_nama=r.nama, started_at=r.started_at, due_at=r.due_at,
            late_by=now - r.due_at if r.due_at is not None and r.due_at < now else None, opd_kode=r.opd_kode)
            for r in rows)


def _viewers(s: Session) -> dict[int, Viewer]:
    """Every active user as the board names them (one query)."""
    rows = s.execute(select(m.User.telegram_id, m.User.nama, m.User.peran, m.User.opd_kode, m.PerangkatDaerah.nama)
                     .outerjoin(m.PerangkatDaerah, m.PerangkatDaerah.kode == m.User.opd_kode).where(m.User.aktif))
    return {r[0]: Viewer(r[0], r[1], Peran(r[2]), r[3], r[4]) for r in rows}


def _viewer(s: Session, telegram_id: int) -> Viewer | None:
    user = s.scalar(select(m.User).where(m.User.telegram_id == telegram_id, m.User.aktif))
    if user is None:
        return None
    return Viewer(user.telegram_id, user.nama, user.peran, user.opd_kode, user.opd.nama if user.opd else None)


def _with_operator(s: Session, kodes: list[str]) -> set[str]:
    """Which of these Perangkat Daerah have an active operator (one query over the few users,
    not a list of every code)."""
    if not kodes:
        return set()
    return operated_opds(s).intersection(kodes)


def _distributed_at(s: Session, cycle_id: int, receipt_step: int) -> dict[str, datetime]:
    """When each Perangkat Daerah was sent the letter (its receipt task opened)."""
    rows = s.execute(select(m.Task.opd_kode, func.min(m.Task.started_at)).where(
        m.Task.cycle_id == cycle_id, m.Task.step == receipt_step, m.Task.opd_kode.is_not(None))
        .group_by(m.Task.opd_kode)).all()
    return {kode: at for kode, at in rows if kode is not None}


def _spans(line: OpdLine, started: datetime | None, end: datetime) -> Spans:
    """Time spent receiving the letter, filling, and waiting for verification (running ones up to
    `end`); None for a stage not reached."""
    if started is None:
        return (None, None, None)
    received, submitted = line.received_at, line.submitted_at
    receiving = (received or end) - started
    filling = ((submitted if submitted and line.status is not OpdStatus.DIKEMBALIKAN else end) - received
               if received else None)
    verifying = None
    if submitted and line.status in (OpdStatus.MENUNGGU_VERIFIKASI, OpdStatus.TERVERIFIKASI, OpdStatus.TIDAK_SELESAI):
        verifying = (line.verified_at or end) - submitted
    def clip(x: timedelta | None) -> timedelta | None:
        return max(x, timedelta(0)) if x is not None else None

    return (clip(receiving), clip(filling), clip(verifying))


def _totals(rows: tuple[BoardRow, ...]) -> Totals:
    lines = [r.line for r in rows]
    return Totals(
        opd=len(lines),
        diterima=sum(1 for line in lines if line.received_at is not None),
        diisi=sum(1 for line in lines if not line.not_submitted),
        terverifikasi=sum(1 for line in lines if line.status is OpdStatus.TERVERIFIKASI),
        terlambat=sum(1 for line in lines if line.is_late),
        belum_ada_operator=sum(1 for r in rows if not r.has_operator),
    )
