"""One task, rendered the same wherever it is shown: the notification (the outbox), /tugas, and
the message a press edits. Everything the text says comes from the TaskView (the instruction and
who gave it are recorded on the task), so the places cannot drift apart."""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from bot import messages
from bot.presentation.keyboards import task_keyboard

if TYPE_CHECKING:
    from bot.services.views import TaskView


def task_text(view: TaskView, tz: tzinfo, attachment_name: str | None = None) -> str:
    """The open task's message (`attachment_name`: the file sent with it, named in the text);
    `tz`: the deployment's zone, for its deadline."""
    return messages.render("task", tz=tz, task=view, attachment_name=attachment_name or view.attachment_name,
                           origin_outcome=None, origin_nama=None)


def done_text(view: TaskView, tz: tzinfo) -> str:
    """What the task's message becomes once it is done or cancelled."""
    return messages.render("task_done", tz=tz, task=view)


def task_reply_markup(view: TaskView) -> dict[str, Any]:
    """The task's buttons as Bot API reply_markup data (what the outbox stores)."""
    return {"inline_keyboard": task_keyboard(view)}


def tugas_replies(tasks: list[TaskView], max_listed: int, tz: tzinfo,
                  queued: int = 0) -> list[tuple[str, TaskView | None]]:
    """The messages that answer /tugas: the count, then each listed task with its buttons; one
    task comes in one message, the count above it (each message sent costs the bot as much as
    the rest of the update; docs/BENCHMARKS.md, "2026-12-02 (session 5)"). `queued`: the
    verifications Tim SAKIP reaches from /antrian instead, counted in the header."""
    listed = tasks[:max_listed]
    header = messages.render("tugas_header", tasks=tasks, listed=len(listed), queued=queued)
    if len(tasks) == 1:
        return [(f"{header}\n\n{task_text(tasks[0], tz)}", tasks[0])]
    return [(header, None), *((task_text(view, tz), view) for view in listed)]
