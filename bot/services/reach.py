"""Perangkat Daerah the bot cannot reach (no operator registered yet), the Kepala OPD's copy of
the letter, and what Tim SAKIP records on such an OPD's behalf.

The records on behalf go through the engine as the OPD's own action (the engine sees the OPD as
the actor); who really recorded it is kept on the task (`on_behalf_by`), on the OPD's progress
(`received_via`, `received_by_name`) and in the audit trail.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import messages
from bot.clock import Clock
from bot.roles import Peran
from bot.services import audit
from bot.services.errors import Conflict, InvalidInput, NotRegistered
from bot.services.keyboards import task_keyboard
from bot.services.notifier import Notifier, latest_document, recipients
from bot.services.outbox import enqueue
from bot.services.state_store import load_state, lock_cycle, save_state
from bot.services.views import TaskView, build_view
from bot.sop.definition import SopDefinition, StepKind
from bot.storage import Database
from bot.storage import models as m
from bot.workflow import ActionKind, Actor, CycleState, TaskClosed, TaskNotFound, TaskOpened, Transition, Workflow

#: Who may record for an OPD and who is told which OPDs the bot cannot reach.
RECORDERS = (Peran.TIM_SAKIP, Peran.ADMIN)
#: How a letter reached an OPD without an operator, as Tim SAKIP records it.
VIA = {"fisik": "diterima secara fisik", "surel": "diterima melalui surel"}
MAX_NAME = 200


@dataclass(frozen=True)
class Unreached:
    kode: str
    nama: str


@dataclass(frozen=True)
class OnBehalfItem:
    """An open OPD task that Tim SAKIP may record: the receipt (step 8) or the submission (9)."""

    task_id: int
    opd_kode: str
    opd_nama: str
    kind: str  # "receipt" | "submission"


def unreached_opds(s: Session, kodes: list[str] | None = None) -> list[Unreached]:
    """Active OPDs (or the given ones) with no active operator registered, in list order."""
    operated = set(s.scalars(select(m.User.opd_kode).where(m.User.aktif, m.User.peran == Peran.OPD.value)))
    query = select(m.PerangkatDaerah).order_by(m.PerangkatDaerah.id)
    query = query.where(m.PerangkatDaerah.kode.in_(kodes)) if kodes is not None else query.where(
        m.PerangkatDaerah.aktif)
    return [Unreached(o.kode, o.nama) for o in s.scalars(query) if o.kode not in operated]


def has_operator(s: Session, kode: str | None) -> bool:
    return s.scalar(select(m.User.id).where(m.User.aktif, m.User.peran == Peran.OPD.value,
                                            m.User.opd_kode == kode).limit(1)) is not None


class Reach:
    def __init__(self, db: Database, clock: Clock, sop: SopDefinition, workflow: Workflow,
                 notifier: Notifier, bot_username: str) -> None:
        self.db = db
        self.clock = clock
        self.sop = sop
        self.workflow = workflow
        self.notifier = notifier
        self.bot_username = bot_username
        #: The cycle use-cases' hooks per action (set by the container once Cycles is built), so
        #: that a record on behalf renders and stores exactly what the OPD's own press would.
        self.cycle_hooks: Mapping[str, list[Any]] = {}

    # -- who cannot be reached ----------------------------------------------------------------

    def unreached(self, cycle_id: int | None = None) -> list[Unreached]:
        """The active OPDs without an operator; with a cycle: that cycle's OPDs without one."""
        with self.db.transaction(write=False) as s:
            kodes = None
            if cycle_id is not None:
                kodes = list(s.scalars(select(m.CycleOpd.opd_kode).where(m.CycleOpd.cycle_id == cycle_id)))
            return unreached_opds(s, kodes)

    def unreached_lines(self, cycle_id: int) -> list[tuple[str, str]]:
        """The cycle's OPDs without an operator, each with where it stands (for /rekap)."""
        from bot.workflow import OpdStatus

        with self.db.transaction(write=False) as s:
            kodes = list(s.scalars(select(m.CycleOpd.opd_kode).where(m.CycleOpd.cycle_id == cycle_id)))
            status = dict(s.execute(select(m.CycleOpd.opd_kode, m.CycleOpd.status).where(
                m.CycleOpd.cycle_id == cycle_id)).all())
            return [(o.nama, OpdStatus(status[o.kode]).label) for o in unreached_opds(s, kodes)]

    def notify_unreached(self, cycle_id: int, moment: str) -> int:
        """Tell the admins and Tim SAKIP which OPDs of the cycle have no operator (at /mulai and
        before distribution); returns how many OPDs were named (0: nobody is told)."""
        with self.db.transaction() as s:
            cycle = s.get(m.Cycle, cycle_id)
            return self._notify_unreached(s, cycle, moment, self.clock.now()) if cycle else 0

    def _notify_unreached(self, s: Session, cycle: m.Cycle, moment: str, now: datetime) -> int:
        kodes = list(s.scalars(select(m.CycleOpd.opd_kode).where(m.CycleOpd.cycle_id == cycle.id)))
        missing = unreached_opds(s, kodes)
        if not missing:
            return 0
        text = messages.render("opd_tanpa_operator", tahun=cycle.tahun, moment=moment, opds=missing,
                               total=len(kodes), contoh=missing[0].kode)
        for role in RECORDERS:
            for user in recipients(s, role, None):
                for index, part in enumerate(messages.split(text)):
                    enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=cycle.id,
                            kind="message", purpose="info", payload={"text": part},
                            dedup_key=f"tanpa_operator:{cycle.id}:{moment}:{user.id}:{index}")
        return len(missing)

    # -- hooks inside the cycle's unit of work -------------------------------------------------

    def hooks(self) -> dict[str, Any]:
        return {"sign": self.after_sign, "distribute": self.after_distribute,
                "confirm_receipt": self.after_receipt}

    def after_sign(self, s: Session, cycle: m.Cycle, user: m.User, before: CycleState,
                   t: Transition, payload: Mapping[str, Any], now: datetime) -> None:
        """The letter is signed and about to be distributed: name the OPDs it will not reach."""
        if any(isinstance(e, TaskOpened) and self.sop.step(e.task.step).kind is StepKind.DISTRIBUTION
               for e in t.effects):
            self._notify_unreached(s, cycle, "distribusi", now)

    def after_distribute(self, s: Session, cycle: m.Cycle, user: m.User, before: CycleState,
                         t: Transition, payload: Mapping[str, Any], now: datetime) -> None:
        """Each registered Kepala OPD receives the letter too, read-only, with a line that says
        whether their OPD confirmed receipt (edited when it does). Where the OPD has no operator
        the Kepala receives the receipt task itself (bot.services.notifier.pick_recipients)."""
        letter = latest_document(s, cycle.id, "surat_pemberitahuan")
        opened = {e.task.opd: e.task.seq for e in t.effects if isinstance(e, TaskOpened) and e.task.opd}
        if letter is None or not opened:
            return
        heads = s.scalars(select(m.User).where(m.User.aktif, m.User.unreachable_at.is_(None),
                                               m.User.peran == Peran.KEPALA_OPD.value,
                                               m.User.opd_kode.in_(list(opened)))).all()
        for head in heads:
            if not has_operator(s, head.opd_kode):
                continue
            row = s.scalar(select(m.Task).where(m.Task.cycle_id == cycle.id, m.Task.seq == opened[head.opd_kode]))
            view = build_view(s, self.sop, self.workflow, cycle, row)
            common = dict(now=now, chat_id=head.telegram_id, user_id=head.id, cycle_id=cycle.id)
            enqueue(s, **common, kind="document", purpose="info", payload={
                "document_id": letter.id, "caption": messages.render("kepala_surat", task=view)})
            enqueue(s, **common, task_id=row.id, kind="message", purpose="head_copy",
                    payload={"text": messages.render("kepala_status", task=view)})

    def after_receipt(self, s: Session, cycle: m.Cycle, user: m.User, before: CycleState,
                      t: Transition, payload: Mapping[str, Any], now: datetime) -> None:
        """The OPD confirmed receipt: the Kepala's status line says so."""
        done = next((e.task for e in t.effects if not isinstance(e, TaskOpened)), None)
        if done is None:
            return
        row = s.scalar(select(m.Task).where(m.Task.cycle_id == cycle.id, m.Task.seq == done.seq))
        copies = s.scalars(select(m.Outbox).where(m.Outbox.task_id == row.id, m.Outbox.purpose == "head_copy")).all()
        if not copies:
            return
        s.flush()
        s.refresh(row)
        view = build_view(s, self.sop, self.workflow, cycle, row)
        text = messages.render("kepala_status", task=view, oleh=user.nama, atas_nama=payload.get("atas_nama"))
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
            if user is None or Peran(user.peran) not in (Peran.OPD, Peran.KEPALA_OPD) or not user.opd_kode:
                return 0
            rows = s.scalars(select(m.Task).join(m.Cycle, m.Cycle.id == m.Task.cycle_id).where(
                m.Cycle.status == "open", m.Task.status == "open", m.Task.opd_kode == user.opd_kode)
                .order_by(m.Task.id)).all()
            sent = 0
            for row in rows:
                already = s.scalar(select(m.Outbox.id).where(m.Outbox.task_id == row.id, m.Outbox.purpose == "task",
                                                             m.Outbox.chat_id == user.telegram_id).limit(1))
                if already is not None:
                    continue
                cycle = s.get(m.Cycle, row.cycle_id)
                view = build_view(s, self.sop, self.workflow, cycle, row)
                common = dict(now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=cycle.id)
                letter = latest_document(s, cycle.id, "surat_pemberitahuan") if view.is_receipt else None
                if letter is not None:
                    enqueue(s, **common, kind="document", purpose="letter", payload={
                        "document_id": letter.id,
                        "caption": messages.render("letter_caption", letter=view.letter, deadline=cycle.letter_deadline)})
                text = messages.render("task", task=view, attachment_name=None, origin_outcome=None, origin_nama=None)
                enqueue(s, **common, task_id=row.id, kind="message", purpose="task",
                        payload={"text": text, "reply_markup": {"inline_keyboard": task_keyboard(view)}})
                sent += 1
            return sent

    # -- records on behalf of an OPD without an operator ---------------------------------------

    def open_items(self, telegram_id: int) -> list[OnBehalfItem]:
        """What this Tim SAKIP member (or admin) may record now, OPD by OPD."""
        with self.db.transaction(write=False) as s:
            self._recorder(s, telegram_id)
            rows = s.execute(select(m.Task, m.PerangkatDaerah.nama)
                             .join(m.Cycle, m.Cycle.id == m.Task.cycle_id)
                             .join(m.PerangkatDaerah, m.PerangkatDaerah.kode == m.Task.opd_kode)
                             .where(m.Cycle.status == "open", m.Task.status == "open")
                             .order_by(m.Task.id)).all()
            operated = set(s.scalars(select(m.User.opd_kode).where(m.User.aktif, m.User.peran == Peran.OPD.value)))
            items = []
            for row, nama in rows:
                kind = self._item_kind(row)
                if kind is not None and row.opd_kode not in operated:
                    items.append(OnBehalfItem(row.id, row.opd_kode, nama, kind))
            return items

    def check(self, telegram_id: int, task_id: int, kind: str) -> OnBehalfItem:
        """The item, if this user may record it now; otherwise the reason (a DomainError)."""
        with self.db.transaction(write=False) as s:
            self._recorder(s, telegram_id)
            row = self._task(s, task_id, kind)
            nama = s.scalar(select(m.PerangkatDaerah.nama).where(m.PerangkatDaerah.kode == row.opd_kode))
            return OnBehalfItem(row.id, row.opd_kode, nama or row.opd_kode, kind)

    def record_receipt(self, telegram_id: int, task_id: int, via: str, receiver: str,
                       received_at: datetime | None = None) -> TaskView:
        """Step 8 for an OPD without an operator: the letter was received on paper or by e-mail
        by `receiver`, at `received_at` (between the distribution and now; None: now)."""
        if via not in VIA:
            raise InvalidInput("Cara penerimaan harus fisik atau surel.")
        receiver = " ".join((receiver or "").split())
        if not receiver or len(receiver) > MAX_NAME:
            raise InvalidInput(f"Nama penerima wajib diisi (paling banyak {MAX_NAME} karakter).")
        extra = {"diterima_melalui": via, "diterima_oleh": receiver}
        return self._record(telegram_id, task_id, "receipt", ActionKind.CONFIRM_RECEIPT, received_at, None,
                            {}, extra)

    def record_submission(self, telegram_id: int, task_id: int, attachment: Mapping[str, Any],
                          note: str | None = None) -> TaskView:
        """Step 9 for an OPD without an operator: what Tim SAKIP received from it by e-mail."""
        if not attachment:
            raise InvalidInput("Mohon unggah berkas yang diterima dari Perangkat Daerah melalui surel.")
        return self._record(telegram_id, task_id, "submission", ActionKind.SUBMIT, None, note,
                            {"attachment": dict(attachment)}, {"lampiran": attachment.get("filename")})

    def _record(self, telegram_id: int, task_id: int, kind: str, action: ActionKind, at: datetime | None,
                note: str | None, payload: dict[str, Any], extra: dict[str, Any]) -> TaskView:
        now = self.clock.now()
        with self.db.transaction() as s:
            user = self._recorder(s, telegram_id)
            row = self._task(s, task_id, kind)
            when = at or now
            if when > now:
                raise InvalidInput("Waktu penerimaan tidak boleh setelah saat ini.")
            if when < row.started_at:
                raise InvalidInput("Waktu penerimaan tidak boleh sebelum surat didistribusikan.")
            cycle = lock_cycle(s, row.cycle_id)
            state, ids = load_state(s, cycle)
            try:
                t = self.workflow.act(state, row.seq, action, Actor(user.id, Peran.OPD, row.opd_kode), when,
                                      note, payload)
                ids = save_state(s, cycle, state, t.state, ids)
            except TaskClosed:
                raise Conflict("Tugas ini sudah dicatat sebelumnya; tidak ada yang diubah.") from None
            opd_nama = s.scalar(select(m.PerangkatDaerah.nama).where(m.PerangkatDaerah.kode == row.opd_kode))
            atas_nama = {"opd": row.opd_kode, "opd_nama": opd_nama, "dicatat_oleh": user.nama,
                         "peran": Peran(user.peran).label, **extra}
            for hook in self.cycle_hooks.get(action.value, ()):
                hook(s, cycle, user, state, t, {**payload, "atas_nama": atas_nama}, now)
            s.refresh(row)
            row.on_behalf_by = user.id
            if kind == "receipt":
                progress = s.scalar(select(m.CycleOpd).where(m.CycleOpd.cycle_id == cycle.id,
                                                             m.CycleOpd.opd_kode == row.opd_kode))
                progress.received_via, progress.received_by_name = extra["diterima_melalui"], extra["diterima_oleh"]
            audit.record(s, at=now, action=f"task_{action.value}", entity="task", entity_id=row.id,
                         actor_id=user.id, cycle_id=cycle.id,
                         actor_label=f"{user.nama} ({Peran(user.peran).label}) atas nama {opd_nama}",
                         before={"task": state.task(row.seq), "opd": state.opd(row.opd_kode)},
                         after={"task": t.state.task(row.seq), "opd": t.state.opd(row.opd_kode),
                                "atas_nama": atas_nama, "waktu": when})
            self.notifier.apply(s, cycle, t.effects, ids, user, now)
            s.flush()
            return build_view(s, self.sop, self.workflow, cycle, row)

    def _recorder(self, s: Session, telegram_id: int) -> m.User:
        user = s.scalar(select(m.User).where(m.User.telegram_id == telegram_id, m.User.aktif))
        if user is None:
            raise NotRegistered()
        if Peran(user.peran) not in RECORDERS:
            raise InvalidInput("Pencatatan atas nama Perangkat Daerah hanya dapat dilakukan oleh Tim SAKIP "
                               "atau administrator.")
        return user

    def _item_kind(self, row: m.Task) -> str | None:
        step = self.sop.step(row.step)
        if step.kind is StepKind.DISTRIBUTION and row.opd_kode is not None:
            return "receipt"
        if step.kind is StepKind.SUBMISSION and row.opd_kode is not None:
            return "submission"
        return None

    def _task(self, s: Session, task_id: int, kind: str) -> m.Task:
        row = s.get(m.Task, task_id)
        if row is None or self._item_kind(row) != kind:
            raise TaskNotFound()
        if row.status != "open" or s.get(m.Cycle, row.cycle_id).status != "open":
            raise Conflict("Tugas ini sudah tidak terbuka (sudah dicatat atau ditutup); tidak ada yang diubah.")
        if has_operator(s, row.opd_kode):
            operator = s.scalar(select(m.User.nama).where(m.User.aktif, m.User.peran == Peran.OPD.value,
                                                          m.User.opd_kode == row.opd_kode).limit(1))
            raise Conflict(f"Perangkat Daerah ini sudah memiliki operator terdaftar ({operator}); "
                           "tugas ini dikerjakan oleh operator tersebut.")
        return row


def parse_received_at(text: str, tz: Any) -> datetime:
    """'24-11-2026 10.30' (or 10:30, or a date alone: 07.30 that day) as an instant in `tz`."""
    import re
    from datetime import time as clock_time

    from bot.formatting import parse_tanggal

    value = " ".join((text or "").split())
    match = re.fullmatch(r"(.+?)(?:,? (?:pukul )?(\d{1,2})[.:](\d{2}))?", value)
    try:
        day = parse_tanggal(match[1]) if match else None
        at = clock_time(int(match[2]), int(match[3])) if match and match[2] else clock_time(7, 30)
    except ValueError:
        day = None
    if day is None:
        raise InvalidInput("Waktu penerimaan tidak dikenali; tulis misalnya 24-11-2026 10.30.")
    return datetime.combine(day, at, tz)
