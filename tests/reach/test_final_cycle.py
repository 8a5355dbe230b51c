"""Issue 12's closing end-to-end test: the Asisten on cuti (a Plh. acts at steps 2 and 6), the Sekda
signing through a Plh., one OPD with no operator recorded on its behalf by Tim SAKIP, and the cycle
closes with an audit trail that names every acting person and the record on behalf."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.demo import appoint_plh_asisten, run_cycle
from bot.simulation import Simulation, default_people
from bot.storage import models as m
from scheduler.sweep import Sweep
from tests.e2e.conftest import OPDS
from tests.e2e.test_acting import KABAG, KADISDIK


async def test_acting_officials_and_an_opd_recorded_on_its_behalf_in_one_cycle(tmp_path):
    people = [p for p in default_people(OPDS) if p.opd != "KEC-DELANG"] + [KADISDIK]
    async with Simulation(tmp_path, opds=OPDS, people=people) as sim:
        await appoint_plh_asisten(sim)
        sim.svc.acting.add("sekda", KADISDIK.telegram_id, date(2026, 11, 27), date(2026, 11, 25),
                           dasar="Surat Perintah Bupati Lamandau Nomor 800.1.11.1/46/BKPSDM/XI/2026")

        async def next_day(sim) -> None:
            sim.advance(days=1)
            await Sweep(sim.svc).run_once()
            await sim.settle()

        await run_cycle(sim, returned_opd="dinsos", asisten="kabag", signer="kadisdik", before_signing=next_day)
        with sim.svc.db.transaction(write=False) as s:
            cycle = s.scalar(select(m.Cycle))
            labels = set(s.execute(select(m.AuditLog.action, m.AuditLog.actor_label)
                                   .where(m.AuditLog.cycle_id == cycle.id)).all())
            delang = s.scalar(select(m.CycleOpd).where(m.CycleOpd.opd_kode == "KEC-DELANG"))
        sim.double.assert_no_violations()
    assert cycle.status == "closed" and delang.status == "terverifikasi"
    assert ("task_forward", f"{KABAG} selaku Plh. Asisten Administrasi Umum") in labels
    assert ("task_approve", f"{KABAG} selaku Plh. Asisten Administrasi Umum") in labels
    assert ("task_sign", f"{KADISDIK.nama} selaku Plh. Sekretaris Daerah") in labels
    behalf = "Rina Wulandari, S.E. (Tim SAKIP Kabupaten) atas nama Kecamatan Delang"
    assert ("task_confirm_receipt", behalf) in labels and ("task_submit", behalf) in labels
