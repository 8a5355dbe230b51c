"""The Tim SAKIP queue's pure part (bot/services/antrian.py): order, pages, buttons."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot import callbacks
from bot.services.antrian import (PAGE_SIZE, PENERIMAAN, VERIFIKASI, QueueItem, keyboard, ordered, page_count,
                                  paginate, queued_kind)
from bot.sop.definition import StepKind

T0 = datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc)


def items(n: int) -> list[QueueItem]:
    """n OPDs, the newest first (task ids descending too), so that order has work to do."""
    return [QueueItem(task_id=100 - i, opd_kode=f"OPD{i:02d}", opd_nama=f"Dinas Nomor {i}",
                      since=T0 - timedelta(minutes=i), opd_singkatan=f"D{i}") for i in range(n)]


def test_oldest_first_and_ties_in_task_order():
    queue = items(5)
    assert [i.opd_kode for i in ordered(queue)] == ["OPD04", "OPD03", "OPD02", "OPD01", "OPD00"]
    same = [QueueItem(7, "B", "B", T0), QueueItem(3, "A", "A", T0)]
    assert [i.task_id for i in ordered(same)] == [3, 7]


def test_pages_of_ten_clamped_at_both_ends():
    queue = items(25)
    assert page_count(25) == 3 and page_count(0) == 1 and page_count(PAGE_SIZE) == 1
    first, last = paginate(queue, 0), paginate(queue, 2)
    assert (len(first.items), first.first, first.has_prev, first.has_next) == (10, 1, False, True)
    assert (len(last.items), last.first, last.has_prev, last.has_next) == (5, 21, True, False)
    assert paginate(queue, 99).number == 2 and paginate(queue, -4).number == 0  # the queue shrank, or forged
    assert paginate([], 3).items == () and paginate([], 3).pages == 1
    seen = [i.opd_kode for n in range(3) for i in paginate(queue, n).items]
    assert seen == [i.opd_kode for i in ordered(queue)]  # every OPD once, in order


def test_buttons_one_per_opd_then_the_pages_and_who_took_it():
    queue = items(12)
    mine = QueueItem(1, "X", "Dinas X", T0 - timedelta(days=1), "DX", taken_by=5, taken_by_nama="Rina Wulandari, S.E.")
    theirs = QueueItem(2, "Y", "Dinas Y", T0 - timedelta(days=1), "", taken_by=6, taken_by_nama="Agus Prasetyo")
    page = paginate([*queue, mine, theirs], 0)
    rows = keyboard(page, VERIFIKASI, viewer_id=5)
    texts = [b["text"] for row in rows for b in row]
    assert texts[:2] == ["1. DX (Bapak/Ibu)", "2. Dinas Y (Agus)"]
    assert len(rows) == 11 and texts[-1] == "Berikutnya ›"
    for row in rows:
        for b in row:
            data = callbacks.decode(b["callback_data"])
            assert data.ns == "aq" and len(b["callback_data"]) <= 64
    assert callbacks.decode(rows[0][0]["callback_data"]).id == 1  # the task it opens
    middle = keyboard(paginate(items(25), 1), VERIFIKASI, viewer_id=5)
    assert [b["text"] for b in middle[-1]] == ["‹ Sebelumnya", "Berikutnya ›"]
    assert [callbacks.decode(b["callback_data"]).id for b in middle[-1]] == [0, 2]
    receipts = keyboard(paginate(items(25), 0), PENERIMAAN, viewer_id=5)
    assert [[b["text"] for b in row] for row in receipts] == [["Berikutnya ›"]]  # nothing to open
    assert keyboard(paginate(items(3), 0), PENERIMAAN, viewer_id=5) == []


def test_which_tasks_are_queued():
    assert queued_kind(StepKind.VERIFICATION, "DISDIK") == VERIFIKASI
    assert queued_kind(StepKind.DISTRIBUTION, "DISDIK") == PENERIMAAN
    assert queued_kind(StepKind.DISTRIBUTION, None) is None  # Tim SAKIP's own distribution task
    assert queued_kind(StepKind.SUBMISSION, "DISDIK") is None
