"""Who may act: a task belongs to its role (and, per OPD, to that OPD); a cycle is started by
the SOP's starters. Pure; the refusals are NotYourTask with their codes."""

from __future__ import annotations

from collections.abc import Sequence

from bot.roles import Peran
from bot.workflow.actions import Actor, NotYourTask
from bot.workflow.state import Task

#: Roles allowed to start a cycle when the SOP names none.
STARTERS = (Peran.SEKDA, Peran.ADMIN)

OPD_ROLES = (Peran.OPD, Peran.KEPALA_OPD)


def authorize_start(starters: Sequence[Peran], actor: Actor) -> None:
    """Raise NotYourTask unless the actor's role is one of `starters`."""
    if actor.peran not in starters:
        raise NotYourTask("workflow.start_not_allowed", starters=[
            Peran(p).label.lower() if p is Peran.ADMIN else Peran(p).label for p in starters])


def authorize(task: Task, actor: Actor) -> None:
    """Raise NotYourTask unless the actor's role (and OPD) is the task's."""
    if task.role in OPD_ROLES:
        if actor.peran not in OPD_ROLES:
            raise NotYourTask("workflow.task_for_opd", peran=actor.peran.label)
        if actor.opd != task.opd:
            raise NotYourTask("workflow.task_of_other_opd")
    elif actor.peran is not task.role:
        raise NotYourTask("workflow.task_for_role", role=task.role.label, peran=actor.peran.label)
