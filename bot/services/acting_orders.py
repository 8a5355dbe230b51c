"""Use-cases of the Plh./Plt. orders: add, list, end, and the sweep that re-sends a role's open
tasks when a period starts and tells both people when it ends by itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from bot import formatting, messages
from bot.clock import Clock
from bot.roles import Peran, parse_peran
from bot.services import audit
from bot.services.acting import ACTABLE, JENIS, label, official, running_orders, today
from bot.services.errors import InvalidInput, NotFound
from bot.services.outbox import enqueue
from bot.services.sops import SopCatalog
from bot.services.task_messages import send_task, take_back, task_view
from bot.storage import Database, get_row
from bot.storage import models as m
from bot.workflow import TaskStatus

#: Who may appoint a Plh./Plt. from chat (the CLI is the administrator's).
APPOINTERS = (Peran.ADMIN, Peran.SEKDA)
MAX_DASAR = 300


@dataclass(frozen=True)
class OrderInfo:
    """A Plh./Plt. appointment as the Sekda and the administrator read it back."""

    id: int
    peran: Peran  # the role acted for
    jenis: str  # "plh" or "plt"
    label: str  # "Plh. Asisten Administrasi Umum"
    acting_nama: str
    acting_telegram_id: int
    absent_nama: str | None
    mulai: date
    sampai: date
    dasar: str | None
    ended_at: datetime | None

    @property
    def periode(self) -> str:
        return f"{formatting.tanggal(self.mulai)} s.d. {formatting.tanggal(self.sampai)}"


def order_info(s: Session, order: m.ActingOrder) -> OrderInfo:
    acting = get_row(s, m.User, order.acting_user_id)
    absent = s.get(m.User, order.absent_user_id) if order.absent_user_id else None
    return OrderInfo(order.id, order.peran, order.jenis, label(order), acting.nama,
                     acting.telegram_id, absent.nama if absent else None, order.mulai, order.sampai,
                     order.dasar, order.ended_at)


class ActingOrders:
    def __init__(self, db: Database, clock: Clock, catalog: SopCatalog) -> None:
        self.db = db
        self.clock = clock
        self.catalog = catalog  # each cycle's task is shown with the SOP the cycle runs
        self.tz = catalog.calendar.tz  # the deployment's zone: orders run over its local days

    # -- add, list, end ---------------------------------------------------------------------

    def add(self, peran: str, telegram_id: int, sampai: date, mulai: date | None = None,
            jenis: str = "plh", dasar: str | None = None, by_telegram_id: int | None = None) -> OrderInfo:
        now = self.clock.now()
        role = parse_peran(peran)
        jenis = (jenis or "plh").strip().lower().rstrip(".")
        if jenis not in JENIS:
            raise InvalidInput("acting.jenis_unknown", jenis=jenis)
        if role not in ACTABLE:
            raise InvalidInput("acting.role_not_actable", role=role.label, actable=[p.label for p in ACTABLE])
        mulai = mulai or today(now, self.tz)
        if mulai < today(now, self.tz):
            raise InvalidInput("acting.start_past", mulai=formatting.tanggal(mulai))
        if sampai < today(now, self.tz):
            raise InvalidInput("acting.end_past", sampai=formatting.tanggal(sampai))
        if sampai < mulai:
            raise InvalidInput("acting.end_before_start", sampai=formatting.tanggal(sampai), mulai=formatting.tanggal(mulai))
        dasar = " ".join((dasar or "").split()) or None
        if dasar and len(dasar) > MAX_DASAR:
            raise InvalidInput("acting.dasar_too_long", limit=MAX_DASAR)
        with self.db.transaction() as s:
            by = self._appointer(s, by_telegram_id)
            user = s.scalar(select(m.User).where(m.User.telegram_id == telegram_id, m.User.aktif))
            if user is None:
                raise NotFound("acting.user_unknown", telegram_id=telegram_id)
            if user.peran == role.value:
                raise InvalidInput("acting.holds_role_already", nama=user.nama, role=role.label)
            overlapping = _overlapping(s, mulai, sampai)
            same_role = next((o for o in overlapping if o.peran == role.value), None)
            if same_role is not None:
                other = order_info(s, same_role)
                raise InvalidInput("acting.role_taken", label=other.label, nama=other.acting_nama, periode=other.periode)
            busy = next((o for o in overlapping if o.acting_user_id == user.id), None)
            if busy is not None:
                raise InvalidInput("acting.person_busy", nama=user.nama, label=label(busy), periode=order_info(s, busy).periode)
            absent = s.scalars(select(m.User).where(m.User.peran == role.value, m.User.aktif)
                               .order_by(m.User.id)).first()
            order = m.ActingOrder(peran=role.value, acting_user_id=user.id,
                                  absent_user_id=absent.id if absent else None, jenis=jenis, mulai=mulai,
                                  sampai=sampai, dasar=dasar, created_at=now, created_by=by.id if by else None)
            s.add(order)
            s.flush()
            info = order_info(s, order)
            audit.record(s, at=now, action="acting_add", entity="acting_order", entity_id=order.id, **audit.by(by),
                         after={"peran": role.value, "jenis": jenis, "oleh": user.nama,
                                "menggantikan": info.absent_nama, "mulai": mulai, "sampai": sampai,
                                "dasar": dasar})
            self._tell(s, order, "acting_appointed", now, info=info)
            if mulai == today(now, self.tz):  # the period starts now: the role's open tasks go out at once
                order.started_notified_at = now
                self._resend_open_tasks(s, order, now, announce=False)
        return info

    def list_orders(self, include_past: bool = False) -> list[OrderInfo]:
        now = self.clock.now()
        with self.db.transaction(write=False) as s:
            query = select(m.ActingOrder).order_by(m.ActingOrder.mulai, m.ActingOrder.id)
            if not include_past:
                query = query.where(m.ActingOrder.sampai >= today(now, self.tz),
                                    or_(m.ActingOrder.ended_at.is_(None), m.ActingOrder.ended_at > now))
            return [order_info(s, o) for o in s.scalars(query)]

    def end(self, telegram_id: int, by_telegram_id: int | None = None) -> OrderInfo:
        now = self.clock.now()
        with self.db.transaction() as s:
            by = self._appointer(s, by_telegram_id)
            user = s.scalar(select(m.User).where(m.User.telegram_id == telegram_id))
            order = s.scalars(select(m.ActingOrder).where(
                m.ActingOrder.acting_user_id == (user.id if user else -1), m.ActingOrder.ended_at.is_(None),
                m.ActingOrder.sampai >= today(now, self.tz)).order_by(m.ActingOrder.mulai)).first()
            if order is None:
                raise NotFound("acting.no_order", telegram_id=telegram_id)
            order.ended_at, order.ended_by, order.ended_notified_at = now, by.id if by else None, now
            info = order_info(s, order)
            audit.record(s, at=now, action="acting_end", entity="acting_order", entity_id=order.id, **audit.by(by),
                         after={"peran": order.peran, "oleh": info.acting_nama, "diakhiri": now})
            self._tell(s, order, "acting_ended", now, info=info, early=True)
            self._withdraw(s, order, now)
        return info

    def candidates(self, by_telegram_id: int, peran: str) -> list[tuple[int, str, str]]:
        """Who may be appointed for `peran` from chat: (telegram id, nama, peran label)."""
        with self.db.transaction(write=False) as s:
            self._appointer(s, by_telegram_id)
            users = s.scalars(select(m.User).where(
                m.User.aktif, m.User.peran.notin_([peran, Peran.OPD, Peran.ADMIN]))
                .order_by(m.User.peran, m.User.nama)).all()
            return [(u.telegram_id, u.nama, u.peran.label) for u in users]

    def require_appointer(self, telegram_id: int) -> None:
        with self.db.transaction(write=False) as s:
            self._appointer(s, telegram_id)

    @staticmethod
    def _appointer(s: Session, telegram_id: int | None) -> m.User | None:
        return official(s, telegram_id, APPOINTERS, "acting.appointer_only")

    # -- the sweep --------------------------------------------------------------------------

    def sweep(self) -> int:
        """Start and end what is due; returns how many orders changed. Each is claimed once."""
        now = self.clock.now()
        if not self._due(now):  # the usual tick: a read, no write lock
            return 0
        done = 0
        with self.db.transaction() as s:
            for order in running_orders(s, now, self.tz):
                if order.started_notified_at is None:
                    order.started_notified_at = now
                    self._resend_open_tasks(s, order, now, announce=True)
                    done += 1
            ended = s.scalars(select(m.ActingOrder).where(
                m.ActingOrder.ended_notified_at.is_(None), m.ActingOrder.sampai < today(now, self.tz))).all()
            for order in ended:
                order.ended_notified_at = now
                info = order_info(s, order)
                audit.record(s, at=now, action="acting_expired", entity="acting_order", entity_id=order.id,
                             after={"peran": order.peran, "oleh": info.acting_nama, "sampai": order.sampai})
                self._tell(s, order, "acting_ended", now, info=info, early=False)
                self._withdraw(s, order, now)
                done += 1
        return done

    def _due(self, now: datetime) -> bool:
        with self.db.transaction(write=False) as s:
            day, o = today(now, self.tz), m.ActingOrder
            starting = and_(o.started_notified_at.is_(None), o.ended_at.is_(None), o.mulai <= day, o.sampai >= day)
            ending = and_(o.ended_notified_at.is_(None), o.sampai < day)
            return s.scalar(select(o.id).where(or_(starting, ending)).limit(1)) is not None

    def _resend_open_tasks(self, s: Session, order: m.ActingOrder, now: datetime, announce: bool) -> None:
        person = s.get(m.User, order.acting_user_id)
        rows = s.scalars(select(m.Task).where(m.Task.status == TaskStatus.OPEN, m.Task.role == order.peran)
                         .order_by(m.Task.id)).all()
        if announce:
            self._tell(s, order, "acting_started", now, info=order_info(s, order), tasks=len(rows))
        if person is None or not person.aktif:
            return
        for row in rows:
            send_task(s, person, task_view(s, self.catalog, row), now, self.tz,
                      dedup_key=f"acting:{order.id}:task:{row.id}")

    def _withdraw(self, s: Session, order: m.ActingOrder, now: datetime) -> None:
        """The acting person's copies of the role's open tasks lose their buttons."""
        copies = s.scalars(select(m.Outbox).join(m.Task, m.Task.id == m.Outbox.task_id).where(
            m.Outbox.user_id == order.acting_user_id, m.Outbox.purpose == "task",
            m.Task.status == TaskStatus.OPEN, m.Task.role == order.peran)).all()
        text = messages.render("acting/task_withdrawn", tz=self.tz, label=label(order), role=order.peran.label)
        take_back(s, copies, text, now, purpose="task_withdrawn", reason="masa tugas Plh./Plt. berakhir")

    def _tell(self, s: Session, order: m.ActingOrder, template: str, now: datetime, **context: object) -> None:
        """The acting person and the absent official, each in their own words."""
        for user_id, untuk in ((order.acting_user_id, "acting"), (order.absent_user_id, "absent")):
            user = s.get(m.User, user_id) if user_id else None
            if user is None or not user.aktif:
                continue
            text = messages.render(f"acting/{template}", tz=self.tz, untuk=untuk, **context)
            enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id, kind="message", purpose="info",
                    payload={"text": text}, dedup_key=f"acting:{order.id}:{template}:{untuk}")


def _overlapping(s: Session, mulai: date, sampai: date) -> list[m.ActingOrder]:
    """Orders not ended whose period meets [mulai, sampai]."""
    return list(s.scalars(select(m.ActingOrder).where(
        m.ActingOrder.ended_at.is_(None), m.ActingOrder.mulai <= sampai, m.ActingOrder.sampai >= mulai)))
