"""What a Tim SAKIP queue shows, read from the database: the waiting OPDs with who took which,
and one member's page of it as a message (text and buttons). bot.services.antrian_pesan keeps
the members' messages up to date with it; bot.services.antrian is the pure part (order, pages,
buttons)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import messages
from bot.services.antrian import PENERIMAAN, VERIFIKASI, Page, QueueItem, reply_markup
from bot.sop.definition import StepKind
from bot.storage import models as m
from bot.workflow import TaskStatus, Workflow

#: The step kind each queue lists.
KIND = {VERIFIKASI: StepKind.VERIFICATION, PENERIMAAN: StepKind.DISTRIBUTION}


def items(s: Session, cycle: m.Cycle, wf: Workflow, jenis: str) -> list[QueueItem]:
    """The open per-OPD tasks of the queue's step kind, with who has taken which."""
    steps = [st.no for st in wf.sop.steps if st.kind is KIND[jenis]]
    rows = s.scalars(select(m.Task).where(m.Task.cycle_id == cycle.id, m.Task.status == TaskStatus.OPEN,
                                          m.Task.opd_kode.is_not(None), m.Task.step.in_(steps))).all()
    names: dict[str | None, m.PerangkatDaerah] = {o.kode: o for o in s.scalars(select(m.PerangkatDaerah).where(
        m.PerangkatDaerah.kode.in_({r.opd_kode for r in rows})))}
    takes = {t.task_id: t for t in s.scalars(select(m.QueueTake).where(
        m.QueueTake.task_id.in_([r.id for r in rows])))} if jenis == VERIFIKASI else {}
    takers = {u.id: u.nama for u in s.scalars(select(m.User).where(
        m.User.id.in_({t.user_id for t in takes.values()})))}
    found = []
    for row in rows:
        opd, take = names[row.opd_kode], takes.get(row.id)
        found.append(QueueItem(row.id, opd.kode, opd.nama, row.started_at, opd.singkatan or "",
                               take.user_id if take else None, takers.get(take.user_id) if take else None,
                               take.taken_at if take else None))
    return found


def payload(s: Session, cycle: m.Cycle, wf: Workflow, jenis: str, page: Page, viewer: int, now: datetime,
            tz: tzinfo) -> dict[str, Any]:
    """One member's page of the queue as a message (`tz`: the deployment's zone)."""
    step = wf.sop.step_of_kind(KIND[jenis])
    status = Counter(s.scalars(select(m.CycleOpd.status).where(m.CycleOpd.cycle_id == cycle.id)))
    text = messages.render(f"antrian/{jenis}", tz=tz, judul=wf.sop.title, tahun=cycle.tahun, step=step,
                           total_steps=wf.sop.total_steps, page=page, viewer=viewer, status=status,
                           total=sum(status.values()), window=cycle.window_closes_at,
                           deadline=cycle.letter_deadline, now=now)
    return {"text": text, "reply_markup": reply_markup(page, jenis, viewer)}
