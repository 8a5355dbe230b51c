"""The SOPs of a deployment: the files loaded now, and the snapshot each cycle started with.

A cycle stores the SHA-256 of the SOP file's text it started with (cycles.sop_digest) and that
text (sop_snapshots); it runs to its end on that definition, so editing the file applies to new
cycles only. `drift` says which open cycles run on an older text than the file's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import error_text
from bot.services.errors import NotFound
from bot.sop import SopDefinition, parse_sop
from bot.storage import models as m
from bot.working_calendar import DeadlineCalendar
from bot.workflow import CycleStatus, Workflow


@dataclass(frozen=True)
class Drift:
    cycle_id: int
    sop_name: str
    cycle_version: int
    file_version: int
    same_version: bool  # the text changed but not the version number

    @property
    def text(self) -> str:
        if self.same_version:
            return error_text.render("sop.cycle_on_changed_text", vars(self))
        return error_text.render("sop.cycle_on_older_version", vars(self))


class SopCatalog:
    def __init__(self, sops: Sequence[SopDefinition], calendar: DeadlineCalendar) -> None:
        if not sops:
            raise ValueError("no SOP loaded")
        self.calendar = calendar
        self.sops = tuple(sops)
        self._by_digest = {sop.digest: Workflow(sop, calendar) for sop in sops}
        self._current = {sop.name: self._by_digest[sop.digest] for sop in sops}

    @property
    def primary(self) -> Workflow:
        return self._current[self.sops[0].name]

    def current(self, name: str | None = None) -> Workflow:
        """The workflow of the SOP file `name` as loaded now (the primary when None)."""
        if name is None:
            return self.primary
        try:
            return self._current[name]
        except KeyError:
            raise NotFound("cycle.sop_not_loaded", name=name) from None

    def workflow(self, s: Session, cycle: m.Cycle) -> Workflow:
        """The workflow the cycle runs on: the SOP text it started with."""
        digest = cycle.sop_digest
        if digest is not None:
            found = self._by_digest.get(digest)
            if found is not None:
                return found
            snapshot = s.get(m.SopSnapshot, digest)
            if snapshot is not None:
                found = Workflow(parse_sop(snapshot.text, f"<siklus {cycle.id}: {snapshot.source}>"),
                                 self.calendar)
                self._by_digest[digest] = found
                return found
        return self._current.get(cycle.sop_name, self.primary)  # a cycle from before 0006

    def sop(self, s: Session, cycle: m.Cycle) -> SopDefinition:
        return self.workflow(s, cycle).sop

    def pin(self, s: Session, sop: SopDefinition, now: datetime) -> str:
        """Keep the SOP's text (once per digest); returns the digest the cycle stores."""
        if s.get(m.SopSnapshot, sop.digest) is None:
            s.add(m.SopSnapshot(digest=sop.digest, name=sop.name, version=sop.version,
                                source=sop.source[:500], text=sop.text, created_at=now))
            s.flush()
        return sop.digest

    def drift(self, s: Session) -> list[Drift]:
        """Open cycles whose SOP text differs from the file loaded now."""
        found = []
        for cycle in s.scalars(select(m.Cycle).where(m.Cycle.status == CycleStatus.OPEN).order_by(m.Cycle.id)):
            now = self._current.get(cycle.sop_name)
            if now is None or cycle.sop_digest in (None, now.sop.digest):
                continue
            found.append(Drift(cycle.id, cycle.sop_name, cycle.sop_version, now.sop.version,
                               cycle.sop_version == now.sop.version))
        return found
