"""Perangkat Daerah the bot cannot reach (no operator registered yet): who is told, the Kepala
OPD's copy of the letter, and an operator who registers mid-cycle. What Tim SAKIP records on such
an OPD's behalf is in bot.services.reach_behalf; the list as a whole in bot.services.reach_roster.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, exists, select
from sqlalchemy.orm import Session

from bot import messages
from bot.clock import Clock
from bot.documents.alamat import pimpinan
from bot.roles import Peran
from bot.services.notifier import Notifier, latest_document, letter_task_payload
from bot.services.outbox import enqueue
from bot.services.recipients import recipients
from bot.services.sops import SopCatalog
from bot.services.task_messages import send_task, task_view
from bot.services.views import build_view
from bot.sop.definition import SopDefinition, StepKind
from bot.storage import Database, get_row
from bot.storage import models as m
from bot.workflow import CycleStatus, Effect, OpdStatus, Outcome, TaskFinished, TaskOpened, TaskStatus, Workflow

#: Who may record for an OPD and who is told which OPDs the bot cannot reach.
RECORDERS = (Peran.TIM_SAKIP, Peran.ADMIN)


@dataclass(frozen=True)
class Unreached:
    kode: str
    nama: str


#: The rule of reach: the bot reaches an OPD through its active operators.
ACTIVE_OPERATOR = and_(m.User.aktif, m.User.peran == Peran.OPD)


def operator_of(kode: Any) -> ColumnElement[bool]:
    """Whether the OPD `kode` has an active operator (`kode` a value or a column, such as
    PerangkatDaerah.kode in a query over OPDs)."""
    return exists().where(m.User.opd_kode == kode, ACTIVE_OPERATOR)


def operated_opds(s: Session) -> set[str]:
    """The codes of the OPDs that have an active operator (one query over the few users)."""
    return {kode for kode in s.scalars(select(m.User.opd_kode).where(ACTIVE_OPERATOR)) if kode}


def operator_name(s: Session, kode: str | None) -> str | None:
    """The name of one active operator of the OPD, None when it has none."""
    return s.scalar(select(m.User.nama).where(m.User.opd_kode == kode, ACTIVE_OPERATOR).limit(1)) if kode else None


def unreached_opds(s: Session, kodes: list[str] | None = None) -> list[Unreached]:
    """Active OPDs (or the given ones) with no active operator registered, in list order."""
    query = select(m.PerangkatDaerah.kode, m.PerangkatDaerah.nama).where(~operator_of(m.PerangkatDaerah.kode))
    query = query.where(m.PerangkatDaerah.kode.in_(kodes)) if kodes is not None else query.where(
        m.PerangkatDaerah.aktif)
    return [Unreached(kode, nama) for kode, nama in s.execute(query.order_by(m.PerangkatDaerah.id))]


#: The OPDs of a cycle with no active operator, with their status in the cycle, in list order.
_UNREACHED_OF_CYCLE = (
    select(m.PerangkatDaerah.nama, m.CycleOpd.status)
    .join(m.CycleOpd, m.CycleOpd.opd_kode == m.PerangkatDaerah.kode)
    .where(m.CycleOpd.cycle_id == bindparam("cycle"), ~operator_of(m.PerangkatDaerah.kode))
    .order_by(m.PerangkatDaerah.id))


def has_operator(s: Session, kode: str | None) -> bool:
    return kode is not None and bool(s.scalar(select(operator_of(kode))))


def _heads_beside_operators(s: Session) -> dict[str | None, list[m.User]]:
    """The reachable Kepala OPD of each Perangkat Daerah whose receipt task goes to a reachable
    operator, in one query. Where no operator can be reached the Kepala holds the task itself
    (recipients.pick_recipients) and is not sent the letter a second time as a copy."""
    operated: set[str | None] = set()
    heads: dict[str | None, list[m.User]] = {}
    for user in s.scalars(select(m.User).where(m.User.aktif, m.User.unreachable_at.is_(None),
                                                m.User.peran.in_([Peran.OPD, Peran.KEPALA_OPD])).order_by(m.User.id)):
        if user.peran is Peran.OPD:
            operated.add(user.opd_kode)
        else:
            heads.setdefault(user.opd_kode, []).append(user)
    return {kode: users for kode, users in heads.items() if kode in operated}


class ReachingNotifier(Notifier):
    """The Notifier, and then reach's reactions to the same effects (one unit of work)."""

    def __init__(self, sop: SopDefinition, workflow: Workflow, reach: Reach) -> None:
        super().__init__(sop, workflow)
        self.reach = reach

    def apply(self, s: Session, cycle: m.Cycle, effects: Sequence[Effect], ids: dict[int, int],
              actor: m.User | None, now: datetime, workflow: Workflow | None = None) -> None:
        super().apply(s, cycle, effects, ids, actor, now, workflow)
        self.reach.react(s, cycle, effects, ids, actor, now, workflow or self.workflow)


