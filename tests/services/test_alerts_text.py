"""A sweep renders a reminder once for every task that differs only in its Perangkat Daerah:
each text it writes must be exactly the direct render of that task's reminder."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert, select

from bot import messages
from bot.formatting import WIB
from bot.services.directory import OpdRow
from bot.services.views import build_view, opd_names
from bot.storage import models as m

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=WIB)
#: Names the template must escape, and one without an OPD (an official's task).
EXTRA = [OpdRow("BPKAD", "Badan Pengelolaan Keuangan & Aset <Daerah>", ""),
         OpdRow("DPMPTSP", "Dinas Penanaman Modal \"Satu Pintu\"", "")]


def test_each_reminder_is_its_own_tasks_direct_render(svc, clock):
    clock.set(NOW)
    svc.directory.import_opd(EXTRA)
    svc.directory.add_user(3001, "Operator BPKAD", "opd", "BPKAD")
    svc.directory.add_user(3002, "Operator DPMPTSP", "opd", "DPMPTSP")
    with svc.db.transaction() as s:
        cycle = m.Cycle(sop_name="esakip", sop_version=1, tahun=2026, status="open", opened_at=NOW,
                        opened_by=s.scalar(select(m.User.id).where(m.User.telegram_id == 1001)), letter={})
        s.add(cycle)
        s.flush()
        rows, seq = [], 0
        # Two deadlines for step 9 across five OPDs, plus a step-8 task and an official's task.
        for due in (NOW - timedelta(hours=1), NOW - timedelta(minutes=30)):
            for kode in ("DISDIK", "DINSOS", "KEC-DELANG", "BPKAD", "DPMPTSP"):
                seq += 1
                rows.append(dict(cycle_id=cycle.id, seq=seq, step=9, role="opd", opd_kode=kode, status="open",
                                 started_at=NOW - timedelta(days=10), due_at=due, alert_level=0,
                                 next_alert_at=NOW - timedelta(minutes=5)))
        rows.append(dict(cycle_id=cycle.id, seq=seq + 1, step=8, role="opd", opd_kode="BPKAD", status="open",
                         started_at=NOW - timedelta(days=2), due_at=NOW - timedelta(minutes=10), alert_level=0,
                         next_alert_at=NOW - timedelta(minutes=5)))
        rows.append(dict(cycle_id=cycle.id, seq=seq + 2, step=3, role="kabag", opd_kode=None, status="open",
                         started_at=NOW - timedelta(hours=3), due_at=NOW - timedelta(minutes=20), alert_level=0,
                         next_alert_at=NOW - timedelta(minutes=5)))
        s.execute(insert(m.Task), rows)
    result = svc.alerts.sweep()
    assert result.tasks == 12 and result.reminders >= 12
    with svc.db.transaction(write=False) as s:
        sent = s.scalars(select(m.Outbox).where(m.Outbox.purpose.in_(["reminder", "due"]))).all()
        names = opd_names(s)
        cycle = s.get(m.Cycle, cycle.id)
        checked = set()
        for message in sent:
            row = s.get(m.Task, message.task_id)
            view = build_view(s, svc.sop, svc.workflow, cycle, row)
            assert view.opd_nama == (names.get(row.opd_kode) if row.opd_kode else None)
            assert message.purpose == "due"  # every task here is past its deadline
            late = NOW - row.due_at > svc.alerts.tolerance
            direct = messages.render("reminder", tz=WIB, task=view, alert=message.purpose, now=NOW, late=late)
            assert message.payload["text"] == direct, row.opd_kode
            checked.add(row.id)
    assert len(checked) == 12
    texts = [m_.payload["text"] for m_ in sent]
    assert any("Keuangan &amp; Aset &lt;Daerah&gt;" in t for t in texts)
    assert not any("\x00" in t for t in texts)
