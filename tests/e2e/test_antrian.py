"""One screen for 40 OPDs (issue 13 item 7): Tim SAKIP's verification queue and receipt status,
one message per member kept up to date in place, through the Bot API double."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.demo import SAMPLE_PDF, open_from_queue
from bot.demo_checklist import verify_by_checklist
from bot.fakegram.records import Direction
from bot.services.directory import OpdRow
from bot.simulation import Simulation
from bot.storage import models as m
from bot.workflow import ActionKind
from tests.e2e.conftest import cycle_to

QUEUE = "🔎 Antrian Verifikasi"
RECEIPTS = "📨 Penerimaan Surat"


def many(n: int) -> list[OpdRow]:
    return [OpdRow(f"OPD{i:02d}", f"Dinas Nomor {i:02d}", f"D{i:02d}") for i in range(n)]


@pytest.fixture
async def big(tmp_path):
    async with Simulation(tmp_path, opds=many(25)) as simulation:
        yield simulation
        simulation.double.assert_no_violations()


def open_task(sim, kode: str) -> int:
    with sim.svc.db.transaction(write=False) as s:
        return s.scalar(select(m.Task.id).where(m.Task.opd_kode == kode, m.Task.status == "open",
                                                m.Task.role == "opd"))


async def opd_acts(sim, kodes, action: ActionKind, minutes: float = 2) -> None:
    """Each OPD in turn takes `action` on its open task (as its button would), the clock moving."""
    for kode in kodes:
        sim.advance(minutes=minutes)
        sim.svc.cycles.act(sim.tg(kode.lower()), open_task(sim, kode), action,
                           note="Data kinerja telah diisi." if action is ActionKind.SUBMIT else None)
        await sim.settle()


def queue_messages(sim, who: str, head: str = QUEUE) -> list:
    return [msg for msg in sim.messages(who) if msg.plain_text.startswith(head)]


def labels(message) -> list[str]:
    return [b.text for row in message.buttons for b in row]


def answer(sim, query_id: str) -> str:
    return sim.double.callback_answers[query_id].text or ""


async def test_twenty_five_submissions_are_one_message_of_three_pages(big):
    sim = big
    await cycle_to(sim, until_step=9)
    kodes = [o.kode for o in sim.opds]
    await opd_acts(sim, kodes, ActionKind.CONFIRM_RECEIPT)
    await opd_acts(sim, list(reversed(kodes)), ActionKind.SUBMIT)  # OPD24 reports first
    for who in ("tim1", "tim2"):
        assert len(queue_messages(sim, who)) == 1, who  # one message, edited 25 times
    queue = queue_messages(sim, "tim1")[0]
    text = queue.plain_text
    assert "Menunggu verifikasi: 25 Perangkat Daerah" in text and "Halaman 1 dari 3" in text
    assert text.count("Memeriksa dan memastikan data kinerja") == 1  # the kegiatan, once
    assert text.index("1. Dinas Nomor 24") < text.index("10. Dinas Nomor 15") and "Dinas Nomor 14" not in text
    assert labels(queue) == [f"{n}. D{24 - n + 1:02d}" for n in range(1, 11)] + ["Berikutnya ›"]
    await sim.press("tim1", "Berikutnya ›")
    queue = queue_messages(sim, "tim1")[0]
    assert "Halaman 2 dari 3" in queue.plain_text and "11. Dinas Nomor 14" in queue.plain_text
    assert labels(queue)[-2:] == ["‹ Sebelumnya", "Berikutnya ›"]
    await sim.press("tim1", "Berikutnya ›")
    queue = queue_messages(sim, "tim1")[0]
    assert "Halaman 3 dari 3" in queue.plain_text and "25. Dinas Nomor 00" in queue.plain_text
    assert labels(queue)[-1] == "‹ Sebelumnya" and len(labels(queue)) == 6
    await sim.press("tim1", "‹ Sebelumnya")
    assert "Halaman 2 dari 3" in queue_messages(sim, "tim1")[0].plain_text
    assert "Halaman 1 dari 3" in queue_messages(sim, "tim2")[0].plain_text  # each member turns their own
    # an OPD verified on page 1 leaves the queue; tim1 stays on page 2, which now starts one later
    await open_from_queue(sim, "tim2", "Dinas Nomor 24")
    await verify_by_checklist(sim, "tim2", "Dinas Nomor 24")
    queue = queue_messages(sim, "tim1")[0]
    assert "Menunggu verifikasi: 24 Perangkat Daerah" in queue.plain_text and "Terverifikasi 1" in queue.plain_text
    assert "Halaman 2 dari 3" in queue.plain_text and "11. Dinas Nomor 13" in queue.plain_text
    assert "Dinas Nomor 24" not in queue_messages(sim, "tim2")[0].plain_text


async def test_opening_an_opd_sends_its_submission_and_the_other_member_sees_who_took_it(sim):
    await cycle_to(sim, until_step=9)
    await sim.press("disdik", "Terima surat")
    await sim.press("dinsos", "Terima surat")
    receipts = queue_messages(sim, "tim2", RECEIPTS)
    assert len(receipts) == 1 and "2 dari 3" in receipts[0].plain_text and "1. Kecamatan Delang" in receipts[0].plain_text
    before = len(sim.messages("tim1"))
    sim.advance(minutes=30)
    await sim.press("disdik", "Laporkan selesai")
    await sim.upload("disdik", "Rancangan_LKj_Disdik_2026.pdf", SAMPLE_PDF, "application/pdf")
    await sim.press("disdik", "Kirim laporan")
    arrived = sim.messages("tim1")[before:]
    assert [msg.plain_text.splitlines()[0] for msg in arrived] == [
        "🔎 Antrian Verifikasi Pengisian E-SAKIP Tahun Kinerja 2026"]  # no file, no task message yet
    assert labels(arrived[0]) == ["1. Disdik"]
    before = len(sim.messages("tim1"))
    qid = await sim.press("tim1", "1. Disdik")
    assert "Dinas Pendidikan" in answer(sim, qid)
    opened = sim.messages("tim1")[before:]
    assert [msg.file.file_name for msg in opened if msg.file] == ["Rancangan_LKj_Disdik_2026.pdf"]
    task = opened[-1]
    assert "Perangkat Daerah: Dinas Pendidikan" in task.plain_text and "✅ Renstra" in labels(task)  # the checklist
    assert "sedang Bapak/Ibu periksa" in queue_messages(sim, "tim1")[0].plain_text
    other = queue_messages(sim, "tim2")[0]
    assert "diambil oleh Rina Wulandari, S.E." in other.plain_text and labels(other) == ["1. Disdik (Rina)"]
    before = len(sim.messages("tim2"))
    qid = await sim.press("tim2", "1. Disdik (Rina)")
    assert "sedang diperiksa oleh Rina Wulandari" in answer(sim, qid)
    assert len(sim.messages("tim2")) == before  # nothing sent: it is Rina's
    await verify_by_checklist(sim, "tim1", "Dinas Pendidikan")
    for who in ("tim1", "tim2"):
        text = queue_messages(sim, who)[0].plain_text
        assert "Tidak ada Perangkat Daerah yang menunggu verifikasi" in text and "Terverifikasi 1" in text, who
        assert not queue_messages(sim, who)[0].buttons
    with sim.svc.db.transaction(write=False) as s:
        task_id = s.scalar(select(m.Task.id).where(m.Task.step == 10, m.Task.opd_kode == "DISDIK"))
    qid = await sim.double.press_raw(sim.tg("tim2"), other.message_id, f"aq:op:{task_id}")  # a stale button
    await sim.settle()
    assert "sudah diproses (dinyatakan sesuai oleh Rina Wulandari" in answer(sim, qid)


async def test_stale_and_malformed_queue_buttons_change_nothing(sim):
    await cycle_to(sim, until_step=9)
    await sim.press("disdik", "Terima surat")
    await sim.press("disdik", "Laporkan selesai")
    await sim.press("disdik", "Kirim laporan")
    old = queue_messages(sim, "tim1")[-1]
    await sim.say("tim1", "/antrian")  # the queue again, at the bottom of the chat
    shown = queue_messages(sim, "tim1")
    assert len(shown) == 1 and shown[-1].message_id != old.message_id and labels(shown[-1]) == ["1. Disdik"]
    old = next(msg for msg in sim.messages("tim1") if msg.message_id == old.message_id)
    assert "telah diganti dengan pesan yang lebih baru" in old.plain_text and not old.buttons
    qid = await sim.double.press_raw(sim.tg("tim1"), old.message_id, "aq:pg:1")
    await sim.settle()
    assert "sudah diganti dengan pesan yang lebih baru" in answer(sim, qid)
    with sim.svc.db.transaction(write=False) as s:
        first_task = s.scalar(select(m.Task.id).where(m.Task.step == 1))
    for forged in ("aq:pg:x", "aq:zz:1", "aq:op:99999999", "aq:pg:99999999", f"aq:op:{first_task}", "aq:op:-1"):
        qid = await sim.double.press_raw(sim.tg("tim1"), shown[-1].message_id, forged)
        await sim.settle()
        assert answer(sim, qid), forged
    with sim.svc.db.transaction(write=False) as s:
        verification = s.scalar(select(m.Task.id).where(m.Task.step == 10, m.Task.opd_kode == "DISDIK"))
    own = sim.messages("disdik")[-1].message_id
    qid = await sim.double.press_raw(sim.tg("disdik"), own, f"aq:op:{verification}")  # not Tim SAKIP
    await sim.settle()
    assert answer(sim, qid)
    with sim.svc.db.transaction(write=False) as s:
        assert s.scalar(select(func.count()).select_from(m.QueueTake)) == 0
        assert s.scalar(select(m.CycleOpd.status).where(m.CycleOpd.opd_kode == "DISDIK")) == "menunggu_verifikasi"
    assert labels(queue_messages(sim, "tim1")[-1]) == ["1. Disdik"]


async def test_tugas_points_to_the_queue_instead_of_listing_each_opd(sim):
    await cycle_to(sim, until_step=9)
    for opd in ("disdik", "dinsos"):
        await sim.press(opd, "Terima surat")
        await sim.press(opd, "Laporkan selesai")
        await sim.press(opd, "Kirim laporan")
    before = len(sim.messages("tim2"))
    await sim.say("tim2", "/tugas")
    replies = [r for r in sim.messages("tim2")[before:] if r.direction is Direction.BOT_TO_USER]
    assert len(replies) == 1, [r.plain_text for r in replies]
    assert "Verifikasi 2 Perangkat Daerah" in replies[0].plain_text
    assert "/antrian" in replies[0].plain_text
    await sim.say("kabag", "/antrian")  # not a Tim SAKIP member: nothing to show
    assert "Tidak ada antrian" in sim.last_text("kabag")


async def test_a_deleted_queue_message_comes_back_and_a_new_day_brings_a_fresh_one(sim):
    await cycle_to(sim, until_step=9)
    await sim.press("disdik", "Terima surat")
    await sim.press("dinsos", "Terima surat")
    await sim.press("disdik", "Laporkan selesai")
    await sim.press("disdik", "Kirim laporan")
    first = queue_messages(sim, "tim1")[-1]
    first.deleted = True  # tim1 deleted it in the app
    await sim.restart()  # and the bot restarted meanwhile: the queue lives in the database
    await sim.press("dinsos", "Laporkan selesai")
    await sim.press("dinsos", "Kirim laporan")
    assert [v for v in sim.double.violations if "message to edit not found" in v]
    sim.double.violations.clear()
    back = queue_messages(sim, "tim1")[-1]
    assert back.message_id != first.message_id and labels(back) == ["1. Disdik", "2. Dinsos"]
    assert len(queue_messages(sim, "tim2")) == 1  # tim2's was edited in place
    earlier = queue_messages(sim, "tim2")[-1]
    sim.advance(days=1)
    await sim.press("kec-delang", "Terima surat")
    await sim.press("kec-delang", "Laporkan selesai")
    await sim.press("kec-delang", "Kirim laporan")
    fresh = queue_messages(sim, "tim2")[-1]
    assert fresh.message_id != earlier.message_id
    assert labels(fresh) == ["1. Disdik", "2. Dinsos", "3. Kec. Delang"]
    earlier = next(msg for msg in sim.messages("tim2") if msg.message_id == earlier.message_id)
    assert "telah diganti dengan pesan yang lebih baru" in earlier.plain_text and not earlier.buttons


async def test_forty_opds_reach_tim_sakip_as_a_few_messages(tmp_path):
    """Today's behaviour sent each member a task message and a file per OPD (80+ in a cycle);
    now what OPDs do reaches a member as at most two messages (the receipt status and the
    queue), and a member who opened nothing received only those."""
    async with Simulation(tmp_path, opds=many(40)) as sim:
        await cycle_to(sim, until_step=9)
        kodes = [o.kode for o in sim.opds]
        counts = {who: len(sim.messages(who)) for who in ("tim1", "tim2")}
        await opd_acts(sim, kodes, ActionKind.CONFIRM_RECEIPT, minutes=1)
        await opd_acts(sim, kodes, ActionKind.SUBMIT, minutes=1)
        for who in ("tim1", "tim2"):
            pushed = sim.messages(who)[counts[who]:]
            assert len(pushed) <= 2, (who, [msg.plain_text.splitlines()[0] for msg in pushed])
        counts["tim1"] = len(sim.messages("tim1"))
        for kode in kodes[:5]:  # tim1 verifies five; each opened on request (a file and the task)
            nama = next(o.nama for o in sim.opds if o.kode == kode)
            await open_from_queue(sim, "tim1", nama)
            await verify_by_checklist(sim, "tim1", nama)
        assert len(sim.messages("tim1")) - counts["tim1"] <= 2 * 5
        assert len(sim.messages("tim2")) - counts["tim2"] <= 2
        edits = [r for r in sim.double.requests if r.method == "editMessageText" and r.params.get("chat_id") == sim.tg("tim2")]
        assert len(edits) >= 70  # kept up to date in place instead
        assert all(msg.direction is Direction.BOT_TO_USER for msg in sim.messages("tim2"))
        sim.double.assert_no_violations()


async def test_a_burst_of_receipts_brings_each_member_one_edit(tmp_path):
    """A receipt marks the queue stale in its own unit of work; the dispatcher renders each
    member's message once for all the receipts since it last looked."""
    async with Simulation(tmp_path, opds=many(12)) as sim:
        await cycle_to(sim, until_step=9)
        before = len([r for r in sim.double.requests if r.method == "editMessageText"
                      and r.params.get("chat_id") == sim.tg("tim2")])
        for kode in [o.kode for o in sim.opds][:5]:  # five presses before the dispatcher runs
            sim.advance(minutes=1)
            sim.svc.cycles.act(sim.tg(kode.lower()), open_task(sim, kode), ActionKind.CONFIRM_RECEIPT)
        with sim.svc.db.transaction(write=False) as s:
            assert [(r.jenis, r.arrived) for r in s.scalars(select(m.QueueRefresh))] == [("penerimaan", False)]
        await sim.settle()
        edits = [r for r in sim.double.requests if r.method == "editMessageText"
                 and r.params.get("chat_id") == sim.tg("tim2")][before:]
        assert len(edits) == 1
        status = queue_messages(sim, "tim2", RECEIPTS)[-1]
        assert "Telah mengonfirmasi penerimaan: 5 dari 12 Perangkat Daerah." in status.plain_text
        with sim.svc.db.transaction(write=False) as s:
            assert s.scalar(select(func.count()).select_from(m.QueueRefresh)) == 0


