"""The audit log as a reader sees it: each event with its step, its Perangkat Daerah and a note."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from typing import Any


@dataclass(frozen=True)
class AuditEvent:
    """One record of the audit log, with what a reader needs to understand it."""

    id: int
    at: datetime
    actor: str
    action: str
    step: int | None = None
    opd_kode: str | None = None
    opd_nama: str | None = None
    note: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditTrail:
    """A cycle's audit log as of `at`, oldest event first."""

    cycle_id: int
    tahun: int
    at: datetime
    events: tuple[AuditEvent, ...]
    tz: tzinfo | None = None  # the deployment's zone

    def of_opd(self, kode: str) -> AuditTrail:
        """The same trail with only the events about one Perangkat Daerah."""
        return replace(self, events=tuple(e for e in self.events if e.opd_kode == kode))
