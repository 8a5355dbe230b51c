"""What the recap service hands to adapters and builders: plain frozen dataclasses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from bot.reports.audit import AuditTrail
from bot.reports.checklist import ChecklistRecap, ItemTally
from bot.roles import Peran
from bot.sop.definition import Pejabat, SopIdentity
from bot.workflow import CycleStatus, OpdStatus, Outcome, TaskStatus

#: Order of the totals (done first, then work in progress, then work not started).
COUNT_ORDER = (OpdStatus.TERVERIFIKASI, OpdStatus.MENUNGGU_VERIFIKASI, OpdStatus.DIKEMBALIKAN,
               OpdStatus.MENGISI, OpdStatus.BELUM_MENERIMA, OpdStatus.MENUNGGU_SURAT,
               OpdStatus.TIDAK_SELESAI)

#: Statuses that need someone to act now, whatever the deadline.
ATTENTION_STATUSES = frozenset({OpdStatus.BELUM_MENERIMA, OpdStatus.DIKEMBALIKAN, OpdStatus.TIDAK_SELESAI})

#: Statuses of a Perangkat Daerah that has not (or not validly) reported its filling yet.
NOT_SUBMITTED = frozenset({OpdStatus.MENUNGGU_SURAT, OpdStatus.BELUM_MENERIMA, OpdStatus.MENGISI,
                           OpdStatus.DIKEMBALIKAN})

#: The filters of /rekap.
FILTERS = ("belum", "terlambat")


@dataclass(frozen=True)
class OpdLine:
    """One Perangkat Daerah's progress through the distribution, submission and verification."""

    urutan: int  # the order of the regency's list of Perangkat Daerah
    kode: str
    nama: str
    status: OpdStatus
    received_at: datetime | None = None  # when it confirmed the distributed letter
    received_by: str | None = None  # the name of who confirmed it
    submitted_at: datetime | None = None  # its latest submission
    verified_at: datetime | None = None
    verified_by: str | None = None  # the name of who verified it, or last sent it back
    returns: int = 0  # how often it was sent back
    last_note: str | None = None  # the note it was last sent back with
    step: int | None = None  # the step of its open task
    responsible: Peran | None = None  # who must act on that task
    due_at: datetime | None = None  # that task's deadline
    late_by: timedelta | None = None  # the open task is past its deadline by this much
    remaining: timedelta | None = None  # time left before that deadline
    received_late_by: timedelta | None = None
    submitted_late_by: timedelta | None = None
    awaiting_submission: bool = True  # no report yet, or the last one was returned

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def responsible_label(self) -> str | None:
        return self.responsible.label if self.responsible else None

    @property
    def opd_turn(self) -> bool:
        """Whether the open task is the Perangkat Daerah's own (receipt or submission)."""
        return self.responsible in (Peran.OPD, Peran.KEPALA_OPD)

    @property
    def verdict(self) -> str | None:
        """The verification result as a code: sesuai, tidak_sesuai, menunggu, tidak_selesai."""
        return {OpdStatus.TERVERIFIKASI: "sesuai", OpdStatus.DIKEMBALIKAN: "tidak_sesuai",
                OpdStatus.MENUNGGU_VERIFIKASI: "menunggu",
                OpdStatus.TIDAK_SELESAI: "tidak_selesai"}.get(self.status)

    @property
    def not_submitted(self) -> bool:
        return self.status in NOT_SUBMITTED or (self.status is OpdStatus.TIDAK_SELESAI
                                                and self.awaiting_submission)

    @property
    def is_late(self) -> bool:
        return any((self.late_by, self.received_late_by, self.submitted_late_by))

    @property
    def needs_attention(self) -> bool:
        return self.late_by is not None or self.status in ATTENTION_STATUSES

    @property
    def days_left(self) -> float | None:
        """Days to the open task's deadline; negative when late (for spreadsheets)."""
        if self.remaining is not None:
            return round(self.remaining.total_seconds() / 86400, 1)
        if self.late_by is not None:
            return -round(self.late_by.total_seconds() / 86400, 1)
        return None


