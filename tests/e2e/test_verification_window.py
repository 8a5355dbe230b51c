"""The verification window closes no earlier than the letter's batas waktu plus the SOP's
verification time (issue 13 item 2): an OPD reporting at 14.00 on its last day is verified,
not "tidak selesai"; the recap and the monitoring form show the same pair of dates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot import formatting
from bot.demo import open_from_queue
from bot.storage import models as m
from bot.demo_checklist import verify_by_checklist
from tests.e2e.conftest import cycle_to

LAST_DAY = datetime(2027, 1, 11, 14, 0, tzinfo=formatting.WIB)


async def test_an_opd_reporting_on_its_last_afternoon_is_verified_within_the_window(sim):
    await cycle_to(sim, until_step=9, batas_waktu="11-01-2027")
    with sim.svc.db.transaction(write=False) as s:
        cycle = s.scalar(select(m.Cycle))
        deadline, window = cycle.letter_deadline, cycle.window_closes_at
    assert formatting.waktu_lengkap(deadline, formatting.WIB) == "Senin, 11 Januari 2027 pukul 16.00 WIB"
    assert window > deadline  # 30 Hari counted from the end of the batas waktu
    await sim.press("disdik", "Terima surat")
    sim.advance(seconds=(LAST_DAY - sim.clock.now()).total_seconds())
    await sim.press("disdik", "Laporkan selesai")
    await sim.say("disdik", "Data kinerja telah diisi pada aplikasi E-SAKIP.")
    await sim.press("disdik", "Kirim laporan")
    assert sim.svc.cycles.close_due_windows() == []  # the sweep closes nothing on the last day
    sim.advance(hours=1)
    await open_from_queue(sim, "tim1", "Dinas Pendidikan")
    await verify_by_checklist(sim, "tim1", "Dinas Pendidikan")
    with sim.svc.db.transaction(write=False) as s:
        disdik = s.scalar(select(m.CycleOpd).where(m.CycleOpd.opd_kode == "DISDIK"))
        assert disdik.status == "terverifikasi" and disdik.submitted_at is not None
    pair = (f"Batas waktu pengisian: Senin, 11 Januari 2027 pukul 16.00 WIB; "
            f"batas waktu verifikasi: {formatting.waktu_lengkap(window, formatting.WIB)}.")
    await sim.say("tim1", "/rekap")
    assert pair in sim.last_text("tim1")
    await sim.say("kabag", "/monitoring")
    assert any(pair in msg.plain_text for msg in sim.messages("kabag")[-3:])
