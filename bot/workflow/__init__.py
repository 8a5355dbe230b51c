"""The SOP engine: pure transitions over a cycle's state. No I/O, no Telegram, no database."""

from bot.workflow.actions import ActionKind, ActionNotAllowed, Actor, CycleNotOpen, DomainError, FileRequired
from bot.workflow.actions import InvalidPayload, NoteRequired, NotYourTask, TaskClosed, TaskNotFound
from bot.workflow.effects import CycleClosed, DocumentDue, Effect, TaskFinished, TaskOpened, WindowClosed
from bot.workflow.machine import Transition, Workflow
from bot.workflow.state import CycleState, CycleStatus, OpdProgress, OpdStatus, Outcome, Task, TaskStatus

__all__ = [
    "ActionKind", "ActionNotAllowed", "Actor", "CycleNotOpen", "DomainError", "FileRequired", "InvalidPayload",
    "NoteRequired", "NotYourTask", "TaskClosed", "TaskNotFound", "CycleClosed", "Effect",
    "TaskFinished", "TaskOpened", "DocumentDue", "WindowClosed", "Transition", "Workflow", "CycleState",
    "CycleStatus", "OpdProgress", "OpdStatus", "Outcome", "Task", "TaskStatus",
]