@dataclass(frozen=True)
class StatusCount:
    status: OpdStatus
    count: int

    @property
    def label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class Recap:
    cycle_id: int
    tahun: int
    status: CycleStatus
    at: datetime
    opened_at: datetime
    closed_at: datetime | None
    total_steps: int
    current_step: int | None  # the earliest step with open work
    current_kegiatan: str | None
    current_role: str | None
    next_due: datetime | None  # the nearest deadline still ahead
    letter_deadline: datetime | None  # batas waktu pengisian (step 9)
    window_closes_at: datetime | None  # batas waktu verifikasi (step 10)
    nomor_surat: str | None
    counts: tuple[StatusCount, ...]
    total: int
    lines: tuple[OpdLine, ...]  # attention first; filtered when `filter` is set
    failed_messages: int = 0
    current_steps: tuple[int, ...] = ()  # every step with open work (steps 8-10 run side by side)
    filter: str | None = None
    submissions: tuple[datetime, ...] = ()  # first report of each Perangkat Daerah, in order
    verifications: tuple[datetime, ...] = ()  # each "sesuai", in order
    #: Per OPD kode, its last three cycles (this one first); filled for the XLSX only.
    track: Mapping[str, tuple[PastCycle, ...]] = field(default_factory=dict)
    track_years: tuple[int, ...] = ()  # the tahun kinerja of those cycles, this one first
    #: The Kepala Bagian Organisasi under "Mengetahui," (empty fields when unknown).
    mengetahui: Pejabat | None = None
    checklist: ChecklistRecap | None = None  # the step-10 items per OPD (None: no checklist)
    tz: tzinfo | None = None  # the deployment's zone: the report shows its instants in it

    @property
    def closed(self) -> bool:
        return self.status == CycleStatus.CLOSED

    @property
    def nonzero_counts(self) -> tuple[StatusCount, ...]:
        return tuple(c for c in self.counts if c.count)

    @property
    def late(self) -> tuple[OpdLine, ...]:
        return tuple(line for line in self.lines if line.is_late)

    @property
    def attention(self) -> tuple[OpdLine, ...]:
        return tuple(line for line in self.lines if line.needs_attention)

    def count(self, status: OpdStatus) -> int:
        return next((c.count for c in self.counts if c.status is status), 0)


@dataclass(frozen=True)
class OpdHistory:
    """One Perangkat Daerah in a cycle: its line and its part of the trail (/rekap KODE, the board)."""

    trail: AuditTrail  # its events only
    line: OpdLine
    track: tuple[PastCycle, ...] = ()  # the last three cycles, this one first
    checklist: ChecklistRecap | None = None  # its step-10 items (None: the SOP has no checklist)


@dataclass(frozen=True)
class PastCycle:
    """How one Perangkat Daerah did in one cycle (the history across tahun kinerja)."""

    cycle_id: int
    tahun: int
    ketepatan: str  # tepat_waktu | terlambat | tidak_selesai | belum
    returns: int = 0
    late_by: timedelta | None = None


@dataclass(frozen=True)
class TaskRecord:
    """A task as the monitoring report reads it."""

    step: int
    role: Peran
    opd: str | None
    status: TaskStatus
    started_at: datetime
    due_at: datetime | None
    completed_at: datetime | None
    outcome: Outcome | None
    actor: str | None


@dataclass(frozen=True)
class StepAssessment:
    """One row of the form "Monitoring Pelaksanaan SOP": a step against its mutu baku."""

    no: int
    kegiatan: str
    pelaksana: str
    waktu_text: str
    has_deadline: bool
    per_opd: bool
    penilaian: str  # baik | tidak_baik | belum
    executions: int = 0
    done: int = 0
    open: int = 0
    cancelled: int = 0  # closed by the system when the verification window ended
    median: timedelta | None = None
    longest: timedelta | None = None
    late: int = 0
    open_late: int = 0
    returns: int = 0
    return_to: int | None = None
    escalations: int = 0
    actors: tuple[str, ...] = ()
    total_opd: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None
    #: The batas waktu pengisian of the letter, when it replaced the seed's waktu for this step.
    batas_surat: datetime | None = None
    #: Verification by checklist: the items found tidak sesuai, most often first.
    returns_per_item: tuple[ItemTally, ...] = ()

    @property
    def baik(self) -> bool:
        return self.penilaian == "baik"

    @property
    def started(self) -> bool:
        return self.penilaian != "belum"


@dataclass(frozen=True)
class Monitoring:
    cycle_id: int
    tahun: int
    status: CycleStatus
    at: datetime
    opened_at: datetime
    closed_at: datetime | None
    identity: SopIdentity
    sop_version: int
    steps: tuple[StepAssessment, ...]
    total_opd: int
    #: The Kepala Bagian Organisasi, who signs the form as penilai (empty fields when unknown).
    penilai: Pejabat | None = None
    #: The same pair of dates the recap shows: batas waktu pengisian (the letter's, else step 9's
    #: due) and batas waktu verifikasi (the window, never before the former).
    letter_deadline: datetime | None = None
    window_closes_at: datetime | None = None
    checklist: ChecklistRecap | None = None  # returns per step-10 item (None: no checklist)
    tz: tzinfo | None = None  # the deployment's zone

    @property
    def closed(self) -> bool:
        return self.status == CycleStatus.CLOSED

    @property
    def baik(self) -> int:
        return sum(1 for s in self.steps if s.penilaian == "baik")

    @property
    def tidak_baik(self) -> int:
        return sum(1 for s in self.steps if s.penilaian == "tidak_baik")

    @property
    def belum(self) -> int:
        return sum(1 for s in self.steps if s.penilaian == "belum")
