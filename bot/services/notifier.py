"""Turns a transition's effects into outbox rows, in the same unit of work as the change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import messages
from bot.roles import Peran
from bot.services.acting import ActingMap
from bot.services.keyboards import task_keyboard
from bot.services.outbox import CANCELLED, PENDING, enqueue
from bot.services.views import TaskView, build_view
from bot.sop.definition import SopDefinition, StepKind
from bot.storage import models as m
from bot.workflow import CycleClosed, Effect, TaskFinished, TaskOpened, WindowClosed, Workflow

OFFICIALS = (Peran.SEKDA, Peran.ASISTEN, Peran.KABAG, Peran.TIM_SAKIP)

#: The document a step's kelengkapan is, sent with its task message.
KELENGKAPAN_DOCUMENT = {StepKind.DECISION: "konsep_surat", StepKind.SIGNATURE: "konsep_surat",
                        StepKind.RECAP: "rekap"}


def reachable_users(s: Session) -> list[m.User]:
    return list(s.scalars(select(m.User).where(m.User.aktif, m.User.unreachable_at.is_(None))
                          .order_by(m.User.id)))


def pick_recipients(users: Sequence[m.User], role: Peran, opd: str | None,
                    acting: ActingMap | None = None) -> list[m.User]:
    """Who receives a task: the role's users (and who acts for them); for an OPD its operators, else its head."""
    if role in (Peran.OPD, Peran.KEPALA_OPD):
        operators = [u for u in users if u.peran == Peran.OPD.value and u.opd_kode == opd]
        return operators or [u for u in users if u.peran == Peran.KEPALA_OPD.value and u.opd_kode == opd]
    found = [u for u in users if u.peran == role.value]
    return acting.apply(found, role) if acting is not None else found


def recipients(s: Session, role: Peran, opd: str | None, now: datetime | None = None) -> list[m.User]:
    return pick_recipients(reachable_users(s), role, opd, ActingMap.load(s, now) if now else None)


def latest_document(s: Session, cycle_id: int, kind: str, opd: str | None = None) -> m.Document | None:
    query = select(m.Document).where(m.Document.cycle_id == cycle_id, m.Document.kind == kind)
    if opd is not None:
        query = query.where(m.Document.opd_kode == opd)
    return s.scalars(query.order_by(m.Document.id.desc()).limit(1)).first()


