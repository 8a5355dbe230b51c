"""The registry of step kinds: what each kind of step offers and what each action does.

One entry per kind says its actions (which need a note or a file, the outcome each records,
where each goes: the step's `next` or one of its branches), the buttons of its task message (by
callback code and label key; the wording lives in `templates/chat/labels.yaml`), whether it
runs once per Perangkat Daerah, and the documents that fall due (`DocumentDue`). The engine,
the loader, the keyboards, `/tugas` and the templates read it; adding a *step* of an existing
kind is the SOP file alone, adding a *kind* is one entry here plus its wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.sop.definition import StepKind
from bot.workflow.actions import ActionKind
from bot.workflow.state import OpdStatus, Outcome


class Need(StrEnum):
    NONE = "none"
    OPTIONAL = "optional"
    REQUIRED = "required"


class Form(StrEnum):
    """What a button opens before the action is taken (None in a ButtonSpec: it acts at once)."""

    NOTE = "note"  # a typed note (arahan, koreksi, ketidaksesuaian)
    CONFIRM = "confirm"  # "Ya, ..." / "Batal"
    DRAFT = "draft"  # the letter form (conversations/drafting.py)
    REPORT = "report"  # a file and/or a note, then "Kirim laporan" (conversations/submission.py)
    OFFICIAL = "official"  # upload the letter signed in SRIKANDI (not an engine action)


class FanOut(StrEnum):
    NEVER = "never"
    REQUIRED = "required"  # the step must say `fan_out: per_opd`


@dataclass(frozen=True)
class ActionSpec:
    action: ActionKind
    outcome: Outcome  # recorded on the task; its label is in labels.yaml
    to: str | None = None  # None: the step's `next`; else the branch of that name
    note: Need = Need.OPTIONAL
    file: Need = Need.NONE
    instruction: bool = False  # the note goes with the opened task (an arahan, a correction)
    opd_status: OpdStatus | None = None  # the task's Perangkat Daerah reaches this status
    join: bool = False  # per OPD: the target opens once every OPD has reached `opd_status`
    fans_out: bool = False  # opens one receipt task per Perangkat Daerah (distribution)
    letter: bool = False  # the payload carries the letter's fields (drafting)
    documents: tuple[str, ...] = ()  # DocumentDue kinds emitted when the action is taken


@dataclass(frozen=True)
class ButtonSpec:
    code: str  # callback data "t:<code>:<task id>"
    label: str  # label key in labels.yaml
    action: ActionKind | None  # None: not an engine action (Form.OFFICIAL)
    form: Form | None = None  # None: the press acts at once


@dataclass(frozen=True)
class KindSpec:
    kind: StepKind
    actions: tuple[ActionSpec, ...]
    buttons: tuple[tuple[ButtonSpec, ...], ...]  # rows of the task message's keyboard
    branches: tuple[str, ...] = ()
    fan_out: FanOut = FanOut.NEVER
    may_end: bool = False  # a step of this kind may have `next: null` (the cycle then closes)
    on_open: tuple[str, ...] = ()  # DocumentDue kinds emitted when a task of this kind opens
    #: The documents of the cycle sent with its task message (a step may name others: `berkas`).
    berkas: tuple[str, ...] = ()
    ends_at_window: bool = False  # its tasks are due when the verification window closes
    #: The per-OPD task a fanning-out action opens (distribution: the receipt).
    receipt: KindSpec | None = None

    def action(self, action: ActionKind) -> ActionSpec:
        for spec in self.actions:
            if spec.action is action:
                return spec
        raise KeyError(action)

    @property
    def action_kinds(self) -> tuple[ActionKind, ...]:
        return tuple(spec.action for spec in self.actions)


A, B = ActionSpec, ButtonSpec

_RECEIPT = KindSpec(
    kind=StepKind.DISTRIBUTION,
    actions=(A(ActionKind.CONFIRM_RECEIPT, Outcome.RECEIVED, note=Need.NONE, opd_status=OpdStatus.MENGISI),),
    buttons=((B("rc", "confirm_receipt", ActionKind.CONFIRM_RECEIPT),),),
)

KINDS: dict[StepKind, KindSpec] = {spec.kind: spec for spec in (
    KindSpec(
        kind=StepKind.DISPOSITION,
        actions=(A(ActionKind.FORWARD, Outcome.FORWARDED, instruction=True, documents=("lembar_disposisi",)),),
        buttons=((B("fw", "forward", ActionKind.FORWARD),),
                 (B("fn", "forward_with_note", ActionKind.FORWARD, Form.NOTE),)),
    ),
    KindSpec(
        kind=StepKind.DRAFTING,
        actions=(A(ActionKind.SUBMIT_DRAFT, Outcome.DRAFTED, letter=True, documents=("konsep_surat",)),),
        buttons=((B("dr", "submit_draft", ActionKind.SUBMIT_DRAFT, Form.DRAFT),),),
    ),
    KindSpec(
        kind=StepKind.DECISION,
        actions=(A(ActionKind.APPROVE, Outcome.APPROVED, to="ya", instruction=True),
                 A(ActionKind.RETURN, Outcome.RETURNED, to="tidak", note=Need.REQUIRED, instruction=True)),
        buttons=((B("ap", "approve", ActionKind.APPROVE), B("rt", "return", ActionKind.RETURN, Form.NOTE)),),
        branches=("ya", "tidak"),
        berkas=("konsep_surat",),
    ),
    KindSpec(
        kind=StepKind.SIGNATURE,
        actions=(A(ActionKind.SIGN, Outcome.SIGNED, documents=("surat",)),),
        buttons=((B("sg", "sign", ActionKind.SIGN, Form.CONFIRM),),),
        berkas=("konsep_surat",),
    ),
    KindSpec(
        kind=StepKind.DISTRIBUTION,
        actions=(A(ActionKind.DISTRIBUTE, Outcome.DISTRIBUTED, fans_out=True),),
        buttons=((B("ds", "distribute", ActionKind.DISTRIBUTE),
                  B("tt", "official_letter", None, Form.OFFICIAL)),),
        fan_out=FanOut.REQUIRED,
        receipt=_RECEIPT,
    ),
    KindSpec(
        kind=StepKind.SUBMISSION,
        actions=(A(ActionKind.SUBMIT, Outcome.SUBMITTED, file=Need.OPTIONAL, instruction=True,
                   opd_status=OpdStatus.MENUNGGU_VERIFIKASI, documents=("lampiran_opd",)),),
        buttons=((B("sb", "submit", ActionKind.SUBMIT, Form.REPORT),),),
        fan_out=FanOut.REQUIRED,
    ),
    KindSpec(
        kind=StepKind.VERIFICATION,
        actions=(A(ActionKind.VERIFY_SESUAI, Outcome.SESUAI, to="sesuai", opd_status=OpdStatus.TERVERIFIKASI,
                   join=True),
                 A(ActionKind.VERIFY_TIDAK_SESUAI, Outcome.TIDAK_SESUAI, to="tidak_sesuai", note=Need.REQUIRED,
                   instruction=True, opd_status=OpdStatus.DIKEMBALIKAN)),
        buttons=((B("ok", "sesuai", ActionKind.VERIFY_SESUAI),
                  B("no", "tidak_sesuai", ActionKind.VERIFY_TIDAK_SESUAI, Form.NOTE)),),
        branches=("sesuai", "tidak_sesuai"),
        fan_out=FanOut.REQUIRED,
        ends_at_window=True,
        berkas=("lampiran_opd",),
    ),
    KindSpec(
        kind=StepKind.RECAP,
        actions=(A(ActionKind.CONFIRM_RECAP, Outcome.RECAP_CONFIRMED, instruction=True),),
        buttons=((B("rk", "confirm_recap", ActionKind.CONFIRM_RECAP),),),
        on_open=("rekap",),
        berkas=("rekap",),
    ),
    KindSpec(
        kind=StepKind.ARCHIVE,
        actions=(A(ActionKind.ARCHIVE, Outcome.ARCHIVED, documents=("arsip",)),),
        buttons=((B("ar", "archive", ActionKind.ARCHIVE),),),
        may_end=True,
    ),
    KindSpec(
        kind=StepKind.REGISTRATION,
        actions=(A(ActionKind.REGISTER, Outcome.REGISTERED, file=Need.REQUIRED, instruction=True,
                   documents=("surat_masuk",)),),
        buttons=((B("rg", "register", ActionKind.REGISTER, Form.REPORT),),),
    ),
    KindSpec(
        kind=StepKind.FOLLOW_UP,
        actions=(A(ActionKind.REPORT, Outcome.REPORTED, note=Need.REQUIRED, file=Need.OPTIONAL,
                   instruction=True, documents=("lampiran_tugas",)),),
        buttons=((B("lp", "report", ActionKind.REPORT, Form.REPORT),),),
        berkas=("lampiran_tugas",),
    ),
)}

#: Documents a step may ask to be sent with its task message (`berkas` in the SOP file):
#: the konsep surat, the recap, the incoming letter's scan, and the latest file reported at a
#: submission (per Perangkat Daerah) or a follow-up.
DOCUMENTS = ("konsep_surat", "rekap", "surat_masuk", "lampiran_opd", "lampiran_tugas")
#: Of those, the ones a task message names ("Lampiran: ...").
NAMED_DOCUMENTS = frozenset({"surat_masuk", "lampiran_opd", "lampiran_tugas"})

#: Every button code, once: the callback namespace "t" accepts exactly these.
BUTTONS: dict[str, ButtonSpec] = {}
for _spec in (*KINDS.values(), _RECEIPT):
    for _row in _spec.buttons:
        for _button in _row:
            BUTTONS.setdefault(_button.code, _button)
#: Codes outside the kinds: confirm a signature, cancel a confirmation.
CONFIRM, CANCEL = "sy", "bt"


def kind(kind: StepKind) -> KindSpec:
    return KINDS[kind]


def action_spec(action: ActionKind) -> ActionSpec:
    """The spec of an action (an action belongs to one kind)."""
    for spec in (*KINDS.values(), _RECEIPT):
        for a in spec.actions:
            if a.action is action:
                return a
    raise KeyError(action)


def note_need(action: ActionKind) -> Need:
    return action_spec(action).note


def outcomes() -> tuple[Outcome, ...]:
    """Every outcome a task may record, including the system's own (WINDOW_CLOSED)."""
    found = [a.outcome for spec in (*KINDS.values(), _RECEIPT) for a in spec.actions]
    return (*found, Outcome.WINDOW_CLOSED)
