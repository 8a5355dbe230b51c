"""Fixtures: the 40-OPD scenario seeded once per session (SQLite), copied for each test; a
half-finished cycle at HALF_WAY and a closed one."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.clock import FrozenClock
from bot.config import Settings
from bot.services.container import Services, build_services
from bot.storage import Database

from .scenario import HALF_WAY, close, drive_to_half_way


@dataclass(frozen=True)
class Seeded:
    path: Path
    data_dir: Path
    cycle_id: int
    at: object


def settings_for(db_url: str, data_dir: Path) -> Settings:
    return Settings(database_url=db_url, data_dir=data_dir, calendar="kerja", _env_file=None)


def _services(path: Path, data_dir: Path, clock: FrozenClock) -> Services:
    return build_services(settings_for(f"sqlite:///{path}", data_dir), clock=clock, db=Database(f"sqlite:///{path}"))


@pytest.fixture(scope="session")
def seeded_half(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Seeded:
    folder = tmp_path_factory.mktemp("half")
    path = folder / "esakip.db"
    shutil.copy(sqlite_template, path)
    clock = FrozenClock(HALF_WAY)
    svc = _services(path, folder / "data", clock)
    cycle_id = drive_to_half_way(svc, clock)
    svc.db.dispose()
    return Seeded(path, folder / "data", cycle_id, clock.now())


@pytest.fixture(scope="session")
def seeded_closed(tmp_path_factory: pytest.TempPathFactory, seeded_half: Seeded) -> Seeded:
    folder = tmp_path_factory.mktemp("closed")
    path = folder / "esakip.db"
    shutil.copy(seeded_half.path, path)
    clock = FrozenClock(HALF_WAY)
    svc = _services(path, seeded_half.data_dir, clock)
    close(svc, clock, seeded_half.cycle_id)
    svc.db.dispose()
    return Seeded(path, seeded_half.data_dir, seeded_half.cycle_id, clock.now())


def _copy(seeded: Seeded, tmp_path: Path) -> Iterator[tuple[Services, int]]:
    path = tmp_path / "esakip.db"
    shutil.copy(seeded.path, path)
    svc = _services(path, seeded.data_dir, FrozenClock(seeded.at))  # type: ignore[arg-type]
    yield svc, seeded.cycle_id
    svc.db.dispose()


@pytest.fixture
def half(seeded_half: Seeded, tmp_path: Path) -> Iterator[tuple[Services, int]]:
    """Services on a copy of the half-finished cycle, the clock at HALF_WAY."""
    yield from _copy(seeded_half, tmp_path)


@pytest.fixture
def closed(seeded_closed: Seeded, tmp_path: Path) -> Iterator[tuple[Services, int]]:
    """Services on a copy of the closed cycle, the clock just after it was archived."""
    yield from _copy(seeded_closed, tmp_path)


@pytest.fixture
async def sim(tmp_path: Path):
    """The bot offline (real Application, Bot API double) with three Perangkat Daerah."""
    from bot.simulation import Simulation
    from tests.e2e.conftest import OPDS

    async with Simulation(tmp_path, opds=OPDS) as simulation:
        yield simulation
        simulation.double.assert_no_violations()
