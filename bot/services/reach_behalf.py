"""Records that Tim SAKIP makes on behalf of an OPD with no operator on the bot (part of
bot.services.reach): the receipt of the letter (on paper or by e-mail: who received it, when) and
the submission (the file the OPD sent by e-mail).

A record goes through the engine as the OPD's own action (the engine sees the OPD as the actor)
and runs the same hooks as the OPD's own press; who really recorded it is kept on the task
(`on_behalf_by`), on the OPD's progress (`received_via`, `received_by_name`) and in the audit
trail ("Rina (Tim SAKIP Kabupaten) atas nama Kecamatan Delang").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.documents import wording
from bot.roles import Peran
from bot.services import audit
from bot.services.errors import Conflict, InvalidInput, NotRegistered
from bot.services.cycles import Cycles
from bot.services.reach import RECORDERS, operated_opds, operator_name
from bot.services.state_store import load_state, lock_cycle, save_state
from bot.services.views import TaskView, build_view
from bot.sop.definition import StepKind
from bot.storage import Database, get_row, RowMissing
from bot.storage import models as m
from bot.workflow import ActionKind, Actor, CycleStatus, DocumentDue, TaskClosed, TaskNotFound, TaskStatus

#: How a letter reached an OPD without an operator, as Tim SAKIP records it.
VIA = ("fisik", "surel")  # how the letter reached the OPD; its wording: templates/documents/wording.yaml
MAX_NAME = 200


@dataclass(frozen=True)
class OnBehalfItem:
    """An open OPD task that Tim SAKIP may record: the receipt (step 8) or the submission (9)."""

    task_id: int
    opd_kode: str
    opd_nama: str
    kind: str  # "receipt" | "submission"


class OnBehalf:
    def __init__(self, db: Database, clock: Clock, cycles: Cycles) -> None:
        self.db = db
        self.clock = clock
        #: The cycle use-cases: their SOP catalog, notifier and document producers, so that a
        #: record renders and stores exactly what the OPD's own press would.
        self.cycles = cycles

    def open_items(self, telegram_id: int) -> list[OnBehalfItem]:
        """What this Tim SAKIP member (or admin) may record now, OPD by OPD."""
        with self.db.transaction(write=False) as s:
            self._recorder(s, telegram_id)
            rows = s.execute(select(m.Task, m.PerangkatDaerah.nama)
                             .join(m.Cycle, m.Cycle.id == m.Task.cycle_id)
                             .join(m.PerangkatDaerah, m.PerangkatDaerah.kode == m.Task.opd_kode)
                             .where(m.Cycle.status == CycleStatus.OPEN, m.Task.status == TaskStatus.OPEN)
                             .order_by(m.Task.id)).all()
            operated = operated_opds(s)
            items = []
            for row, nama in rows:
                kind = self._item_kind(s, row)
                if kind is not None and row.opd_kode is not None and row.opd_kode not in operated:
                    items.append(OnBehalfItem(row.id, row.opd_kode, nama, kind))
            return items

    def check(self, telegram_id: int, task_id: int, kind: str) -> OnBehalfItem:
        """The item, if this user may record it now; otherwise the reason (a DomainError)."""
        with self.db.transaction(write=False) as s:
            self._recorder(s, telegram_id)
            row = self._task(s, task_id, kind)
            kode = _opd_of(row)
            nama = s.scalar(select(m.PerangkatDaerah.nama).where(m.PerangkatDaerah.kode == kode))
            return OnBehalfItem(row.id, kode, nama or kode, kind)

    def record_receipt(self, telegram_id: int, task_id: int, via: str, receiver: str,
                       received_at: datetime | None = None) -> TaskView:
        """Step 8 for an OPD without an operator: the letter was received on paper or by e-mail
        by `receiver`, at `received_at` (between the distribution and now; None: now)."""
        if via not in VIA:
            raise InvalidInput("reach.via_unknown")
        receiver = clean_receiver(receiver)
        extra = {"diterima_melalui": via, "diterima_oleh": receiver}
        return self._record(telegram_id, task_id, "receipt", ActionKind.CONFIRM_RECEIPT, received_at, None,
                            {}, extra)

    def record_submission(self, telegram_id: int, task_id: int, attachment: Mapping[str, Any],
                          note: str | None = None) -> TaskView:
        """Step 9 for an OPD without an operator: what Tim SAKIP received from it by e-mail."""
        if not attachment:
            raise InvalidInput("reach.file_required")
        return self._record(telegram_id, task_id, "submission", ActionKind.SUBMIT, None, note,
                            {"attachment": dict(attachment)}, {"lampiran": attachment.get("filename")})

    def _record(self, telegram_id: int, task_id: int, kind: str, action: ActionKind, at: datetime | None,
                note: str | None, payload: dict[str, Any], extra: dict[str, Any]) -> TaskView:
        now = self.clock.now()
        with self.db.transaction() as s:
            user = self._recorder(s, telegram_id)
            row = self._task(s, task_id, kind)
            kode = _opd_of(row)
            when = at or now
            if when > now:
                raise InvalidInput("reach.received_in_future")
            if when < row.started_at:
                raise InvalidInput("reach.received_before_distribution")
            cycle = lock_cycle(s, row.cycle_id)
            if cycle is None:  # the task's own cycle (a foreign key)
                raise RowMissing(f"Cycle {row.cycle_id} does not exist")
            wf = self.cycles.catalog.workflow(s, cycle)
            state, ids = load_state(s, cycle)
            try:
                t = wf.act(state, row.seq, action, Actor(user.id, Peran.OPD, row.opd_kode), when,
                                      note, payload)
                ids = save_state(s, cycle, state, t.state, ids)
            except TaskClosed:
                raise Conflict("reach.already_recorded") from None
            opd_nama = s.scalar(select(m.PerangkatDaerah.nama).where(m.PerangkatDaerah.kode == row.opd_kode))
            atas_nama = {"opd": row.opd_kode, "opd_nama": opd_nama, "dicatat_oleh": user.nama,
                         "peran": user.peran.label, **extra}
            for effect in t.effects:  # as Cycles.act: the documents that fall due (the attachment)
                if isinstance(effect, DocumentDue):
                    self.cycles.producers[effect.kind](s, cycle, user, effect, t, {**payload, "atas_nama": atas_nama},
                                                       now)
            s.refresh(row)
            row.on_behalf_by = user.id
            if kind == "receipt":
                progress = s.scalars(select(m.CycleOpd).where(m.CycleOpd.cycle_id == cycle.id,
                                                              m.CycleOpd.opd_kode == kode)).one()
                progress.received_via, progress.received_by_name = extra["diterima_melalui"], extra["diterima_oleh"]
            audit.record(s, at=now, action=f"task_{action.value}", entity="task", entity_id=row.id,
                         actor_id=user.id, cycle_id=cycle.id,
                         actor_label=f"{user.nama} ({user.peran.label}) atas nama {opd_nama}",
                         before={"task": state.task(row.seq), "opd": state.opd(kode)},
                         after={"task": t.state.task(row.seq), "opd": t.state.opd(kode),
                                "atas_nama": atas_nama, "waktu": when})
            s.flush()
            self.cycles.notifier.apply(s, cycle, t.effects, ids, user, now, wf)
            s.flush()
            return build_view(s, wf.sop, wf, cycle, row)

    def _recorder(self, s: Session, telegram_id: int) -> m.User:
        user = s.scalar(select(m.User).where(m.User.telegram_id == telegram_id, m.User.aktif))
        if user is None:
            raise NotRegistered()
        if user.peran not in RECORDERS:
            raise InvalidInput("reach.recorder_only")
        return user

    def _item_kind(self, s: Session, row: m.Task) -> str | None:
        step = self.cycles.catalog.workflow(s, get_row(s, m.Cycle, row.cycle_id)).sop.step(row.step)
        if step.kind is StepKind.DISTRIBUTION and row.opd_kode is not None:
            return "receipt"
        if step.kind is StepKind.SUBMISSION and row.opd_kode is not None:
            return "submission"
        return None

    def _task(self, s: Session, task_id: int, kind: str) -> m.Task:
        row = s.get(m.Task, task_id)
        if row is None or self._item_kind(s, row) != kind:
            raise TaskNotFound()
        if row.status != TaskStatus.OPEN or get_row(s, m.Cycle, row.cycle_id).status != CycleStatus.OPEN:
            raise Conflict("reach.task_not_open")
        operator = operator_name(s, row.opd_kode)
        if operator is not None:
            raise Conflict("reach.has_operator", operator=operator)
        return row



def receipt_fields(via: str | None, by_name: str | None, opd_nama: str, recorder: m.User) -> dict[str, str]:
    """What a tanda terima prints for a receipt Tim SAKIP recorded on the OPD's behalf (the person
    who received it, and how); nothing for a receipt the OPD confirmed in the bot."""
    if via not in VIA or not by_name:
        return {}
    return {"diterima_oleh_nama": by_name,
            "diterima_oleh_jabatan": wording.atas_nama("jabatan_penerima", opd=opd_nama),
            "via": wording.atas_nama("dicatat", cara=wording.atas_nama_cara(via), nama=recorder.nama,
                                     peran=recorder.peran.label)}


def clean_receiver(text: str | None) -> str:
    """The name of who received the letter at the OPD, as typed (spaces tidied)."""
    receiver = " ".join((text or "").split())
    if not receiver or len(receiver) > MAX_NAME:
        raise InvalidInput("reach.receiver_required", limit=MAX_NAME)
    return receiver


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
        raise InvalidInput("reach.received_unreadable")
    return datetime.combine(day, at, tz)


def _opd_of(row: m.Task) -> str:
    """The Perangkat Daerah of an item recorded on its behalf (its task is per OPD)."""
    if row.opd_kode is None:
        raise TaskNotFound()
    return row.opd_kode
