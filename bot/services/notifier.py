"""Turns a transition's effects into outbox rows, in the same unit of work as the change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import messages
from bot.roles import Peran
from bot.presentation.tasks import done_text, task_reply_markup, task_text
from bot.services.acting import ActingMap
from bot.services.antrian import VERIFIKASI, queued_kind
from bot.services.outbox import CANCELLED, PENDING, enqueue
from bot.services.recipients import Reachable, pick_recipients, recipients
from bot.services.views import TaskView, build_view, opd_names
from bot.sop.definition import SopDefinition, StepKind
from bot.storage import get_row
from bot.storage import models as m
from bot.workflow import CycleClosed, Effect, OpdStatus, Outcome, TaskFinished, TaskOpened, WindowClosed, Workflow
from bot.workflow.kinds import KINDS, NAMED_DOCUMENTS

OFFICIALS = (Peran.SEKDA, Peran.ASISTEN, Peran.KABAG, Peran.TIM_SAKIP)

#: Documents kept per Perangkat Daerah: a per-OPD task is sent its own.
PER_OPD_DOCUMENTS = frozenset({"lampiran_opd"})


def latest_document(s: Session, cycle_id: int, kind: str, opd: str | None = None) -> m.Document | None:
    query = select(m.Document).where(m.Document.cycle_id == cycle_id, m.Document.kind == kind)
    if opd is not None:
        query = query.where(m.Document.opd_kode == opd)
    return s.scalars(query.order_by(m.Document.id.desc()).limit(1)).first()


class CycleDocuments:
    """The cycle's latest document of each kind, read once for a whole transition: the 40 (or
    200) receipt tasks a distribution opens are all sent the same letter."""

    def __init__(self, s: Session, cycle_id: int) -> None:
        self.s, self.cycle_id = s, cycle_id
        self._read: dict[tuple[str, str | None], m.Document | None] = {}

    def latest(self, kind: str, opd: str | None = None) -> m.Document | None:
        if (kind, opd) not in self._read:
            self._read[kind, opd] = latest_document(self.s, self.cycle_id, kind, opd)
        return self._read[kind, opd]


def letter_task_payload(view: TaskView, cycle: m.Cycle, letter: m.Document, tz: tzinfo) -> dict[str, Any]:
    """An OPD's receipt task as one document message: the signed letter, one deadline (the
    letter's), the receipt button under it."""
    keyboard = task_reply_markup(view)
    caption = messages.render("letter_task", tz=tz, task=view, deadline=cycle.letter_deadline,
                              label=keyboard["inline_keyboard"][0][0]["text"])
    return {"document_id": letter.id, "caption": caption, "reply_markup": keyboard}


def step_documents(s: Session, sop: SopDefinition, cycle: m.Cycle, view: TaskView,
                   documents: CycleDocuments | None = None) -> list[m.Document | None]:
    """The documents of the cycle a task's message is sent with (its step's `berkas`)."""
    step = sop.step(view.step)
    wanted = step.berkas if step.berkas is not None else KINDS[step.kind].berkas
    latest = (documents or CycleDocuments(s, cycle.id)).latest
    return [latest(kind, view.opd_kode if kind in PER_OPD_DOCUMENTS else None) for kind in wanted]


