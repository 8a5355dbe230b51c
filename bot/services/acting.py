"""Acting officials (Plh./Plt.): the orders, who holds a role at an instant, and in what capacity
a person acted. The routing hooks of the notifier, the sweep and the cycle use-cases ask here.
An order runs over local days (`mulai`..`sampai`) of the deployment's zone `tz`, passed in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from bot import formatting
from bot.roles import Peran
from bot.storage import models as m
from bot.workflow import Actor, NotYourTask, TaskStatus

if TYPE_CHECKING:
    from bot.services.letter_context import Signer

#: The posts a Plh./Plt. can be appointed to (one holder each); Tim SAKIP is a team, an OPD has
#: its own operators, and an administrator is not a post.
ACTABLE = (Peran.SEKDA, Peran.ASISTEN, Peran.KABAG)
JENIS = {"plh": "Plh.", "plt": "Plt."}


def official(s: Session, telegram_id: int | None, roles: Sequence[Peran], refusal: str) -> m.User | None:
    """Who asks for something only `roles` may do from chat: the active user, or NotYourTask(refusal).
    None (`telegram_id` None) is the command line, the administrator of the deployment."""
    if telegram_id is None:
        return None
    user = s.scalar(select(m.User).where(m.User.telegram_id == telegram_id, m.User.aktif))
    if user is None or user.peran not in roles:
        raise NotYourTask(refusal)
    return user


def today(now: datetime, tz: tzinfo) -> date:
    """The local date of `now` in the deployment's zone."""
    return now.astimezone(tz).date()


def label(order: m.ActingOrder) -> str:
    """'Plh. Asisten Administrasi Umum'."""
    return f"{JENIS[order.jenis]} {order.peran.label}"


# Built once: every /tugas of an official and every press asks for the running orders and the
# assignments (docs/BENCHMARKS.md, "2026-12-02 (session 5)").
_RUNNING = (select(m.ActingOrder).where(
    m.ActingOrder.mulai <= bindparam("day"), m.ActingOrder.sampai >= bindparam("day"),
    or_(m.ActingOrder.ended_at.is_(None), m.ActingOrder.ended_at > bindparam("at")))
    .order_by(m.ActingOrder.id))
_RUNNING_OF_ROLE = _RUNNING.where(m.ActingOrder.peran == bindparam("peran"))
_ASSIGNMENTS = (select(m.TaskAssignment).join(m.Task, m.Task.id == m.TaskAssignment.task_id)
                .where(m.Task.status == TaskStatus.OPEN).order_by(m.TaskAssignment.id))
#: The same for some tasks, without the join: joined, SQLite walks every open task through the
#: status index (a sweep then grew with the open tasks); which of them are open is asked after.
_ASSIGNMENTS_OF = (select(m.TaskAssignment).where(m.TaskAssignment.task_id.in_(bindparam("ids", expanding=True)))
                   .order_by(m.TaskAssignment.id))
_OPEN_OF = select(m.Task.id).where(m.Task.id.in_(bindparam("ids", expanding=True)), m.Task.status == TaskStatus.OPEN)


def running_orders(s: Session, at: datetime, tz: tzinfo, role: Peran | None = None) -> list[m.ActingOrder]:
    params = {"day": today(at, tz), "at": at}
    if role is None:
        return list(s.scalars(_RUNNING, params))
    return list(s.scalars(_RUNNING_OF_ROLE, {**params, "peran": role.value}))


def order_of(s: Session, user_id: int, role: Peran | str, at: datetime, tz: tzinfo) -> m.ActingOrder | None:
    """The order under which `user_id` holds `role` at `at`, if any."""
    role = Peran(role)
    if role not in ACTABLE:
        return None
    return next((o for o in running_orders(s, at, tz, role) if o.acting_user_id == user_id), None)


def acting_roles(s: Session, user: m.User, at: datetime, tz: tzinfo) -> list[str]:
    return [o.peran for o in running_orders(s, at, tz) if o.acting_user_id == user.id]


class ActingMap:
    """The running orders and the current task assignments, looked up once for a batch of
    recipients (a transition's notifications, a sweep)."""

    def __init__(self, orders: Sequence[m.ActingOrder], users: dict[int, m.User],
                 assignees: dict[int, m.User | None], skip_absent: bool) -> None:
        self.orders = orders
        self.users = users
        self.assignees = assignees
        self.skip_absent = skip_absent

    @classmethod
    def load(cls, s: Session, now: datetime, tz: tzinfo, *, skip_absent: bool = False,
             task_ids: Iterable[int] | None = None) -> ActingMap:
        """The running Plh./Plt. orders, and who each open task was handed to (of `task_ids`
        only, when given: the sweep's due tasks; reading every open task's assignments made a
        sweep grow with the open tasks, docs/BENCHMARKS.md)."""
        orders = running_orders(s, now, tz)
        ids = {o.acting_user_id for o in orders}
        users = {u.id: u for u in s.scalars(select(m.User).where(
            m.User.id.in_(ids), m.User.aktif, m.User.unreachable_at.is_(None)))} if ids else {}
        return cls(orders, users, current_assignees(s, task_ids), skip_absent)

    def apply(self, users: list[m.User], role: Peran) -> list[m.User]:
        """`users` (the role's own holders) with whoever acts for the role; when alerting, an
        absent official for whom someone acts is left out (reminders, escalations)."""
        orders = [o for o in self.orders if o.peran == role.value]
        if not orders:
            return users
        absent = {o.absent_user_id for o in orders} if self.skip_absent else set()
        found = [u for u in users if u.id not in absent]
        for order in orders:
            person = self.users.get(order.acting_user_id)
            if person is not None and all(u.id != person.id for u in found):
                found.append(person)
        return found

    def for_task(self, task_id: int, users: list[m.User]) -> list[m.User]:
        """A reassigned task reaches its one assignee; any other task, `users`."""
        if task_id not in self.assignees:
            return users
        person = self.assignees[task_id]
        return [person] if person is not None and person.aktif else users


