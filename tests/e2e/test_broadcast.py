"""Distributing the signed letter to 40 OPDs with 2 operators each stays within Telegram's limits."""

from __future__ import annotations

from bot.fakegram import RateLimits
from bot.services.directory import OpdRow
from bot.simulation import Person, Simulation, default_people
from bot.workflow import ActionKind as A

OPDS = [OpdRow(f"OPD{i:02d}", f"Perangkat Daerah Uji {i:02d}", f"PD{i:02d}") for i in range(1, 41)]
LETTER = {"nomor": "000.8/5/SETDA-ORG/XI/2026", "tanggal": "2026-11-24", "sifat": "Penting",
          "lampiran": "1 (satu) berkas", "batas_waktu_pengisian": "2026-12-31",
          "hal": "Pengisian Data Kinerja Perangkat Daerah pada Aplikasi E-SAKIP"}


def two_operators_each() -> list[Person]:
    people = [p for p in default_people(OPDS) if p.peran != "opd"]
    for i, opd in enumerate(OPDS):
        for n in (1, 2):
            people.append(Person(f"{opd.kode.lower()}-{n}", 3000 + 2 * i + n, f"Operator {n} {opd.singkatan}",
                                 "opd", opd.kode))
    return people


async def test_broadcast_to_80_operators_gets_no_429(tmp_path):
    async with Simulation(tmp_path, opds=OPDS, people=two_operators_each(),
                          rate_limits=RateLimits()) as sim:  # Telegram's limits: 30/s, 1/s per chat
        svc = sim.svc
        svc.cycles.start(sim.tg("sekda"))

        def step(who, action, **kw):
            task = svc.cycles.open_tasks_for(sim.tg(who))[0]
            svc.cycles.act(sim.tg(who), task.id, action, **kw)

        for who in ("sekda", "asisten", "kabag"):
            step(who, A.FORWARD)
        step("tim1", A.SUBMIT_DRAFT, payload=LETTER)
        step("kabag", A.APPROVE)
        step("asisten", A.APPROVE)
        step("sekda", A.SIGN)
        await sim.settle()
        before = sim.double.stats.methods["sendDocument"]
        await sim.press("tim1", "Distribusikan surat")
        operators = [p for p in sim.people.values() if p.peran == "opd"]
        for person in operators:
            received = sim.messages(person.key)
            assert any(msg.file is not None for msg in received), person.key
            assert any("Terima surat" in [b.text for row in msg.buttons for b in row] for msg in received)
        assert sim.double.stats.methods["sendDocument"] - before == 80
        assert sim.double.stats.too_many_requests == 0
        sim.double.assert_no_violations()