class Notifier:
    def __init__(self, sop: SopDefinition, workflow: Workflow) -> None:
        self.sop = sop
        self.workflow = workflow
        self.tz = workflow.calendar.tz  # the deployment's zone

    def apply(self, s: Session, cycle: m.Cycle, effects: Sequence[Effect], ids: dict[int, int],
              actor: m.User | None, now: datetime, workflow: Workflow | None = None) -> None:
        """Outbox rows for `effects` of the cycle, which runs on `workflow` (the SOP it started
        with; the notifier's own when None)."""
        wf = workflow or self.workflow
        origin: TaskView | None = None
        users = Reachable(s)  # read once per transition and role, not once per opened task
        acting = ActingMap.load(s, now, self.tz, task_ids=())  # Plh./Plt. receive the role's new tasks
        documents = CycleDocuments(s, cycle.id)
        opened = [ids[e.task.seq] for e in effects if isinstance(e, TaskOpened)]
        loaded, names = _preload_fan_out(s, opened)  # noqa: F841 (`loaded` keeps the rows in the session)
        for effect in effects:
            if isinstance(effect, TaskFinished):
                origin = self._view(s, wf, cycle, ids[effect.task.seq])
                self._task_finished(s, cycle, origin, actor, now)
            elif isinstance(effect, TaskOpened):
                self._task_opened(s, wf.sop, cycle, self._view(s, wf, cycle, ids[effect.task.seq], names), origin,
                                  now, users, acting, documents)
            elif isinstance(effect, WindowClosed):
                self._window_closed(s, wf.sop, cycle, effect.unfinished, now)
            elif isinstance(effect, CycleClosed):
                self._cycle_closed(s, wf.sop, cycle, actor, now)

    @staticmethod
    def _view(s: Session, wf: Workflow, cycle: m.Cycle, task_id: int,
              names: dict[str, str] | None = None) -> TaskView:
        return build_view(s, wf.sop, wf, cycle, get_row(s, m.Task, task_id), opd_names=names)

    # -- a task opened: its message (with buttons) to every assignee ---------------------------

    def _task_opened(self, s: Session, sop: SopDefinition, cycle: m.Cycle, view: TaskView,
                     origin: TaskView | None, now: datetime, users: Reachable,
                     acting: ActingMap | None = None, documents: CycleDocuments | None = None) -> None:
        if queued_kind(view.kind, view.opd_kode) == VERIFIKASI:
            return  # Tim SAKIP reaches it from the queue (bot.services.antrian_pesan), not one by one
        documents = documents or CycleDocuments(s, cycle.id)
        step = sop.step(view.step)
        wanted = step.berkas if step.berkas is not None else KINDS[step.kind].berkas
        extras = step_documents(s, sop, cycle, view, documents)
        named = next((d for d in extras if d is not None and d.kind in NAMED_DOCUMENTS), None)
        keyboard = task_reply_markup(view)
        letter = documents.latest("surat_pemberitahuan") if view.is_receipt else None
        # Sent with the letter, a receipt task has the letter's caption instead of this text.
        text = task_text(view, self.tz, attachment_name=named.filename if named else None) if letter is None else ""
        # The file Tim SAKIP attached to the letter goes with the konsep and with the letter.
        if (view.is_receipt or "konsep_surat" in wanted) and cycle.letter.get("berkas"):
            konsep = [i for i, kind in enumerate(wanted) if kind == "konsep_surat"]
            extras.insert(konsep[0] + 1 if konsep else 0, documents.latest("lampiran_surat"))
        for user in pick_recipients(users.candidates(view.role, view.opd_kode), view.role, view.opd_kode, acting):
            common: dict[str, Any] = dict(now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=cycle.id)
            held = documents_held(s, cycle.id, user.telegram_id) if any(extras) else set()
            if letter is not None:
                # An OPD's first contact is one message: the letter, its receipt button under it
                # (the file attached to the letter follows it).
                enqueue(s, **common, task_id=view.id, kind="document", purpose="task",
                        payload=letter_task_payload(view, cycle, letter, self.tz))
            for extra in extras:
                # A file the person already has (the same konsep for a Plh. at two steps, an
                # OPD's lampiran again after its return) is named in the task, not sent again.
                if extra is not None and extra.id not in held:
                    caption = messages.render("document_caption", kind=extra.kind, filename=extra.filename,
                                              opd_nama=view.opd_nama)
                    enqueue(s, **common, kind="document", purpose="info",
                            payload={"document_id": extra.id, "caption": caption})
            if letter is not None:
                continue
            enqueue(s, **common, task_id=view.id, kind="message", purpose="task",
                    payload={"text": text, "reply_markup": keyboard})

    # -- a task finished: other people's copies are updated, and who is owed news gets it ------

    def _task_finished(self, s: Session, cycle: m.Cycle, view: TaskView, actor: m.User | None,
                       now: datetime) -> None:
        done = done_text(view, self.tz)
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
        if view.outcome is Outcome.SESUAI and view.opd_kode:
            text = messages.render("opd_verified", tz=self.tz, opd_nama=view.opd_nama, tahun=cycle.tahun,
                                   actor_nama=view.actor_nama, at=now)
            for user in recipients(s, Peran.OPD, view.opd_kode):
                enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=cycle.id,
                        kind="message", purpose="info", payload={"text": text})

    def _window_closed(self, s: Session, sop: SopDefinition, cycle: m.Cycle, unfinished: Sequence[str],
                       now: datetime) -> None:
        names = {kode: nama for kode, nama in s.execute(select(m.PerangkatDaerah.kode, m.PerangkatDaerah.nama))}
        recap = sop.step(sop.step_of_kind(StepKind.VERIFICATION).branches["sesuai"])
        text = messages.render("window_closed", tahun=cycle.tahun, judul=sop.title,
                               unfinished=[names.get(k, k) for k in unfinished],
                               recap_no=recap.no, recap_role=Peran(recap.pelaksana).label)
        told = _once([user for role in (Peran.KABAG, Peran.TIM_SAKIP)
                      for user in recipients(s, role, None, now, tz=self.tz)])
        for part in messages.split(text):
            for user in told:
                enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=cycle.id,
                        kind="message", purpose="info", payload={"text": part})
        for kode in unfinished:
            text = messages.render("opd_unfinished", tahun=cycle.tahun, opd_nama=names.get(kode, kode))
            for user in recipients(s, Peran.OPD, kode):
                enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=cycle.id,
                        kind="message", purpose="info", payload={"text": text})

    def _cycle_closed(self, s: Session, sop: SopDefinition, cycle: m.Cycle, actor: m.User | None,
                      now: datetime) -> None:
        progress = s.scalars(select(m.CycleOpd).where(m.CycleOpd.cycle_id == cycle.id)).all()
        kinerja = any(st.fan_out for st in sop.steps)
        text = messages.render("cycle_closed", tz=self.tz, tahun=cycle.tahun, kinerja=kinerja, at=now,
                               judul=sop.title,
                               actor_nama=actor.nama if actor else "sistem",
                               verified=sum(p.status is OpdStatus.TERVERIFIKASI for p in progress),
                               total=len(progress))
        # One message per person: a Plh. holds two roles but is told once.
        officials = [user for role in _officials(sop) for user in recipients(s, role, None, now, tz=self.tz)]
        for user in _once(officials):
            if actor is None or user.id != actor.id:
                enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id,
                        cycle_id=cycle.id, kind="message", purpose="info", payload={"text": text})
        archive = latest_document(s, cycle.id, "arsip")
        if archive is not None:  # the step-12 output, for Tim SAKIP to keep (softcopy)
            caption = messages.render("archive_caption", tahun=cycle.tahun, kinerja=kinerja, judul=sop.title,
                                      rekap=sop.has_kind(StepKind.SUBMISSION),
                                      pencatatan=list(sop.identity.pencatatan))
            keeper = next((st.pelaksana for st in sop.steps if st.kind is StepKind.ARCHIVE), Peran.TIM_SAKIP)
            for user in recipients(s, Peran(keeper), None):
                enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=cycle.id,
                        kind="document", purpose="info", payload={"document_id": archive.id, "caption": caption})


