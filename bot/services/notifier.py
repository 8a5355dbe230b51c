"""Turns a transition's effects into outbox rows, in the same unit of work as the change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import messages
from bot.roles import Peran
from bot.presentation.keyboards import task_keyboard
from bot.services.outbox import CANCELLED, PENDING, enqueue
from bot.services.views import TaskView, build_view
from bot.sop.definition import SopDefinition, StepKind
from bot.storage import models as m
from bot.workflow import CycleClosed, Effect, TaskFinished, TaskOpened, WindowClosed, Workflow
from bot.workflow.kinds import KINDS, NAMED_DOCUMENTS

OFFICIALS = (Peran.SEKDA, Peran.ASISTEN, Peran.KABAG, Peran.TIM_SAKIP)

#: Documents kept per Perangkat Daerah: a per-OPD task is sent its own.
PER_OPD_DOCUMENTS = frozenset({"lampiran_opd"})


def reachable_users(s: Session) -> list[m.User]:
    return list(s.scalars(select(m.User).where(m.User.aktif, m.User.unreachable_at.is_(None))
                          .order_by(m.User.id)))


def pick_recipients(users: Sequence[m.User], role: Peran, opd: str | None) -> list[m.User]:
    """Who receives a task: the role's users; for an OPD its operators, else its head."""
    if role in (Peran.OPD, Peran.KEPALA_OPD):
        operators = [u for u in users if u.peran == Peran.OPD.value and u.opd_kode == opd]
        return operators or [u for u in users if u.peran == Peran.KEPALA_OPD.value and u.opd_kode == opd]
    return [u for u in users if u.peran == role.value]


def recipients(s: Session, role: Peran, opd: str | None) -> list[m.User]:
    return pick_recipients(reachable_users(s), role, opd)


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
        step = self.sop.step(view.step)
        wanted = step.berkas if step.berkas is not None else KINDS[step.kind].berkas
        extras = [latest_document(s, cycle.id, kind, view.opd_kode if kind in PER_OPD_DOCUMENTS else None)
                  for kind in wanted]
        named = next((d for d in extras if d is not None and d.kind in NAMED_DOCUMENTS), None)
        text = messages.render("task", task=view, attachment_name=named.filename if named else None,
                               origin_outcome=origin.outcome if origin else None,
                               origin_nama=origin.actor_nama if origin else None)
        keyboard = {"inline_keyboard": task_keyboard(view)}
        letter = latest_document(s, cycle.id, "surat_pemberitahuan") if view.is_receipt else None
        # The file Tim SAKIP attached to the letter goes with the konsep and with the letter.
        if (view.is_receipt or "konsep_surat" in wanted) and cycle.letter.get("berkas"):
            konsep = [i for i, kind in enumerate(wanted) if kind == "konsep_surat"]
            extras.insert(konsep[0] + 1 if konsep else 0, latest_document(s, cycle.id, "lampiran_surat"))
        for user in pick_recipients(self._users, view.role, view.opd_kode):
            common = dict(now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=cycle.id)
            if letter is not None:
                caption = messages.render("letter_caption", letter=view.letter,
                                          deadline=cycle.letter_deadline)
                enqueue(s, **common, kind="document", purpose="letter",
                        payload={"document_id": letter.id, "caption": caption})
            for extra in extras:
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
        recap = self.sop.step(self.sop.step_of_kind(StepKind.VERIFICATION).branches["sesuai"])
        text = messages.render("window_closed", tahun=cycle.tahun, judul=self.sop.title,
                               unfinished=[names.get(k, k) for k in unfinished],
                               recap_no=recap.no, recap_role=Peran(recap.pelaksana).label)
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
        text = messages.render("cycle_closed", tahun=cycle.tahun, at=now, judul=self.sop.title,
                               actor_nama=actor.nama if actor else "sistem",
                               verified=sum(p.status == "terverifikasi" for p in progress),
                               total=len(progress))
        for role in OFFICIALS:
            for user in recipients(s, role, None):
                if actor is None or user.id != actor.id:
                    enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id,
                            cycle_id=cycle.id, kind="message", purpose="info", payload={"text": text})
        archive = latest_document(s, cycle.id, "arsip")
        if archive is not None:  # the step-12 output, for Tim SAKIP to keep (softcopy)
            caption = messages.render("archive_caption", tahun=cycle.tahun, judul=self.sop.title)
            for user in recipients(s, Peran.TIM_SAKIP, None):
                enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=cycle.id,
                        kind="document", purpose="info", payload={"document_id": archive.id, "caption": caption})