async def test_a_queue_left_stale_by_a_stopped_bot_is_refreshed_when_it_starts(sim):
    await cycle_to(sim, until_step=9)
    sim.svc.cycles.act(sim.tg("disdik"), open_task(sim, "DISDIK"), ActionKind.CONFIRM_RECEIPT)
    await sim._stop_app()  # killed before its dispatcher ran: the mark is in the database
    await sim._start_app()
    await sim.settle()
    status = queue_messages(sim, "tim1", RECEIPTS)[-1]
    assert f"Telah mengonfirmasi penerimaan: 1 dari {len(sim.opds)} Perangkat Daerah." in status.plain_text


async def test_a_receipt_during_a_refresh_is_not_lost(sim):
    """The refresh renders in a read-only unit of work; a receipt marked while it renders keeps
    the queue stale for the next run instead of being swallowed by the refresh's delete."""
    await cycle_to(sim, until_step=9)
    sim.svc.cycles.act(sim.tg("disdik"), open_task(sim, "DISDIK"), ActionKind.CONFIRM_RECEIPT)
    antrian, plan = sim.svc.antrian, sim.svc.antrian._plan
    pressed = []

    def plan_while_dinsos_presses(*args, **kwargs):
        planned = plan(*args, **kwargs)
        if not pressed:  # between the reading and the writing
            pressed.append(sim.svc.cycles.act(sim.tg("dinsos"), open_task(sim, "DINSOS"), ActionKind.CONFIRM_RECEIPT))
        return planned

    antrian._plan = plan_while_dinsos_presses
    try:
        assert antrian.refresh_stale() == 1
    finally:
        antrian._plan = plan
    with sim.svc.db.transaction(write=False) as s:
        assert [(r.jenis, r.marks) for r in s.scalars(select(m.QueueRefresh))] == [("penerimaan", 2)]
    await sim.settle()
    status = queue_messages(sim, "tim1", RECEIPTS)[-1]
    assert f"Telah mengonfirmasi penerimaan: 2 dari {len(sim.opds)} Perangkat Daerah." in status.plain_text


