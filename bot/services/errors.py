"""Errors a service raises for a person to read (the engine's DomainError is one too)."""

from __future__ import annotations

from bot.workflow import DomainError


class ServiceError(DomainError):
    """A refusal or a problem a user or an operator can act on; the message says what to do."""


class NotRegistered(ServiceError):
    def __init__(self) -> None:
        super().__init__(
            "Mohon maaf, akun Telegram Bapak/Ibu belum terdaftar pada Bot E-SAKIP. "
            "Silakan hubungi Tim SAKIP Bagian Organisasi untuk mendapatkan tautan pendaftaran."
        )


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    pass


class InvalidInput(ServiceError):
    """An answer a person typed or sent that cannot be used. `field` names the answer (a form
    then asks for it again instead of closing): "note", "nomor", "waktu", "upload"."""

    def __init__(self, *args: object, field: str | None = None) -> None:
        super().__init__(*args)
        self.field = field
