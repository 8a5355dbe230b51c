"""The notifier as the container builds it: the Notifier, reach's reactions, then the Tim SAKIP
queues the transition touched marked stale, all in the transition's unit of work. The queues'
messages are rendered later, once for however many transitions touched them meanwhile, by the
outbox dispatcher (`Antrian.refresh_stale`): a receipt press does not wait for them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from bot.services.antrian import JENIS, VERIFIKASI, queued_kind
from bot.services.reach import ReachingNotifier
from bot.storage import models as m
from bot.storage import note_write
from bot.workflow import Effect, TaskFinished, TaskOpened, WindowClosed, Workflow

#: The write topic of stale queues (`Database.commits`): the dispatcher refreshes them when it moves.
TOPIC = "antrian"


class QueueingNotifier(ReachingNotifier):
    def apply(self, s: Session, cycle: m.Cycle, effects: Sequence[Effect], ids: dict[int, int],
              actor: m.User | None, now: datetime, workflow: Workflow | None = None) -> None:
        super().apply(s, cycle, effects, ids, actor, now, workflow)
        for jenis, arrived in touched_queues(effects, workflow or self.workflow).items():
            mark_stale(s, cycle.id, jenis, arrived, now)


def touched_queues(effects: Sequence[Effect], wf: Workflow) -> dict[str, bool]:
    """The queues (jenis) the effects change, each with whether an OPD entered the verification
    queue (on a later day than a member's message was sent, that brings a fresh message)."""
    touched: dict[str, bool] = {}
    for effect in effects:
        if isinstance(effect, WindowClosed):
            for every in JENIS:
                touched.setdefault(every, False)
        elif isinstance(effect, (TaskOpened, TaskFinished)):
            jenis = queued_kind(wf.sop.step(effect.task.step).kind, effect.task.opd)
            if jenis is not None:
                entered = jenis == VERIFIKASI and isinstance(effect, TaskOpened)
                touched[jenis] = touched.get(jenis, False) or entered
    return touched


def mark_stale(s: Session, cycle_id: int, jenis: str, arrived: bool, now: datetime) -> None:
    """One row per queue however many transitions touch it before the dispatcher looks."""
    row = s.get(m.QueueRefresh, (cycle_id, jenis))
    if row is None:
        s.add(m.QueueRefresh(cycle_id=cycle_id, jenis=jenis, arrived=arrived, marks=1, requested_at=now))
    else:
        row.arrived, row.marks = row.arrived or arrived, row.marks + 1
    note_write(s, TOPIC)
