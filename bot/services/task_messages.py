"""A task's message in someone's chat outside the notifier's round: sent again to one person (a
Plh./Plt., a reassigned task, a newly reachable OPD), or taken back from the people who hold a
copy (its buttons removed)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy.orm import Session

from bot.presentation.tasks import task_reply_markup, task_text
from bot.services.outbox import CANCELLED, PENDING, enqueue
from bot.services.sops import SopCatalog
from bot.services.views import TaskView, build_view
from bot.storage import get_row
from bot.storage import models as m


def task_view(s: Session, catalog: SopCatalog, row: m.Task) -> TaskView:
    """The task as its cycle's SOP (the text the cycle started with) shows it."""
    cycle = get_row(s, m.Cycle, row.cycle_id)
    workflow = catalog.workflow(s, cycle)
    return build_view(s, workflow.sop, workflow, cycle, row)


def task_payload(view: TaskView, tz: tzinfo) -> dict[str, Any]:
    """The outbox payload of a task message: its text and its buttons."""
    return {"text": task_text(view, tz), "reply_markup": task_reply_markup(view)}


def send_task(s: Session, user: m.User, view: TaskView, now: datetime, tz: tzinfo,
              dedup_key: str | None = None) -> None:
    """Queue the task's message (with its buttons) to `user`."""
    enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=view.cycle_id, task_id=view.id,
            kind="message", purpose="task", payload=task_payload(view, tz), dedup_key=dedup_key)


def take_back(s: Session, copies: Iterable[m.Outbox], text: str, now: datetime, *, purpose: str,
              reason: str) -> None:
    """Copies of a task message lose their buttons: one not sent yet is cancelled (`reason`), one
    sent is edited to `text` (an outbox edit of `purpose`)."""
    for copy in copies:
        if copy.status == PENDING:
            copy.status, copy.last_error = CANCELLED, reason
        elif copy.status != CANCELLED:
            enqueue(s, now=now, chat_id=copy.chat_id, user_id=copy.user_id, cycle_id=copy.cycle_id,
                    kind="edit", purpose=purpose, payload={"source_outbox_id": copy.id, "text": text})
