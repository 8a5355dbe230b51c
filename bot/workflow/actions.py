"""What people do to a cycle, who they are, and the domain errors a user may be shown."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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
    """An action the SOP does not allow; the message is fit to show the user."""


class TaskNotFound(DomainError):
    def __init__(self) -> None:
        super().__init__("Tugas tidak ditemukan pada siklus ini.")


class TaskClosed(DomainError):
    """The task was already processed; services may enrich the message with who and when."""

    def __init__(self, seq: int, actor_id: int | None) -> None:
        super().__init__("Tugas ini sudah diproses sebelumnya; tidak ada yang diubah.")
        self.seq = seq
        self.actor_id = actor_id


class CycleNotOpen(DomainError):
    def __init__(self) -> None:
        super().__init__("Siklus ini sudah ditutup; tidak ada tindakan yang dapat dilakukan.")


class NotYourTask(DomainError):
    pass


class ActionNotAllowed(DomainError):
    pass


class NoteRequired(DomainError):
    def __init__(self) -> None:
        super().__init__("Catatan wajib diisi untuk tindakan ini. Mohon tuliskan catatannya.")


class InvalidPayload(DomainError):
    pass


class FileRequired(DomainError):
    def __init__(self) -> None:
        super().__init__("Berkas wajib dilampirkan untuk tindakan ini. Mohon unggah berkasnya.")
