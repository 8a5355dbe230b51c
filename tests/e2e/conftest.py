from __future__ import annotations

import pytest

from bot.services.directory import OpdRow
from bot.simulation import Simulation

OPDS = [OpdRow("DISDIK", "Dinas Pendidikan", "Disdik"), OpdRow("DINSOS", "Dinas Sosial", "Dinsos"),
        OpdRow("KEC-DELANG", "Kecamatan Delang", "Kec. Delang")]


@pytest.fixture
async def sim(tmp_path):
    async with Simulation(tmp_path, opds=OPDS) as simulation:
        yield simulation
        simulation.double.assert_no_violations()


async def cycle_to(sim, batas_waktu: str = "31-12-2026", until_step: int = 8):
    """Steps 1-7 as quickly as the buttons allow (no arahan, no return); stops when step
    `until_step` is open."""
    await sim.say("sekda", "/start")
    await sim.say("sekda", "/mulai 2026")
    await sim.press("sekda", "Lewati")
    await sim.press("sekda", "Disposisikan ke Asisten")
    await sim.press("asisten", "Disposisikan ke Kabag")
    await sim.press("kabag", "Disposisikan ke Tim SAKIP")
    if until_step == 4:
        return
    await sim.press("tim1", "Isi konsep surat")
    await sim.press("tim1", "Batas waktu pengisian")
    await sim.say("tim1", batas_waktu)
    await sim.press("tim1", "Kirim ke Kabag")
    await sim.press("kabag", "Setujui")
    await sim.press("asisten", "Setujui")
    await sim.press("sekda", "Tandatangani")
    await sim.press("sekda", "Ya, tandatangani")
    if until_step > 8:
        await sim.press("tim1", "Distribusikan surat")
