"""What people do to a cycle, who they are, and the domain errors a user may be shown."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from bot import error_text
from bot.roles import Peran


class ActionKind(StrEnum):
    FORWARD = "forward"  # a disposition, with an optional arahan
    SUBMIT_DRAFT = "submit_draft"
    APPROVE = "approve"
    RETURN = "return"  # back to the drafter, with a required note
    SIGN = "sign"
    DISTRIBUTE = "distribute"
    CONFIRM_RECEIPT = "confirm_receipt"
    SUBMIT = "submit"
    VERIFY_SESUAI = "sesuai"
    VERIFY_TIDAK_SESUAI = "tidak_sesuai"
    CONFIRM_RECAP = "confirm_recap"
    ARCHIVE = "archive"
    REGISTER = "register"  # a registration, with its file
    REPORT = "report"  # a follow-up reported, with a note and optionally a file


@dataclass(frozen=True)
class Actor:
    user_id: int
    peran: Peran
    opd: str | None = None


class DomainError(Exception):
    """An action the SOP does not allow, or a refusal a person can act on: a code and its
    parameters. `str(error)` is the wording for the person, from templates/errors/ (the code
    "workflow.note_required" is the key note_required of templates/errors/workflow.yaml)."""

    #: The code of a subclass that always says the same thing (raised without a code).
    default_code: ClassVar[str] = ""

    def __init__(self, code: str = "", /, **params: object) -> None:
        self.code = code or self.default_code
        if not self.code:
            raise TypeError(f"{type(self).__name__} needs a code")
        self.params = params
        super().__init__(self.code)

    def __str__(self) -> str:
        return error_text.render(self.code, self.params)


class TaskNotFound(DomainError):
    default_code = "workflow.task_not_found"


class TaskClosed(DomainError):
    """The task was already processed; services may enrich the message with who and when."""

    def __init__(self, seq: int, actor_id: int | None) -> None:
        super().__init__("workflow.task_closed")
        self.seq = seq
        self.actor_id = actor_id


class CycleNotOpen(DomainError):
    default_code = "workflow.cycle_not_open"


class NotYourTask(DomainError):
    pass


class ActionNotAllowed(DomainError):
    pass


class NoteRequired(DomainError):
    default_code = "workflow.note_required"


class InvalidPayload(DomainError):
    pass


class FileRequired(DomainError):
    default_code = "workflow.file_required"