def _preload_fan_out(s: Session, task_ids: list[int]) -> tuple[list[m.Task], dict[str, str] | None]:
    """For a transition that opens many tasks at once (a distribution to every Perangkat Daerah):
    the tasks into the session in one query and the OPD names in another, instead of two queries
    (and a flush of the outbox rows queued so far) per task. The caller holds the rows while it
    works: the session's identity map keeps unchanged objects only weakly."""
    if len(task_ids) <= 2:
        return [], None
    return list(s.scalars(select(m.Task).where(m.Task.id.in_(task_ids)))), opd_names(s)


def documents_held(s: Session, cycle_id: int, chat_id: int) -> set[int]:
    """The documents of the cycle already queued or sent to this chat."""
    rows = s.scalars(select(m.Outbox.payload).where(m.Outbox.cycle_id == cycle_id, m.Outbox.chat_id == chat_id,
                                                   m.Outbox.kind == "document", m.Outbox.status != CANCELLED))
    return {p["document_id"] for p in rows if p and "document_id" in p}


def _once(users: Sequence[m.User]) -> list[m.User]:
    """Each user once, in order (a person acting for a second role is listed under both)."""
    seen: set[int] = set()
    once = []
    for user in users:
        if user.id not in seen:
            seen.add(user.id)
            once.append(user)
    return once


def _officials(sop: SopDefinition) -> tuple[Peran, ...]:
    """Who is told that a cycle closed: the SOP's own roles, but the Perangkat Daerah."""
    roles = tuple(Peran(r) for r in sop.roles if not Peran(r).needs_opd)
    return roles or OFFICIALS
