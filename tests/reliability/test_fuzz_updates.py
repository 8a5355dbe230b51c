"""Random updates through the real Application and the Bot API double: callback data of 0-64 bytes
(near-valid forms included), texts, commands, documents and edited messages, from registered and
unregistered users. Held: no traceback or ERROR log, no Bot API spec violation, no change to the
database by anyone not entitled to it.

ESAKIP_SOAK_UPDATES sets how many updates are sent (default 200, for `make test`);
ESAKIP_SOAK_REPORT names a JSON file for the counts."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.demo import SAMPLE_PDF
from bot.simulation import Simulation
from bot.storage import models as m
from tests.e2e.conftest import OPDS
from tests.e2e.test_rules import to_step

UPDATES = int(os.environ.get("ESAKIP_SOAK_UPDATES", "200"))
BATCH = 25
STRANGERS = (9001, 9002)
REGISTERED = ("sekda", "asisten", "kabag", "tim1", "tim2", "disdik", "dinsos", "kec-delang")
#: Tables whose rows an unregistered person must never change (invite_attempts may grow).
GUARDED = (m.User, m.Invite, m.Cycle, m.Task, m.CycleOpd, m.Outbox, m.AuditLog, m.Document)

NAMESPACES = ["t", "k", "x", "f", "s", "a", "r", "m", "h", "zz", "T", ""]
ACTIONS = ["fw", "fn", "ap", "ds", "rc", "ok", "rk", "ar", "sg", "sy", "bt", "dr", "sb", "rt", "no",
           "tte", "kirim", "batal", "nomor", "tanggal", "hal", "pratinjau", "tutup", "ack", "nudge",
           "xlsx", "pdf", "chart", "csv", "", "zz_top"]
IDS = st.one_of(st.integers(0, 80).map(str), st.sampled_from(["", "-1", "9" * 18, "9" * 19, "9" * 40, "١٢",
                                                             "01", " 1", "1\n", "0x10"]))
COMMANDS = ["/start", "/start token-palsu", "/tugas", "/mulai", "/mulai 2026", "/mulai 1899", "/rekap",
            "/rekap belum", "/rekap terlambat", "/rekap DISDIK", "/rekap 2026", "/bantuan", "/batal",
            "/verifikasi", "/verifikasi ABCD-1234", "/monitoring", "/riwayat", "/plh", "/tidakada",
            "/start@esakip_lamandau_bot", "/mulai@bot_lain"]


def _bounded(text: str, limit: int = 64) -> str:
    data = text.encode()[:limit]
    return data.decode("utf-8", "ignore")


near_valid = st.builds(lambda ns, action, id: f"{ns}:{action}:{id}", st.sampled_from(NAMESPACES),
                       st.sampled_from(ACTIONS), IDS)
callback_data = st.one_of(near_valid, st.text(max_size=64).map(_bounded), st.just(""),
                          st.binary(max_size=64).map(lambda b: _bounded(b.decode("latin-1"))))
texts = st.one_of(st.sampled_from(COMMANDS), st.text(min_size=1, max_size=300),
                  st.sampled_from(["31-12-2026", "2026", "Sesuai", "<b>tebal</b>", "&amp;", "x" * 1200]))
file_names = st.one_of(st.sampled_from(["../../../x.pdf", "laporan.pdf", "data.xlsx", "CON.pdf", ".pdf",
                                        "foto.jpg", "virus.exe", "a" * 250 + ".pdf", "surat\u202efdp.exe"]),
                       st.text(min_size=1, max_size=80))
people = st.one_of(st.sampled_from(REGISTERED), st.sampled_from(STRANGERS))

update = st.one_of(
    st.tuples(st.just("button"), st.sampled_from(REGISTERED), st.integers(0, 10**6)),  # a real button
    st.tuples(st.just("press"), people, callback_data, st.integers(0, 10**6)),
    st.tuples(st.just("text"), people, texts),
    st.tuples(st.just("document"), people, file_names, st.sampled_from(["pdf", "junk"]),
              st.sampled_from(["application/pdf", "application/octet-stream", "image/jpeg"])),
    st.tuples(st.just("edit"), people, texts, st.integers(0, 10**6)),
)


@dataclass
class Counts:
    updates_sent: int = 0
    tracebacks: int = 0
    error_logs: int = 0
    bypasses: int = 0
    spec_violations: int = 0
    by_kind: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


class ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.records.append(record)


def snapshot(sim: Simulation) -> dict[str, list[tuple]]:
    with sim.svc.db.transaction(write=False) as s:
        return {model.__tablename__: sorted(
            tuple(str(getattr(row, c.key)) for c in model.__table__.columns)
            for row in s.scalars(select(model))) for model in GUARDED}


def chat_id(sim: Simulation, who: str | int) -> int:
    return who if isinstance(who, int) else sim.tg(who)


async def send(sim: Simulation, item: tuple) -> None:
    kind, who = item[0], item[1]
    user = chat_id(sim, who)
    mine = sim.double.messages_for(user)
    if kind == "button":
        buttons = [(msg, b) for msg in mine if msg.direction == "bot→user" for row in msg.buttons
                   for b in row if b.data and not b.data.startswith("http")]
        if not buttons:
            return
        if item[2] % 2:  # half the time a button of the newest message that has one, as people do
            newest = buttons[-1][0].message_id
            buttons = [(msg, b) for msg, b in buttons if msg.message_id == newest]
        msg, button = buttons[item[2] // 2 % len(buttons)]
        await sim.double.press_raw(user, msg.message_id, button.data)
    elif kind == "press":
        ids = [msg.message_id for msg in mine] or [1]
        await sim.double.press_raw(user, ids[item[3] % len(ids)], item[2])
    elif kind == "text":
        if item[2].strip():
            await sim.double.send_text(user, item[2])
    elif kind == "document":
        content = SAMPLE_PDF if item[3] == "pdf" else b"\x00\x01 bukan pdf"
        await sim.double.upload(user, item[2], content, item[4])
    elif kind == "edit":
        own = [msg for msg in mine if msg.direction == "user→bot" and msg.text is not None]
        if not own or not item[2].strip():
            return
        await sim.double.edit_text(user, own[item[3] % len(own)], item[2])
    await sim.settle()


def audit_bypasses(sim: Simulation, who: str | int, after_id: int) -> list[str]:
    """New task audit records must be the presser's own, on a task of their role (and OPD)."""
    problems = []
    with sim.svc.db.transaction(write=False) as s:
        actor = s.scalar(select(m.User).where(m.User.telegram_id == chat_id(sim, who)))
        for row in s.scalars(select(m.AuditLog).where(m.AuditLog.id > after_id)):
            if row.actor_id is not None and (actor is None or row.actor_id != actor.id):
                problems.append(f"{who}: audit {row.action} recorded for user {row.actor_id}")
            if row.action.startswith("task_") and row.entity == "task" and actor is not None:
                task = s.get(m.Task, int(row.entity_id))
                opd_task = task.role in ("opd", "kepala_opd")
                same_role = task.role == actor.peran or (opd_task and actor.peran in ("opd", "kepala_opd"))
                if not same_role or (opd_task and task.opd_kode != actor.opd_kode):
                    problems.append(f"{who} ({actor.peran}) did {row.action} on task {task.id} of {task.role}")
    return problems


