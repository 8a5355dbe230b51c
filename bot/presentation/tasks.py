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
