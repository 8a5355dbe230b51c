"""The audit log as a reader sees it: each event with its step, its Perangkat Daerah and a note."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from typing import Any


@dataclass(frozen=True)
class AuditEvent:
    """One record of the audit log, with what a reader needs to understand it."""

    id: int  # the audit log's row: events are read in this order
    at: datetime  # when it was recorded, by the injected clock
    actor: str  # as recorded: "Nama selaku Plh. …", "… atas nama …", or "sistem"
    action: str  # the audit log's action, e.g. "task_sign", "escalation"
    step: int | None = None  # the SOP step of the task it is about, if any
    opd_kode: str | None = None  # the Perangkat Daerah it is about, if any
    opd_nama: str | None = None
    note: str | None = None  # the note the actor wrote with the task
    detail: Mapping[str, Any] = field(default_factory=dict)  # the few values its line shows (bot.services.trail)


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
