"""Frozen definitions of an SOP: what the steps are. They hold no runtime state."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from bot.roles import Peran
from bot.working_calendar import Waktu


SHORT_STEP = timedelta(days=1)


@dataclass(frozen=True)
class AlertPolicy:
    reminders_before: tuple[timedelta, ...]
    escalate_every: timedelta
    max_escalations: int
    digest: bool  # escalations wait for the superiors' morning digest

    @classmethod
    def for_duration(cls, nominal: timedelta) -> AlertPolicy:
        """Defaults a Bagian Organisasi would choose: short steps are chased at once, long ones
        get H-7, H-3, H-1 reminders and go to the morning digest."""
        if nominal <= SHORT_STEP:
            before = min(timedelta(minutes=10), nominal / 3)
            return cls((before,), escalate_every=max(nominal, timedelta(minutes=30)),
                       max_escalations=3, digest=False)
        return cls((timedelta(days=7), timedelta(days=3), timedelta(days=1)),
                   escalate_every=timedelta(days=1), max_escalations=5, digest=True)


class StepKind(StrEnum):
    DISPOSITION = "disposition"
    DRAFTING = "drafting"
    DECISION = "decision"
    SIGNATURE = "signature"
    DISTRIBUTION = "distribution"
    SUBMISSION = "submission"
    VERIFICATION = "verification"
    RECAP = "recap"
    ARCHIVE = "archive"
    REGISTRATION = "registration"  # a record made with its file (an incoming letter and its scan)
    FOLLOW_UP = "follow_up"  # the work a disposition asked for, reported with a note (and a file)


#: What each kind offers (actions, branches, buttons, fan-out) is in bot.workflow.kinds.


@dataclass(frozen=True)
class Pejabat:
    jabatan: str
    nama: str
    pangkat: str
    nip: str


@dataclass(frozen=True)
class SopIdentity:
    nomor: str
    nama: str
    unit: str
    disahkan_oleh: Pejabat
    dasar_hukum: tuple[str, ...]
    keterkaitan: tuple[str, ...]
    peringatan: tuple[str, ...] = ()
    pencatatan: tuple[str, ...] = ()
    # Only the SOP document prints these (PermenPANRB 35/2012's identity page).
    tanggal_pembuatan: str | None = None
    tanggal_revisi: str | None = None
    tanggal_efektif: str | None = None
    kualifikasi_pelaksana: tuple[str, ...] = ()
    peralatan_perlengkapan: tuple[str, ...] = ()


@dataclass(frozen=True)
class StepDefinition:
    no: int
    nama: str  # short, correctly spelled name for chat ("Disposisi Sekretaris Daerah")
    kegiatan: str  # the SOP's own words, verbatim
    pelaksana: Peran
    kelengkapan: str
    waktu: Waktu | None
    output: str
    keterangan: str
    kind: StepKind
    next: int | None = None
    branches: Mapping[str, int] = field(default_factory=dict)
    fan_out: bool = False
    receipt_by: Peran | None = None
    due_from_letter: bool = False
    # verification: `waktu` is counted from the end of the letter's batas waktu pengisian (when
    # the letter sets one), so the window never closes before the OPDs' own deadline
    window_from_letter: bool = False
    assumptions: tuple[str, ...] = ()
    alerts: AlertPolicy | None = None  # None: the defaults for the step's length
    berkas: tuple[str, ...] | None = None  # documents sent with its task (None: its kind's)

    @property
    def waktu_text(self) -> str:
        return self.waktu.text if self.waktu else "-"


@dataclass(frozen=True)
class SopDefinition:
    name: str
    version: int
    identity: SopIdentity
    roles: Mapping[str, str]
    steps: tuple[StepDefinition, ...]
    #: Who may start a cycle (empty: the Sekretaris Daerah or an administrator).
    starters: tuple[Peran, ...] = ()
    #: The short title chat messages use ("Pengisian E-SAKIP"); the identity's nama when unset.
    judul: str = ""
    #: The "Hal" of the lembar disposisi; the identity's nama when unset.
    perihal: str = ""
    contoh: bool = False  # an example, to be replaced by the regency's own SOP
    #: SHA-256 of the file's text: which version of the file a cycle runs on.
    digest: str = ""
    #: The file's text, as loaded (a cycle's snapshot).
    text: str = field(default="", repr=False, compare=False)
    source: str = field(default="", compare=False)

    @property
    def title(self) -> str:
        return self.judul or self.identity.nama

    @property
    def total_steps(self) -> int:
        return len(self.steps)

    @property
    def first(self) -> StepDefinition:
        return self.steps[0]

    def step(self, no: int) -> StepDefinition:
        if not 1 <= no <= len(self.steps):
            raise KeyError(f"langkah {no} tidak ada dalam SOP {self.name}")
        return self.steps[no - 1]

    def step_of_kind(self, kind: StepKind) -> StepDefinition:
        for step in self.steps:
            if step.kind is kind:
                return step
        raise KeyError(f"SOP {self.name} tidak memiliki langkah jenis {kind}")

    def has_kind(self, kind: StepKind) -> bool:
        return any(step.kind is kind for step in self.steps)

    def steps_of(self, role: str) -> tuple[StepDefinition, ...]:
        """The steps in which `role` acts: as pelaksana, or confirming receipt (`receipt_by`)."""
        return tuple(step for step in self.steps if role in (step.pelaksana, step.receipt_by))