def last_audit(sim: Simulation) -> int:
    with sim.svc.db.transaction(write=False) as s:
        return max(s.scalars(select(m.AuditLog.id)).all(), default=0)


async def run_batch(sim: Simulation, batch: list[tuple], counts: Counts, errors: ErrorLog) -> None:
    for item in batch:
        who = item[1]
        stranger = isinstance(who, int)
        before = snapshot(sim) if stranger else None
        audit_mark = last_audit(sim)
        seen_errors, seen_violations = len(errors.records), len(sim.double.violations)
        await send(sim, item)
        counts.updates_sent += 1
        counts.by_kind[item[0]] += 1
        problems = audit_bypasses(sim, who, audit_mark)
        if stranger and snapshot(sim) != before:
            problems.append(f"unregistered {who} changed the database with {item!r}")
        counts.bypasses += len(problems)
        new_errors = errors.records[seen_errors:]
        counts.tracebacks += sum(1 for r in new_errors if r.exc_info)
        counts.error_logs += len(new_errors)
        new_violations = sim.double.violations[seen_violations:]
        counts.spec_violations += len(new_violations)
        for problem in [*problems, *(r.getMessage() for r in new_errors), *new_violations]:
            counts.problems.append(f"{problem}  <- {item!r}"[:400])


def test_fuzzed_updates_break_nothing(tmp_path: Path) -> None:
    counts, errors = Counts(), ErrorLog()
    logging.getLogger().addHandler(errors)
    loop = asyncio.new_event_loop()
    sim = Simulation(tmp_path / "fuzz", opds=OPDS)
    started = time.monotonic()
    try:
        loop.run_until_complete(sim.__aenter__())
        for who in STRANGERS:
            sim.double.add_user(who, first_name="Tamu")
        # a cycle under way at the OPDs' steps (receipts, reports with uploads, verification), so
        # that real buttons (a fifth of the updates) walk it forward; earlier steps get presses too
        loop.run_until_complete(to_step(sim, 9))

        @settings(max_examples=max(1, -(-UPDATES // BATCH)), deadline=None, database=None,
                  phases=[Phase.generate], suppress_health_check=list(HealthCheck))
        @given(st.lists(update, min_size=BATCH, max_size=BATCH))
        def one_batch(batch: list[tuple]) -> None:
            left = UPDATES - counts.updates_sent
            if left > 0:
                loop.run_until_complete(run_batch(sim, batch[:left], counts, errors))

        one_batch()
        with sim.svc.db.transaction(write=False) as s:
            actions = Counter(a for a in s.scalars(select(m.AuditLog.action)))
    finally:
        try:
            loop.run_until_complete(sim.__aexit__(None, None, None))
        finally:
            loop.close()
            logging.getLogger().removeHandler(errors)
    report = {"updates_sent": counts.updates_sent, "tracebacks": counts.tracebacks,
              "error_logs": counts.error_logs, "bypasses": counts.bypasses,
              "spec_violations": counts.spec_violations, "by_kind": dict(counts.by_kind),
              "transitions": sum(n for a, n in actions.items() if a.startswith("task_")),
              "audit_actions": dict(actions),
              "seconds": round(time.monotonic() - started, 1), "problems": counts.problems[:50]}
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if os.environ.get("ESAKIP_SOAK_REPORT"):
        Path(os.environ["ESAKIP_SOAK_REPORT"]).write_text(json.dumps(report, ensure_ascii=False, indent=2))
    assert counts.updates_sent == UPDATES
    assert not counts.problems, "\n".join(counts.problems[:20])
