"""What follows from a transition, as data. Services turn these into messages and deadlines."""

from __future__ import annotations

from dataclasses import dataclass

from bot.workflow.state import Task


@dataclass(frozen=True)
class TaskOpened:
    """A task opened: tell its assignees; its deadline (task.due_at) starts."""

    task: Task


@dataclass(frozen=True)
class TaskFinished:
    """A task was done or cancelled: its deadline stops; messages about it are updated."""

    task: Task


@dataclass(frozen=True)
class WindowClosed:
    """The step-10 window closed; these Perangkat Daerah did not finish."""

    unfinished: tuple[str, ...]


@dataclass(frozen=True)
class CycleClosed:
    pass


@dataclass(frozen=True)
class DocumentDue:
    """A document of the cycle falls due (`kind` as named in bot.workflow.kinds: the lembar
    disposisi of a disposition, the letter at signing, the recap when the recap step opens...).
    `task` is the task acted on (or opened); `opened` what the action opened, if anything."""

    kind: str
    task: Task
    opened: Task | None = None


Effect = TaskOpened | TaskFinished | WindowClosed | CycleClosed | DocumentDue