class Reach:
    def __init__(self, db: Database, clock: Clock, catalog: SopCatalog) -> None:
        self.db = db
        self.clock = clock
        self.tz = catalog.calendar.tz  # the deployment's zone
        self.catalog = catalog

    # -- who cannot be reached ----------------------------------------------------------------

    def unreached(self, cycle_id: int | None = None) -> list[Unreached]:
        """The active OPDs without an operator; with a cycle: that cycle's OPDs without one."""
        with self.db.transaction(write=False) as s:
            kodes = None
            if cycle_id is not None:
                kodes = list(s.scalars(select(m.CycleOpd.opd_kode).where(m.CycleOpd.cycle_id == cycle_id)))
            return unreached_opds(s, kodes)

    def unreached_lines(self, cycle_id: int) -> list[tuple[str, str]]:
        """The cycle's OPDs without an operator, each with where it stands (for /rekap, which
        asks every time: one query)."""
        with self.db.transaction(write=False) as s:
            return [(nama, OpdStatus(status).label) for nama, status in s.execute(_UNREACHED_OF_CYCLE, {"cycle": cycle_id})]

    def notify_unreached(self, cycle_id: int, moment: str) -> int:
        """Tell the admins and Tim SAKIP which OPDs of the cycle have no operator (at /mulai and
        before distribution); returns how many OPDs were named (0: nobody is told)."""
        with self.db.transaction() as s:
            cycle = s.get(m.Cycle, cycle_id)
            return self._notify_unreached(s, cycle, moment, self.clock.now()) if cycle else 0

    def _notify_unreached(self, s: Session, cycle: m.Cycle, moment: str, now: datetime) -> int:
        if not self.catalog.workflow(s, cycle).sop.has_kind(StepKind.DISTRIBUTION):
            return 0  # an SOP that sends nothing to the Perangkat Daerah
        kodes = list(s.scalars(select(m.CycleOpd.opd_kode).where(m.CycleOpd.cycle_id == cycle.id)))
        missing = unreached_opds(s, kodes)
        if not missing:
            return 0
        for role in RECORDERS:
            text = messages.render("opd_tanpa_operator", tahun=cycle.tahun, moment=moment, opds=missing,
                                   total=len(kodes), contoh=missing[0].kode, admin=role is Peran.ADMIN)
            for user in recipients(s, role, None):
                for index, part in enumerate(messages.split(text)):
                    enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=cycle.id,
                            kind="message", purpose="info", payload={"text": part},
                            dedup_key=f"tanpa_operator:{cycle.id}:{moment}:{user.id}:{index}")
        return len(missing)

    # -- reactions to a transition's effects, inside the cycle's unit of work -------------------

    def react(self, s: Session, cycle: m.Cycle, effects: Sequence[Effect], ids: dict[int, int],
              actor: m.User | None, now: datetime, wf: Workflow) -> None:
        """After the notifier: the distribution task opened (the letter is signed): name the OPDs
        it will not reach; a receipt task opened: the Kepala's read-only copy; a receipt done: the
        Kepala's status line says so."""
        heads: dict[str | None, list[m.User]] | None = None  # read once, when the first receipt opens
        letter: m.Document | None = None
        for effect in effects:
            if not isinstance(effect, (TaskOpened, TaskFinished)):
                continue
            task = effect.task
            if wf.sop.step(task.step).kind is not StepKind.DISTRIBUTION:
                continue
            if task.opd is None and isinstance(effect, TaskOpened):
                self._notify_unreached(s, cycle, "distribusi", now)
            elif isinstance(effect, TaskOpened):
                if heads is None:
                    letter = latest_document(s, cycle.id, "surat_pemberitahuan")
                    heads = _heads_beside_operators(s) if letter is not None else {}
                if letter is not None and heads.get(task.opd):
                    self._copy_to_heads(s, cycle, get_row(s, m.Task, ids[task.seq]), wf, now, heads[task.opd],
                                        letter)
            elif task.opd is not None and task.outcome is Outcome.RECEIVED:
                self._receipt_to_heads(s, cycle, get_row(s, m.Task, ids[task.seq]), wf, now)

    def _copy_to_heads(self, s: Session, cycle: m.Cycle, row: m.Task, wf: Workflow, now: datetime,
                       heads: list[m.User], letter: m.Document) -> None:
        """Each registered Kepala OPD receives the letter too, read-only, with a line that says
        whether their OPD confirmed receipt (edited when it does). Where the OPD has no operator
        the Kepala receives the receipt task itself (bot.services.recipients.pick_recipients)."""
        view = build_view(s, wf.sop, wf, cycle, row)
        opd = s.scalars(select(m.PerangkatDaerah).where(m.PerangkatDaerah.kode == row.opd_kode)).one()
        kepada = opd.jabatan_pimpinan or pimpinan(opd.nama)
        for head in heads:
            common: dict[str, Any] = dict(now=now, chat_id=head.telegram_id, user_id=head.id, cycle_id=cycle.id)
            enqueue(s, **common, kind="document", purpose="info", payload={
                "document_id": letter.id, "caption": messages.render("kepala_surat", tz=self.tz, task=view, kepada=kepada)})
            enqueue(s, **common, task_id=row.id, kind="message", purpose="head_copy",
                    payload={"text": messages.render("kepala_status", tz=self.tz, task=view)})

    def _receipt_to_heads(self, s: Session, cycle: m.Cycle, row: m.Task, wf: Workflow, now: datetime) -> None:
        copies = s.scalars(select(m.Outbox).where(m.Outbox.task_id == row.id, m.Outbox.purpose == "head_copy")).all()
        if not copies:
            return
        view = build_view(s, wf.sop, wf, cycle, row)
        progress = s.scalars(select(m.CycleOpd).where(m.CycleOpd.cycle_id == cycle.id,
                                                      m.CycleOpd.opd_kode == row.opd_kode)).one()
        recorder = s.get(m.User, row.on_behalf_by) if row.on_behalf_by else None
        atas_nama = ({"diterima_melalui": progress.received_via, "diterima_oleh": progress.received_by_name,
                      "dicatat_oleh": recorder.nama, "peran": recorder.peran.label} if recorder else None)
        text = messages.render("kepala_status", tz=self.tz, task=view, oleh=view.actor_nama, atas_nama=atas_nama)
        for copy in copies:
            enqueue(s, now=now, chat_id=copy.chat_id, user_id=copy.user_id, cycle_id=cycle.id, task_id=row.id,
                    kind="edit", purpose="head_copy_done", payload={"source_outbox_id": copy.id, "text": text})

    # -- an operator registered later: their OPD's open tasks reach them at once -----------------

    def deliver_open_tasks(self, telegram_id: int) -> int:
        """Send a newly registered operator (or Kepala) the open tasks of their OPD, with the letter
        for a receipt; returns how many tasks were sent."""
        now = self.clock.now()
        with self.db.transaction() as s:
            user = s.scalar(select(m.User).where(m.User.telegram_id == telegram_id, m.User.aktif))
            if user is None or user.peran not in (Peran.OPD, Peran.KEPALA_OPD) or not user.opd_kode:
                return 0
            if user.peran == Peran.KEPALA_OPD and has_operator(s, user.opd_kode):
                return 0  # the operator has the tasks; a Kepala receives them only without one
            rows = s.scalars(select(m.Task).join(m.Cycle, m.Cycle.id == m.Task.cycle_id).where(
                m.Cycle.status == CycleStatus.OPEN, m.Task.status == TaskStatus.OPEN, m.Task.opd_kode == user.opd_kode)
                .order_by(m.Task.id)).all()
            sent = 0
            for row in rows:
                already = s.scalar(select(m.Outbox.id).where(m.Outbox.task_id == row.id, m.Outbox.purpose == "task",
                                                             m.Outbox.chat_id == user.telegram_id).limit(1))
                if already is not None:
                    continue
                view = task_view(s, self.catalog, row)
                letter = latest_document(s, row.cycle_id, "surat_pemberitahuan") if view.is_receipt else None
                if letter is None:
                    send_task(s, user, view, now, self.tz)
                else:  # the letter is the task message, its button under it
                    cycle = get_row(s, m.Cycle, row.cycle_id)
                    enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=cycle.id,
                            task_id=row.id, kind="document", purpose="task",
                            payload=letter_task_payload(view, cycle, letter, self.tz))
                sent += 1
            return sent