async def test_a_failing_queue_refresh_holds_up_no_other_message(sim, caplog):
    """A bug in rendering a queue must not stop the outbox: the other messages go out, the
    queue is tried again at the next run."""
    await cycle_to(sim, until_step=9)
    antrian, refresh = sim.svc.antrian, sim.svc.antrian.refresh_stale
    calls = []

    def broken() -> int:
        calls.append(1)
        raise RuntimeError("a template broke")

    antrian.refresh_stale = broken
    try:
        await sim.press("disdik", "Terima surat")
    finally:
        antrian.refresh_stale = refresh
    assert calls and "queue refresh failed" in caplog.text
    assert sim.find_message("disdik", "Laporkan selesai")  # the next task reached the operator
    sim.double.violations.clear()
    await sim.settle()  # the next run refreshes the queue
    status = queue_messages(sim, "tim1", RECEIPTS)[-1]
    assert f"Telah mengonfirmasi penerimaan: 1 dari {len(sim.opds)} Perangkat Daerah." in status.plain_text


async def test_receipts_within_the_gap_wait_for_one_refresh(sim):
    """The bot refreshes the queues at most once per Dispatcher.QUEUE_GAP: a receipt just after
    a refresh shows at the first dispatcher run once the gap has passed, not before."""
    await cycle_to(sim, until_step=9)
    dispatcher = sim.app.bot_data["dispatcher"]
    dispatcher.queue_gap = timedelta(seconds=3)
    sim.advance(seconds=3)  # since the distribution's refresh
    sim.svc.cycles.act(sim.tg("disdik"), open_task(sim, "DISDIK"), ActionKind.CONFIRM_RECEIPT)
    await sim.settle()
    shown = f"Telah mengonfirmasi penerimaan: {{}} dari {len(sim.opds)} Perangkat Daerah."
    assert shown.format(1) in queue_messages(sim, "tim1", RECEIPTS)[-1].plain_text
    sim.advance(seconds=2)
    sim.svc.cycles.act(sim.tg("dinsos"), open_task(sim, "DINSOS"), ActionKind.CONFIRM_RECEIPT)
    await sim.settle()
    assert not dispatcher.has_news()  # no busy loop while the gap runs
    assert shown.format(1) in queue_messages(sim, "tim1", RECEIPTS)[-1].plain_text
    sim.advance(seconds=1)
    assert dispatcher.has_news()
    await sim.settle()
    assert shown.format(2) in queue_messages(sim, "tim1", RECEIPTS)[-1].plain_text