class Notifier:
    def __init__(self, sop: SopDefinition, workflow: Workflow) -> None:
        self.sop = sop
        self.workflow = workflow

    def apply(self, s: Session, cycle: m.Cycle, effects: Sequence[Effect], ids: dict[int, int],
              actor: m.User | None, now: datetime) -> None:
        origin: TaskView | None = None
        self._users = reachable_users(s)  # once per transition, not once per opened task
        self._acting = ActingMap.load(s, now)
        for effect in effects:
            if isinstance(effect, TaskFinished):
                origin = self._view(s, cycle, ids[effect.task.seq])
                self._task_finished(s, cycle, origin, actor, now)
            elif isinstance(effect, TaskOpened):
                self._task_opened(s, cycle, self._view(s, cycle, ids[effect.task.seq]), origin, now)
            elif isinstance(effect, WindowClosed):
                self._window_closed(s, cycle, effect.unfinished, now)
            elif isinstance(effect, CycleClosed):
                self._cycle_closed(s, cycle, actor, now)

    def _view(self, s: Session, cycle: m.Cycle, task_id: int) -> TaskView:
        return build_view(s, self.sop, self.workflow, cycle, s.get(m.Task, task_id))

    # -- a task opened: its message (with buttons) to every assignee ---------------------------

    def _task_opened(self, s: Session, cycle: m.Cycle, view: TaskView, origin: TaskView | None,
                     now: datetime) -> None:
        attachment = None
        if view.kind is StepKind.VERIFICATION:
            attachment = latest_document(s, cycle.id, "lampiran_opd", view.opd_kode)
        text = messages.render("task", task=view, attachment_name=attachment.filename if attachment else None,
                               origin_outcome=origin.outcome if origin else None,
                               origin_nama=origin.actor_nama if origin else None)
        keyboard = {"inline_keyboard": task_keyboard(view)}
        letter = latest_document(s, cycle.id, "surat_pemberitahuan") if view.is_receipt else None
        kelengkapan = KELENGKAPAN_DOCUMENT.get(view.kind)
        draft = latest_document(s, cycle.id, kelengkapan) if kelengkapan else None
        # The file Tim SAKIP attached to the letter goes with the konsep and with the letter.
        lampiran = (latest_document(s, cycle.id, "lampiran_surat")
                    if (view.is_receipt or kelengkapan == "konsep_surat") and cycle.letter.get("berkas") else None)
        for user in pick_recipients(self._users, view.role, view.opd_kode, self._acting):
            common = dict(now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=cycle.id)
            if letter is not None:
                caption = messages.render("letter_caption", letter=view.letter,
                                          deadline=cycle.letter_deadline)
                enqueue(s, **common, kind="document", purpose="letter",
                        payload={"document_id": letter.id, "caption": caption})
            for extra in (draft, lampiran, attachment):
                if extra is not None:
                    caption = messages.render("document_caption", kind=extra.kind, filename=extra.filename,
                                              opd_nama=view.opd_nama)
                    enqueue(s, **common, kind="document", purpose="info",
                            payload={"document_id": extra.id, "caption": caption})
            enqueue(s, **common, task_id=view.id, kind="message", purpose="task",
                    payload={"text": text, "reply_markup": keyboard})

    # -- a task finished: other people's copies are updated, and who is owed news gets it ------

    def _task_finished(self, s: Session, cycle: m.Cycle, view: TaskView, actor: m.User | None,
                       now: datetime) -> None:
        done = messages.render("task_done", task=view)
        copies = s.scalars(select(m.Outbox).where(m.Outbox.task_id == view.id,
                                                  m.Outbox.purpose == "task")).all()
        for copy in copies:
            if actor is not None and copy.chat_id == actor.telegram_id:
                if copy.status == PENDING:
                    copy.status, copy.last_error = CANCELLED, "tugas sudah selesai"
                continue
            if copy.status == PENDING:
                copy.status, copy.last_error = CANCELLED, "tugas sudah selesai"
            elif copy.status != CANCELLED:
                enqueue(s, now=now, chat_id=copy.chat_id, user_id=copy.user_id, cycle_id=cycle.id,
                        task_id=view.id, kind="edit", purpose="task_done",
                        payload={"source_outbox_id": copy.id, "text": done})
        if view.outcome == "sesuai" and view.opd_kode:
            text = messages.render("opd_verified", opd_nama=view.opd_nama, tahun=cycle.tahun,
                                   actor_nama=view.actor_nama, at=now)
            for user in recipients(s, Peran.OPD, view.opd_kode):
                enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=cycle.id,
                        kind="message", purpose="info", payload={"text": text})

    def _window_closed(self, s: Session, cycle: m.Cycle, unfinished: Sequence[str], now: datetime) -> None:
        names = dict(s.execute(select(m.PerangkatDaerah.kode, m.PerangkatDaerah.nama)).all())
        text = messages.render("window_closed", tahun=cycle.tahun,
                               unfinished=[names.get(k, k) for k in unfinished])
        for part in messages.split(text):
            for role in (Peran.KABAG, Peran.TIM_SAKIP):
                for user in recipients(s, role, None):
                    enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=cycle.id,
                            kind="message", purpose="info", payload={"text": part})
        for kode in unfinished:
            text = messages.render("opd_unfinished", tahun=cycle.tahun, opd_nama=names.get(kode, kode))
            for user in recipients(s, Peran.OPD, kode):
                enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=cycle.id,
                        kind="message", purpose="info", payload={"text": text})

    def _cycle_closed(self, s: Session, cycle: m.Cycle, actor: m.User | None, now: datetime) -> None:
        progress = s.scalars(select(m.CycleOpd).where(m.CycleOpd.cycle_id == cycle.id)).all()
        text = messages.render("cycle_closed", tahun=cycle.tahun, at=now,
                               actor_nama=actor.nama if actor else "sistem",
                               verified=sum(p.status == "terverifikasi" for p in progress),
                               total=len(progress))
        for role in OFFICIALS:
            for user in recipients(s, role, None, now):
                if actor is None or user.id != actor.id:
                    enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id,
                            cycle_id=cycle.id, kind="message", purpose="info", payload={"text": text})
        archive = latest_document(s, cycle.id, "arsip")
        if archive is not None:  # the step-12 output, for Tim SAKIP to keep (softcopy)
            caption = messages.render("archive_caption", tahun=cycle.tahun)
            for user in recipients(s, Peran.TIM_SAKIP, None):
                enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=cycle.id,
                        kind="document", purpose="info", payload={"document_id": archive.id, "caption": caption})
