"""The Tim SAKIP queue messages (issue 13 item 7): per member and cycle, one for the OPDs waiting
for verification and one for the receipts of the letter, kept up to date in place through the
outbox, and the takes ("diambil oleh ..."). A transition marks the queues it touched stale
(bot.services.antrian_notifier); the outbox dispatcher calls `refresh_stale` before it sends;
conversations/antrian.py calls `resend` (/antrian), `turn` (a page) and `take` (an OPD).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from bot import formatting, messages
from bot.clock import Clock
from bot.presentation import checklist
from bot.presentation.tasks import task_reply_markup, task_text
from bot.roles import Peran
from bot.services import audit
from bot.services.acting import actor_for
from bot.services import antrian_isi
from bot.services.antrian_isi import KIND, items
from bot.services.antrian import JENIS, VERIFIKASI, digest, done_refusal, paginate, queued_kind
from bot.services.errors import Conflict, NotRegistered
from bot.services.notifier import documents_held, step_documents
from bot.services.outbox import CANCELLED, FAILED, PENDING, enqueue
from bot.services.recipients import recipients
from bot.services.sops import SopCatalog
from bot.services.state_store import lock_cycle, task_from_row
from bot.services.views import TaskView, attachment_of, build_view
from bot.storage import Database, get_row
from bot.storage import models as m
from bot.workflow import CycleStatus, TaskNotFound, TaskStatus, Workflow

#: The outbox purpose of queue messages and of their edits.
PURPOSE = "antrian"
#: A take keeps the OPD for its member this long; after it another member may take it over.
TAKE_HOLD = timedelta(hours=24)


_MESSAGE = select(m.QueueMessage).where(m.QueueMessage.cycle_id == bindparam("cycle"),
                                       m.QueueMessage.user_id == bindparam("user"),
                                       m.QueueMessage.jenis == bindparam("jenis"))


@dataclass(frozen=True)
class Plan:
    """A queue's members' messages as they should read: (member, page shown when read, payload)."""

    cycle_id: int
    jenis: str
    members: tuple[tuple[m.User, int | None, dict[str, Any]], ...]


@dataclass(frozen=True)
class Taken:
    opd_nama: str
    sent: int  # messages queued to the member (the file and the task message)


class Antrian:
    def __init__(self, db: Database, clock: Clock, catalog: SopCatalog, tz: tzinfo) -> None:
        self.db = db
        self.clock = clock
        self.catalog = catalog
        self.tz = tz  # the deployment's zone: the dates and hours the queues show

    # -- after a transition: the queues it marked stale (bot.services.antrian_notifier) ---------

    def refresh_stale(self) -> int:
        """Bring the queues that transitions marked stale up to date (the outbox dispatcher calls
        this before it sends); returns how many were refreshed. The reading and rendering run in
        a read-only unit of work, so the write lock (which every press waits for on SQLite) is
        held only to compare digests and queue the edits; a mark made meanwhile stays for the
        next run (`marks`), as does a queue whose member turned a page meanwhile."""
        now = self.clock.now()
        with self.db.transaction(write=False) as s:
            stale = s.execute(select(m.QueueRefresh.cycle_id, m.QueueRefresh.jenis, m.QueueRefresh.arrived,
                                     m.QueueRefresh.marks).order_by(m.QueueRefresh.cycle_id)).all()
            plans = [(r, self._plan(s, cycle, self.catalog.workflow(s, cycle), r.jenis, now))
                     for r in stale if (cycle := s.get(m.Cycle, r.cycle_id)) is not None]
        with self.db.transaction() as s:
            for mark, plan in plans:
                if self._apply(s, plan, now, arrived=mark.arrived and mark.jenis == VERIFIKASI) is not None:
                    s.execute(delete(m.QueueRefresh).where(
                        m.QueueRefresh.cycle_id == mark.cycle_id, m.QueueRefresh.jenis == mark.jenis,
                        m.QueueRefresh.marks == mark.marks))
        return len(plans)

    def refresh(self, s: Session, cycle: m.Cycle, wf: Workflow, jenis: str, now: datetime, *,
                arrived: bool = False, only: m.User | None = None, fresh: bool = False) -> int:
        """Bring every member's (or `only`'s) queue message up to date; returns how many new
        messages were queued (`fresh`: a new one at the bottom of the chat in any case)."""
        return self._apply(s, self._plan(s, cycle, wf, jenis, now, only, fresh), now, arrived, fresh) or 0

    def _plan(self, s: Session, cycle: m.Cycle, wf: Workflow, jenis: str, now: datetime,
              only: m.User | None = None, fresh: bool = False) -> Plan:
        """What each member's queue message should show now (reads only)."""
        if not wf.sop.has_kind(KIND[jenis]):
            return Plan(cycle.id, jenis, ())
        waiting = items(s, cycle, wf, jenis)
        role = Peran(wf.sop.step_of_kind(KIND[jenis]).pelaksana)
        shown = []
        for user in recipients(s, role, None, now, tz=self.tz):
            row = s.scalar(_MESSAGE, {"cycle": cycle.id, "user": user.id, "jenis": jenis})
            if (only is not None and user.id != only.id) or (row is None and not waiting):
                continue  # nothing to show, and no message to keep up to date
            page = paginate(waiting, 0 if fresh or row is None else row.page)
            shown.append((user, row.page if row is not None else None,
                          antrian_isi.payload(s, cycle, wf, jenis, page, user.id, now, self.tz)))
        return Plan(cycle.id, jenis, tuple(shown))

    def _apply(self, s: Session, plan: Plan, now: datetime, arrived: bool = False, fresh: bool = False) -> int | None:
        """Queue the edits (or new messages) of `plan`; how many new messages, or None when a
        member's message changed page since the plan was read (then it is planned again)."""
        new = 0
        for user, page, payload in plan.members:
            row = s.scalar(_MESSAGE, {"cycle": plan.cycle_id, "user": user.id, "jenis": plan.jenis})
            if (row.page if row is not None else None) != page:
                return None
            new += self._upsert(s, row, user, plan.cycle_id, plan.jenis, payload, now,
                                fresh=fresh or (arrived and self._sent_before_today(s, row, now)))
        return new

    # -- the member's message, through the outbox ---------------------------------------------------

    def _upsert(self, s: Session, row: m.QueueMessage | None, user: m.User, cycle_id: int, jenis: str,
                payload: dict[str, Any], now: datetime, fresh: bool) -> int:
        """Edit the member's queue message (or, unsent yet, rewrite it); send a new one when there
        is none, it was lost or deleted, or `fresh` (the old one then points to the new one)."""
        source = s.get(m.Outbox, row.outbox_id) if row is not None else None
        shown = digest(payload)
        if row is not None and source is not None and source.status == PENDING:
            source.payload, row.shown = payload, shown
            return 0
        if row is not None and source is not None and source.status not in (FAILED, CANCELLED):
            if not fresh and row.shown == shown:
                return 0  # the message already says this
            self._cancel_edits(s, source)
            text = messages.render("antrian/usang", tz=self.tz, now=now) if fresh else payload["text"]
            enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=cycle_id, kind="edit",
                    purpose=PURPOSE, payload={"source_outbox_id": source.id, "text": text, "usang": fresh,
                                              "reply_markup": None if fresh else payload["reply_markup"]})
            if not fresh:
                row.shown = shown
                return 0
        sent = enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=cycle_id, kind="message",
                       purpose=PURPOSE, payload=payload)
        s.flush()
        if row is None:
            s.add(m.QueueMessage(cycle_id=cycle_id, user_id=user.id, jenis=jenis, outbox_id=sent.id, page=0,
                                 shown=shown, updated_at=now))
        else:
            row.outbox_id, row.page, row.shown, row.updated_at = sent.id, 0, shown, now
        return 1

    @staticmethod
    def _cancel_edits(s: Session, source: m.Outbox) -> int:
        """Pending edits of the message are superseded by the next one (only the latest counts);
        returns how many were pending."""
        pending = [e for e in s.scalars(select(m.Outbox).where(
            m.Outbox.status == PENDING, m.Outbox.chat_id == source.chat_id, m.Outbox.kind == "edit",
            m.Outbox.purpose == PURPOSE)) if (e.payload or {}).get("source_outbox_id") == source.id]
        for edit in pending:
            edit.status, edit.last_error = CANCELLED, "diganti pembaruan berikutnya"
        return len(pending)

    def _sent_before_today(self, s: Session, row: m.QueueMessage | None, now: datetime) -> bool:
        source = s.get(m.Outbox, row.outbox_id) if row is not None else None
        if source is None or source.sent_at is None:
            return False
        return formatting.tanggal(source.sent_at, self.tz) != formatting.tanggal(now, self.tz)

    # -- use-cases (each its own unit of work) ---------------------------------------------------

    def lost(self, edit_id: int) -> None:
        """The dispatcher found the queue message deleted (an edit of it had nothing to edit): the
        same update arrives as a new message instead."""
        with self.db.transaction() as s:
            edit = s.get(m.Outbox, edit_id)
            source_id = (edit.payload or {}).get("source_outbox_id") if edit is not None else None
            row = s.scalar(select(m.QueueMessage).where(m.QueueMessage.outbox_id == source_id)) if source_id else None
            if edit is None or row is None or (edit.payload or {}).get("usang"):
                return  # not a queue message's latest, or only its pointer to a newer one
            sent = enqueue(s, now=self.clock.now(), chat_id=edit.chat_id, user_id=edit.user_id,
                           cycle_id=edit.cycle_id, kind="message", purpose=PURPOSE,
                           payload={"text": edit.payload["text"], "reply_markup": edit.payload["reply_markup"]})
            s.flush()
            row.outbox_id = sent.id

    def resend(self, telegram_id: int) -> int:
        """/antrian: the member's queue messages again, at the bottom of the chat; returns how
        many were queued (0: no cycle has a queue for them)."""
        now = self.clock.now()
        with self.db.transaction() as s:
            user = _user(s, telegram_id)
            cycles = s.scalars(select(m.Cycle).where(m.Cycle.status == CycleStatus.OPEN).order_by(m.Cycle.id)).all()
            sent = 0
            for cycle in cycles:
                wf = self.catalog.workflow(s, cycle)
                for jenis in JENIS:
                    shown = s.scalar(select(m.QueueMessage.id).where(
                        m.QueueMessage.cycle_id == cycle.id, m.QueueMessage.user_id == user.id,
                        m.QueueMessage.jenis == jenis)) is not None
                    if items(s, cycle, wf, jenis) or (shown and jenis == VERIFIKASI):
                        sent += self.refresh(s, cycle, wf, jenis, now, only=user, fresh=True)
            return sent

    def turn(self, telegram_id: int, message_id: int, page: int) -> dict[str, Any]:
        """A page button on the member's queue message: the page's text and buttons for the
        handler to edit the pressed message with ({}: it shows them already); a button of an
        older queue message is refused."""
        now = self.clock.now()
        with self.db.transaction() as s:
            user = _user(s, telegram_id)
            row, source = self._pressed(s, user, message_id)
            cycle = get_row(s, m.Cycle, row.cycle_id)
            wf = self.catalog.workflow(s, cycle)
            shown = paginate(items(s, cycle, wf, row.jenis), page)
            pending = self._cancel_edits(s, source)  # the handler's edit shows the latest state
            payload = antrian_isi.payload(s, cycle, wf, row.jenis, shown, user.id, now, self.tz)
            unchanged = not pending and row.shown == digest(payload)
            row.page, row.shown, row.updated_at = shown.number, digest(payload), now
            return {} if unchanged else payload

    def _pressed(self, s: Session, user: m.User, message_id: int) -> tuple[m.QueueMessage, m.Outbox]:
        for row in s.scalars(select(m.QueueMessage).where(m.QueueMessage.user_id == user.id)):
            source = s.get(m.Outbox, row.outbox_id)
            if source is not None and source.telegram_message_id == message_id:
                return row, source
        raise Conflict("antrian.stale_button")

    def take(self, telegram_id: int, task_id: int) -> Taken:
        """An OPD's button: the member takes its submission (the file and the task message with
        its buttons are sent to them), and the other members' queues say who took it."""
        now = self.clock.now()
        with self.db.transaction() as s:
            user = _user(s, telegram_id)
            row = s.get(m.Task, task_id)
            cycle = lock_cycle(s, row.cycle_id) if row is not None else None  # one take at a time
            if row is None or cycle is None:
                raise TaskNotFound()
            s.refresh(row)
            wf = self.catalog.workflow(s, cycle)
            if queued_kind(wf.sop.step(row.step).kind, row.opd_kode) != VERIFIKASI:
                raise TaskNotFound()
            wf.authorize(task_from_row(row), actor_for(s, user, row, now, self.tz))
            view = build_view(s, wf.sop, wf, cycle, row)
            if row.status is not TaskStatus.OPEN:
                raise done_refusal(view, self.tz)
            take = s.get(m.QueueTake, row.id)
            if take is not None and take.user_id != user.id and now - take.taken_at < TAKE_HOLD:
                raise Conflict("antrian.taken", opd_nama=view.opd_nama, oleh=get_row(s, m.User, take.user_id).nama,
                               at=formatting.tanggal_jam(take.taken_at, self.tz))
            if take is None:
                s.add(m.QueueTake(task_id=row.id, user_id=user.id, taken_at=now))
            else:
                take.user_id, take.taken_at = user.id, now
            audit.record(s, at=now, action="queue_take", entity="task", entity_id=row.id, actor_id=user.id,
                         actor_label=user.nama, cycle_id=cycle.id, after={"opd": row.opd_kode})
            sent = self._send_submission(s, wf, cycle, view, user, now)
            s.flush()
            self.refresh(s, cycle, wf, VERIFIKASI, now)
            return Taken(view.opd_nama or "", sent)

    def _send_submission(self, s: Session, wf: Workflow, cycle: m.Cycle, view: TaskView, user: m.User,
                         now: datetime) -> int:
        """The OPD's files the member does not have yet, then the task message with the
        checklist's sheet and buttons (bot/presentation/checklist.py), as conversations/checklist.py
        re-renders it on each press."""
        common: dict[str, Any] = dict(now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=cycle.id)
        held = documents_held(s, cycle.id, user.telegram_id)  # named in the task, not sent again
        documents = [d for d in step_documents(s, wf.sop, cycle, view) if d is not None and d.id not in held]
        for doc in documents:
            caption = messages.render("document_caption", kind=doc.kind, filename=doc.filename, opd_nama=view.opd_nama)
            enqueue(s, **common, kind="document", purpose="info", payload={"document_id": doc.id, "caption": caption})
        view = attachment_of(s, wf.sop, view)
        text = checklist.text(view, self.tz) if view.checklist is not None else task_text(view, self.tz)
        enqueue(s, **common, task_id=view.id, kind="message", purpose="task",
                payload={"text": text, "reply_markup": task_reply_markup(view)})
        return len(documents) + 1


def _user(s: Session, telegram_id: int) -> m.User:
    user = s.scalar(select(m.User).where(m.User.telegram_id == telegram_id, m.User.aktif))
    if user is None:
        raise NotRegistered()
    return user
