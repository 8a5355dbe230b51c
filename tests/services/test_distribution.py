"""The distribution of the signed letter: who receives what (an OPD's operators, its Kepala when
it has no reachable operator, the Kepala's read-only copy beside an operator, nobody where nobody
is registered), and a unit of work whose statements do not grow with the number of Perangkat
Daerah (it once ran about ten per OPD: 2,400 for 200)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, select, update

from bot.services.container import build_services
from bot.services.directory import OpdRow
from bot.storage import models as m
from bot.workflow import ActionKind as A

from .conftest import PEOPLE, settings_for
from .test_cycles import act, to_signed_letter


def regency(db, clock, tmp_path, count: int):
    """`count` OPDs: PD00 with two operators, PD01 with only its Kepala, PD02 with an operator and
    its Kepala, PD03 with nobody, PD04 with an unreachable operator and its Kepala; the rest one
    operator each."""
    svc = build_services(settings_for(db.url, tmp_path / f"data{count}"), clock=clock, db=db)
    svc.directory.import_opd([OpdRow(f"PD{i:02d}", f"Perangkat Daerah {i:02d}", f"PD{i:02d}") for i in range(count)])
    for telegram_id, nama, peran, opd in PEOPLE.values():
        if peran != "opd":
            svc.directory.add_user(telegram_id, nama, peran, opd)
    people = {0: [("opd", 1), ("opd", 2)], 1: [("kepala_opd", 1)], 2: [("opd", 1), ("kepala_opd", 2)],
              3: [], 4: [("opd", 1), ("kepala_opd", 2)]}
    for i in range(count):
        for peran, n in people.get(i, [("opd", 1)]):
            svc.directory.add_user(chat(i, n), f"{peran} {i} ({n})", peran, f"PD{i:02d}")
    with db.transaction() as s:
        s.execute(update(m.User).where(m.User.telegram_id == chat(4, 1)).values(unreachable_at=clock.now()))
    return svc


def chat(opd: int, n: int) -> int:
    return 50_000 + opd * 10 + n


@contextmanager
def counted(db):
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def sent(svc) -> dict[int, list[tuple[str, str]]]:
    with svc.db.transaction(write=False) as s:
        rows = s.scalars(select(m.Outbox).where(m.Outbox.chat_id >= 50_000).order_by(m.Outbox.id)).all()
        out: dict[int, list[tuple[str, str]]] = {}
        for row in rows:
            out.setdefault(row.chat_id, []).append((row.kind, row.purpose))
        return out


def test_each_opd_is_sent_the_letter_by_whom_it_can_reach(db, clock, tmp_path):
    svc = regency(db, clock, tmp_path, 8)
    to_signed_letter(svc, 2026)
    act(svc, "tim1", A.DISTRIBUTE)
    task = [("document", "task")]  # the letter with its receipt button
    copy = [("document", "info"), ("message", "head_copy")]  # the Kepala's read-only copy
    assert sent(svc) == {
        chat(0, 1): task, chat(0, 2): task,  # both operators
        chat(1, 1): task,  # no operator: the Kepala receives the task itself
        chat(2, 1): task, chat(2, 2): copy,
        # PD03: nobody; PD04: its operator is unreachable, so its Kepala holds the task
        chat(4, 2): task,
        chat(5, 1): task, chat(6, 1): task, chat(7, 1): task,
    }


def test_the_distribution_reads_less_than_once_per_opd(db, clock, tmp_path):
    count = 40
    svc = regency(db, clock, tmp_path, count)
    to_signed_letter(svc, 2026)
    with counted(db) as statements:
        act(svc, "tim1", A.DISTRIBUTE)
    assert len(sent(svc)) == count + 1  # PD00 two operators, PD02 a Kepala beside, PD03 nobody
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # 29 on 2026-12-03 for 8 OPDs as for 40; about ten per OPD before (the view, the letter, the
    # held documents, the Kepala, the operator were each read again for every OPD).
    assert len(reads) < count, reads
