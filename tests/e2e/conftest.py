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
