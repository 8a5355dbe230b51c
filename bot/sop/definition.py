"""Frozen definitions of an SOP: what the steps are. They hold no runtime state."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from enum import StrEnum

from bot.roles import Peran
from bot.sop.checklist import Checklist
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


@dataclass(frozen=True)
class Escalation:
    """Who is told when a step of one role runs late: `segera` as it runs late (each escalation
    of its AlertPolicy; in the morning digest for steps whose policy says so), `ringkasan` only in
    the morning digest, once the delay reaches `ringkasan_setelah`."""

    segera: tuple[Peran, ...] = ()
    ringkasan: tuple[Peran, ...] = ()
    ringkasan_setelah: timedelta = timedelta(days=1)

    @property
    def above(self) -> frozenset[Peran]:
        """Everyone this delay may reach (who may send the assignee an 'Ingatkan')."""
        return frozenset(self.segera) | frozenset(self.ringkasan)


_TOP = (Peran.ASISTEN, Peran.SEKDA)
#: The defaults when an SOP file names no `eskalasi` for a role: staff steps stop at the Kabag;
#: the Asisten and the Sekda read day-long delays in the morning digest.
DEFAULT_ESCALATION: Mapping[Peran, Escalation] = {
    Peran.TIM_SAKIP: Escalation((Peran.KABAG,), _TOP),
    Peran.PELAKSANA: Escalation((Peran.KABAG,), _TOP),
    Peran.TATA_USAHA: Escalation((Peran.KABAG,), (Peran.ASISTEN,)),
    Peran.KABAG: Escalation((), _TOP),
    Peran.ASISTEN: Escalation((), (Peran.SEKDA,)),
    Peran.SEKDA: Escalation(),
    Peran.OPD: Escalation((Peran.KEPALA_OPD,), (Peran.TIM_SAKIP, Peran.KABAG) + _TOP),
    Peran.KEPALA_OPD: Escalation((), (Peran.TIM_SAKIP, Peran.KABAG) + _TOP),
}


@dataclass(frozen=True)
class EscalationPolicy:
    """An SOP's escalation policy (its file's `eskalasi`), with the defaults where it is silent."""

    digest_at: time = time(7, 30)  # the superiors' morning digest, local time (ESAKIP_TIMEZONE)
    ack_pause: timedelta = timedelta(hours=24)  # "Sedang dikerjakan" pauses reminders this long
    roles: Mapping[Peran, Escalation] = field(default_factory=dict)

    def for_role(self, role: Peran) -> Escalation:
        return self.roles.get(role) or DEFAULT_ESCALATION.get(role, Escalation())


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
    """An official as a document names them: jabatan, nama, pangkat and NIP."""

    jabatan: str
    nama: str
    pangkat: str
    nip: str


@dataclass(frozen=True)
class SopIdentity:
    """Who owns the SOP and on what basis: its identity page, and the header of its forms."""

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
    eskalasi: Escalation | None = None  # None: the SOP's policy for the step's role
    berkas: tuple[str, ...] | None = None  # documents sent with its task (None: its kind's)
    checklist: Checklist | None = None  # verification: the items checked one by one

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
    eskalasi: EscalationPolicy = field(default_factory=EscalationPolicy)

    def escalation(self, step_no: int, role: Peran) -> Escalation:
        """Who is told when the task of `role` at step `step_no` runs late."""
        step = next((s for s in self.steps if s.no == step_no), None)
        if step is not None and step.eskalasi is not None:
            return step.eskalasi
        return self.eskalasi.for_role(role)

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
            raise KeyError(f"SOP {self.name} has no step {no}")
        return self.steps[no - 1]

    def step_of_kind(self, kind: StepKind) -> StepDefinition:
        for step in self.steps:
            if step.kind is kind:
                return step
        raise KeyError(f"SOP {self.name} has no step of kind {kind}")

    def has_kind(self, kind: StepKind) -> bool:
        return any(step.kind is kind for step in self.steps)

    def steps_of(self, role: str) -> tuple[StepDefinition, ...]:
        """The steps in which `role` acts: as pelaksana, or confirming receipt (`receipt_by`)."""
        return tuple(step for step in self.steps if role in (step.pelaksana, step.receipt_by))