def current_assignees(s: Session, task_ids: Iterable[int] | None = None) -> dict[int, m.User | None]:
    """task id -> the person it was handed to (None: back to the role), for open tasks (of
    `task_ids`, when given)."""
    wanted = None if task_ids is None else list(task_ids)
    if wanted == []:
        return {}
    found = list(s.scalars(_ASSIGNMENTS) if wanted is None else s.scalars(_ASSIGNMENTS_OF, {"ids": wanted}))
    if wanted is not None and found:
        still_open = set(s.scalars(_OPEN_OF, {"ids": list({row.task_id for row in found})}))
        found = [row for row in found if row.task_id in still_open]
    latest: dict[int, m.TaskAssignment] = {}
    for row in found:
        latest[row.task_id] = row
    return {task_id: (s.get(m.User, a.user_id) if a.user_id else None) for task_id, a in latest.items()}


# -- authorisation and capacity ---------------------------------------------------------------

def actor_for(s: Session, user: m.User, row: m.Task, now: datetime, tz: tzinfo) -> Actor:
    """The Actor for `user` on task `row`: in the task's role while an order makes them act for
    it; refused when the task was handed to somebody else."""
    assignee = current_assignees(s, [row.id]).get(row.id)
    if assignee is not None and assignee.id != user.id:
        raise NotYourTask("acting.task_reassigned", nama=assignee.nama)
    if user.peran != row.role and order_of(s, user.id, row.role, now, tz) is not None:
        return Actor(user.id, row.role, None)
    if user.peran != row.role and row.role in ACTABLE:
        past = s.scalars(select(m.ActingOrder).where(
            m.ActingOrder.acting_user_id == user.id, m.ActingOrder.peran == row.role)
            .order_by(m.ActingOrder.id.desc())).first()
        if past is not None and row.status == TaskStatus.OPEN and not (past.mulai > today(now, tz) and past.ended_at is None):
            raise NotYourTask("acting.order_ended", label=label(past), sampai=formatting.tanggal(past.sampai),
                              role=row.role.label)
    return Actor(user.id, user.peran, user.opd_kode)


def capacity(s: Session, user: m.User, role: Peran | str, at: datetime | None, tz: tzinfo) -> str | None:
    """'Plh. Asisten Administrasi Umum' when `user` acted for `role` at `at`, else None."""
    if at is None or user.peran == Peran(role).value:
        return None
    order = order_of(s, user.id, role, at, tz)
    return label(order) if order is not None else None


def actor_label(s: Session, user: m.User, actor: Actor, at: datetime, tz: tzinfo) -> str:
    """The audit trail's name of the actor: 'Nama selaku Plh. Sekretaris Daerah' when acting."""
    selaku = capacity(s, user, actor.peran, at, tz) if actor.peran is not user.peran else None
    return f"{user.nama} selaku {selaku}"[:200] if selaku else user.nama


def signer_for(s: Session, user: m.User, at: datetime | None, tz: tzinfo) -> Signer:
    """The letter's signature block for `user`: 'Plh. SEKRETARIS DAERAH,' over their own name,
    pangkat and NIP while they act for the Sekda."""
    from bot.services.letter_context import JABATAN_SEKDA, Signer

    order = order_of(s, user.id, Peran.SEKDA, at, tz) if at is not None and user.peran is not Peran.SEKDA else None
    if order is None:
        return Signer.of_user(user)
    return Signer(nama=user.nama, jabatan=JABATAN_SEKDA, pangkat=user.pangkat or "", nip=user.nip or "",
                  selaku=JENIS[order.jenis])


def jabatan_for(s: Session, user: m.User, role: Peran | str, at: datetime, tz: tzinfo) -> str:
    """The jabatan printed under a paraf (lembar disposisi): the acting capacity, or the user's."""
    return capacity(s, user, role, at, tz) or user.jabatan or user.peran.label


def visible_tasks(s: Session, user: m.User, rows: Sequence[m.Task]) -> list[m.Task]:
    """Drop the tasks that were handed to somebody else (for /tugas)."""
    assigned = current_assignees(s, [r.id for r in rows]) if rows else {}
    return [r for r in rows if (to := assigned.get(r.id)) is None or to.id == user.id]
