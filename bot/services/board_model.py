"""The status board's values: who looks, each Perangkat Daerah's row, the officials' open tasks,
and the snapshot they are cut from (bot/services/board.py builds them)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.reports.model import OpdLine, Recap
from bot.roles import Peran
from bot.sop.definition import StepKind

#: Every role may open the board; these see only their own Perangkat Daerah.
OPD_ROLES = (Peran.OPD, Peran.KEPALA_OPD)

#: Time spent receiving the letter, filling, and in verification.
Spans = tuple[timedelta | None, timedelta | None, timedelta | None]


@dataclass(frozen=True)
class Viewer:
    telegram_id: int
    nama: str
    peran: Peran
    opd_kode: str | None
    opd_nama: str | None

    @property
    def sees_all(self) -> bool:
        return self.peran not in OPD_ROLES


@dataclass(frozen=True)
class StepCell:
    """One Perangkat Daerah at one of steps 8-10.

    state: selesai | berjalan | terlambat | dikembalikan | tidak_selesai | belum"""

    step: int
    state: str
    at: datetime | None = None  # when it was done
    late_by: timedelta | None = None  # late now, or was late when done
    due_at: datetime | None = None  # the deadline of the open task at this step


@dataclass(frozen=True)
class BoardRow:
    line: OpdLine
    cells: tuple[StepCell, StepCell, StepCell]
    has_operator: bool
    spans: Spans  # receiving, filling, verifying
    finished: bool


@dataclass(frozen=True)
class OfficialTask:
    """An open task of an official (not of a Perangkat Daerah), as the board lists it."""

    step: int
    kind: StepKind
    kegiatan: str
    role: Peran
    people: tuple[str, ...]  # the names of the role's active members
    opd_nama: str | None  # when the task is about one Perangkat Daerah (e.g. Tim SAKIP's verification)
    started_at: datetime
    due_at: datetime | None
    late_by: timedelta | None
    opd_kode: str | None = None


@dataclass(frozen=True)
class Totals:
    """The counts above the board's table, of every Perangkat Daerah (not only the filtered)."""

    opd: int
    diterima: int
    diisi: int
    terverifikasi: int
    terlambat: int
    belum_ada_operator: int


@dataclass(frozen=True, eq=False)
class Snapshot:
    """Every line and every open official task of the current cycle, and who may look, at one instant."""

    writes: int  # WriteCounter.value when it was taken
    people: int  # WriteCounter.people when it was taken
    at: datetime
    recap: Recap | None
    rows: tuple[BoardRow, ...]
    tasks: tuple[OfficialTask, ...]
    viewers: dict[int, Viewer] = field(default_factory=dict)  # the active users, by Telegram ID
    serial: int = 0  # which snapshot of this process (the page's ETag names it)
    built: float = field(default_factory=time.monotonic)
    totals: Totals | None = None  # of every row


@dataclass(frozen=True)
class Board:
    viewer: Viewer
    recap: Recap | None
    rows: tuple[BoardRow, ...]
    totals: Totals
    tasks: tuple[OfficialTask, ...]
    steps: tuple[int, int, int]
    snapshot: Snapshot | None = None  # shared by every viewer who sees everything
