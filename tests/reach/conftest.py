from __future__ import annotations

import pytest

from bot.simulation import Person, Simulation, default_people
from tests.e2e.conftest import OPDS

#: Kecamatan Delang has no operator; Dinas Sosial has an operator and a registered Kepala.
KEPALA = Person("kadinsos", 3001, "Drs. Yohanes Tumbang, M.Si.", "kepala_opd", "DINSOS", jabatan="Kepala Dinas Sosial")
ADMIN = Person("admin", 9001, "Admin Organisasi", "admin")


@pytest.fixture
async def sim(tmp_path):
    people = [p for p in default_people(OPDS) if p.opd != "KEC-DELANG"] + [KEPALA, ADMIN]
    async with Simulation(tmp_path, opds=OPDS, people=people) as simulation:
        yield simulation
        simulation.double.assert_no_violations()
