"""Handing an open task to another person of its role (the admin, the Kabag), and what becomes of
the open tasks of a person who leaves (`user remove`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import messages
from bot.clock import Clock
from bot.presentation.labels import reply
from bot.roles import Peran
from bot.services import audit
from bot.services.acting import ActingMap, current_assignees, label, official, running_orders
from bot.services.errors import Conflict, InvalidInput, NotFound
from bot.services.outbox import enqueue
from bot.services.sops import SopCatalog
from bot.services.task_messages import send_task, take_back, task_view
from bot.storage import Database
from bot.storage import models as m
from bot.workflow import TaskNotFound, TaskStatus

if TYPE_CHECKING:
    from bot.services.views import TaskView

#: Who may hand a task to someone else from chat (the CLI is the administrator's).
REASSIGNERS = (Peran.ADMIN, Peran.KABAG)
MAX_ALASAN = 500


@dataclass(frozen=True)
class ReassignResult:
    """A task handed to someone else: which one, and whose it is now."""

    task_id: int
    step: int
    nama: str  # the step's short name
    to_nama: str


@dataclass(frozen=True)
class OpenTask:
    """An open task as `esakip-bot tasks` and /alihkan list it."""

    task_id: int
    step: int
    nama: str  # the step's short name
    opd_nama: str | None
    holders: str  # who receives it now, for a person to read
    members: int  # registered people of its role (and OPD)


@dataclass(frozen=True)
class Handover:
    task_id: int
    step: int
    nama: str
    receivers: tuple[str, ...]  # "Agus Prasetyo (Tim SAKIP Kabupaten)"; empty: nobody


class Reassign:
    def __init__(self, db: Database, clock: Clock, catalog: SopCatalog) -> None:
        self.db = db
        self.clock = clock
        self.catalog = catalog  # each cycle's task is shown with the SOP the cycle runs
        self.tz = catalog.calendar.tz  # the deployment's zone

    # -- reassigning ------------------------------------------------------------------------

    def reassign(self, by_telegram_id: int | None, task_id: int, telegram_id: int, alasan: str) -> ReassignResult:
        now = self.clock.now()
        alasan = " ".join((alasan or "").split())
        if not alasan:
            raise InvalidInput("reassign.alasan_required")
        if len(alasan) > MAX_ALASAN:
            raise InvalidInput("reassign.alasan_too_long", limit=MAX_ALASAN)
        with self.db.transaction() as s:
            by = _reassigner(s, by_telegram_id)
            row = self._open_task(s, task_id)
            target = s.scalar(select(m.User).where(m.User.telegram_id == telegram_id, m.User.aktif))
            if target is None:
                raise NotFound("reassign.target_unknown", telegram_id=telegram_id)
            if target.id not in {u.id for u in self._members(s, row)}:
                raise InvalidInput("reassign.other_role", nama=target.nama, role=self._role_label(row))
            current = current_assignees(s, [row.id]).get(row.id)
            if current is not None and current.id == target.id:
                raise Conflict("reassign.already_assigned", nama=target.nama)
            by_nama = by.nama if by else "Administrator"
            s.add(m.TaskAssignment(task_id=row.id, user_id=target.id, by_user_id=by.id if by else None,
                                   alasan=alasan, at=now))
            audit.record(s, at=now, action="task_reassign", entity="task", entity_id=row.id, **audit.by(by),
                         cycle_id=row.cycle_id, before={"penerima": current.nama if current else "peran"},
                         after={"penerima": target.nama, "alasan": alasan})
            view = self._view(s, row)
            moved = messages.render("acting/task_moved", tz=self.tz, task=view, to_nama=target.nama,
                                    by_nama=by_nama, alasan=alasan, at=now)
            self._edit_copies(s, row, moved, except_user=target.id, now=now)
            intro = messages.render("acting/task_received", tz=self.tz, task=view, by_nama=by_nama,
                                    alasan=alasan)
            self._send_task(s, row, target, now, intro)
            return ReassignResult(row.id, row.step, view.nama, target.nama)

    def candidates(self, by_telegram_id: int, task_id: int) -> list[tuple[int, str]]:
        """(telegram id, nama) of whoever the task may be handed to."""
        with self.db.transaction(write=False) as s:
            _reassigner(s, by_telegram_id)
            row = self._open_task(s, task_id)
            current = current_assignees(s, [row.id]).get(row.id)
            return [(u.telegram_id, u.nama) for u in self._members(s, row)
                    if current is None or u.id != current.id]

    def reassignable(self, by_telegram_id: int) -> list[OpenTask]:
        """Open tasks whose role has more than one person (what the Kabag may hand over)."""
        return self.open_tasks(by_telegram_id, shared_only=True)

    def open_tasks(self, by_telegram_id: int | None = None, *, shared_only: bool = False) -> list[OpenTask]:
        """Every open task with who receives it; `shared_only`: those a second person could take.
        Counted in two grouped queries, so the Kabag's /tugas does not build a view of each of 40
        OPDs' tasks that nobody else could take."""
        from bot.services.recipients import pick_recipients, reachable_users

        now = self.clock.now()
        with self.db.transaction(write=False) as s:
            _reassigner(s, by_telegram_id)
            rows = s.scalars(select(m.Task).where(m.Task.status == TaskStatus.OPEN).order_by(m.Task.id)).all()
            per_role, per_opd = _member_counts(s)
            members = {row.id: (per_opd.get((row.role, row.opd_kode), 0) if row.opd_kode is not None
                                else per_role.get(row.role, 0)) for row in rows}
            rows = [row for row in rows if members[row.id] > 1] if shared_only else list(rows)
            if not rows:
                return []
            acting, users = ActingMap.load(s, now, self.tz), reachable_users(s)
            out = []
            for row in rows:
                view = self._view(s, row)
                people = acting.for_task(row.id, pick_recipients(users, row.role, row.opd_kode, acting))
                out.append(OpenTask(row.id, row.step, view.nama, view.opd_nama,
                                    ", ".join(u.nama for u in people) or reply("reassign_no_holder"), members[row.id]))
            return out

    # -- who leaves -------------------------------------------------------------------------

    def after_removal(self, telegram_id: int) -> list[Handover]:
        """Run after `telegram_id` was deactivated: their open tasks, and who receives them now.
        Their Plh./Plt. orders end, tasks handed to them go back to the role, and when a task
        reaches nobody the administrators are told in chat."""
        now = self.clock.now()
        with self.db.transaction() as s:
            user = s.scalar(select(m.User).where(m.User.telegram_id == telegram_id))
            if user is None:
                raise NotFound("directory.user_unknown", telegram_id=telegram_id)
            roles = {user.peran}
            for order in running_orders(s, now, self.tz):
                if order.acting_user_id == user.id:
                    roles.add(order.peran)
            for order in s.scalars(select(m.ActingOrder).where(m.ActingOrder.acting_user_id == user.id,
                                                               m.ActingOrder.ended_at.is_(None))):
                order.ended_at, order.ended_notified_at = now, now
            assigned = current_assignees(s)
            rows = [r for r in s.scalars(select(m.Task).where(m.Task.status == TaskStatus.OPEN).order_by(m.Task.id))
                    if (r.role in roles and (r.opd_kode is None or r.opd_kode == user.opd_kode)
                        and ((to := assigned.get(r.id)) is None or to.id == user.id))
                    or ((to := assigned.get(r.id)) is not None and to.id == user.id)]
            acting = ActingMap.load(s, now, self.tz)
            report = []
            for row in rows:
                if (to := assigned.get(row.id)) is not None and to.id == user.id:
                    s.add(m.TaskAssignment(task_id=row.id, user_id=None, by_user_id=None, at=now,
                                           alasan=f"{user.nama} dinonaktifkan"))
                    acting.assignees.pop(row.id, None)
                    for person in self._receivers(s, row, acting):
                        self._send_task(s, row, person, now, None)
                people = acting.for_task(row.id, self._receivers(s, row, acting))
                view = self._view(s, row)
                receivers = tuple(_who(s, u, row, now, self.tz) for u in people)
                report.append(Handover(row.id, row.step, view.nama, receivers))
            orphans = [h for h in report if not h.receivers]
            if orphans:
                text = messages.render("acting/orphaned_tasks", nama=user.nama, peran=user.peran.label,
                                       tasks=orphans)
                for admin in s.scalars(select(m.User).where(m.User.aktif, m.User.peran == Peran.ADMIN)):
                    enqueue(s, now=now, chat_id=admin.telegram_id, user_id=admin.id, kind="message",
                            purpose="info", payload={"text": text})
            if rows:
                audit.record(s, at=now, action="user_remove_tasks", entity="user", entity_id=user.id,
                             actor_label=audit.CLI_ACTOR,
                             after={"tugas": [{"id": h.task_id, "penerima": list(h.receivers)} for h in report]})
            return report

    # -- building blocks --------------------------------------------------------------------

    def _open_task(self, s: Session, task_id: int) -> m.Task:
        row = s.get(m.Task, task_id)
        if row is None:
            raise TaskNotFound()
        if row.status != TaskStatus.OPEN:
            raise Conflict("reassign.task_done")
        return row

    def _members(self, s: Session, row: m.Task) -> list[m.User]:
        """The registered people of the task's role (and OPD): who a task may be handed to."""
        query = select(m.User).where(m.User.aktif, m.User.peran == row.role).order_by(m.User.nama)
        if row.opd_kode is not None:
            query = query.where(m.User.opd_kode == row.opd_kode)
        return list(s.scalars(query))

    def _receivers(self, s: Session, row: m.Task, acting: ActingMap) -> list[m.User]:
        from bot.services.recipients import pick_recipients, reachable_users

        return pick_recipients(reachable_users(s), row.role, row.opd_kode, acting)

    def _role_label(self, row: m.Task) -> str:
        return row.role.label

    def _view(self, s: Session, row: m.Task) -> TaskView:
        return task_view(s, self.catalog, row)

    def _edit_copies(self, s: Session, row: m.Task, text: str, except_user: int, now: datetime) -> None:
        copies = s.scalars(select(m.Outbox).where(m.Outbox.task_id == row.id, m.Outbox.purpose == "task")).all()
        take_back(s, [c for c in copies if c.user_id != except_user], text, now, purpose="task_moved",
                  reason="tugas dialihkan")

    def _send_task(self, s: Session, row: m.Task, user: m.User, now: datetime, intro: str | None) -> None:
        if intro:
            enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=row.cycle_id,
                    kind="message", purpose="info", payload={"text": intro})
        send_task(s, user, self._view(s, row), now, self.tz)


def _reassigner(s: Session, telegram_id: int | None) -> m.User | None:
    return official(s, telegram_id, REASSIGNERS, "reassign.reassigner_only")


def _who(s: Session, user: m.User, row: m.Task, now: datetime, tz: tzinfo) -> str:
    if user.peran != row.role:
        order = next((o for o in running_orders(s, now, tz, row.role) if o.acting_user_id == user.id), None)
        if order is not None:
            return f"{user.nama} ({label(order)})"
    return f"{user.nama} ({user.peran.label})"


def _member_counts(s: Session) -> tuple[dict[str, int], dict[tuple[str, str | None], int]]:
    """Active people per role, and per (role, OPD): what `_members` would count, grouped."""
    per_opd: dict[tuple[str, str | None], int] = {}
    per_role: dict[str, int] = {}
    query = (select(m.User.peran, m.User.opd_kode, func.count()).where(m.User.aktif)
             .group_by(m.User.peran, m.User.opd_kode))
    for peran, opd, count in s.execute(query):
        per_opd[(peran, opd)] = count
        per_role[peran] = per_role.get(peran, 0) + count
    return per_role, per_opd
