"""Errors a service raises for a person to read (the engine's DomainError is one too)."""

from __future__ import annotations

from bot.workflow import DomainError


class ServiceError(DomainError):
    """A refusal or a problem a user or an operator can act on; the message says what to do.
    Raised with a code of templates/errors/ and its parameters: `Conflict("cycle.running", tahun=2026)`."""


class NotRegistered(ServiceError):
    default_code = "access.not_registered"


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    pass


class InvalidInput(ServiceError):
    pass
