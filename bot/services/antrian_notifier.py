"""The notifier as the container builds it: the Notifier, reach's reactions, then the Tim SAKIP
queues (bot.services.antrian_pesan), all in the transition's unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from bot.services.antrian_pesan import Antrian
from bot.services.reach import Reach, ReachingNotifier
from bot.sop.definition import SopDefinition
from bot.storage import models as m
from bot.workflow import Effect, Workflow


class QueueingNotifier(ReachingNotifier):
    def __init__(self, sop: SopDefinition, workflow: Workflow, reach: Reach, antrian: Antrian) -> None:
        super().__init__(sop, workflow, reach)
        self.antrian = antrian

    def apply(self, s: Session, cycle: m.Cycle, effects: Sequence[Effect], ids: dict[int, int],
              actor: m.User | None, now: datetime, workflow: Workflow | None = None) -> None:
        super().apply(s, cycle, effects, ids, actor, now, workflow)
        s.flush()  # the queues read the tasks the transition saved
        self.antrian.react(s, cycle, effects, now, workflow or self.workflow)
