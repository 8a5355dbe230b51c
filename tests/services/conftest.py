from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.services.container import Services, build_services
from bot.services.directory import OpdRow

OPDS = [OpdRow("DISDIK", "Dinas Pendidikan", "Disdik"),
        OpdRow("DINSOS", "Dinas Sosial", "Dinsos"),
        OpdRow("KEC-DELANG", "Kecamatan Delang", "Kec. Delang")]

PEOPLE = {
    "sekda": (1001, "Dr. Muhamad Irwansyah", "sekda", None),
    "asisten": (1002, "Drs. Budi Santoso", "asisten", None),
    "kabag": (1003, "Siti Rahmah, S.Sos.", "kabag", None),
    "tim1": (1004, "Rina Wulandari", "tim_sakip", None),
    "tim2": (1005, "Agus Prasetyo", "tim_sakip", None),
    "disdik": (2001, "Operator Disdik", "opd", "DISDIK"),
    "dinsos": (2002, "Operator Dinsos", "opd", "DINSOS"),
    "delang": (2003, "Operator Delang", "opd", "KEC-DELANG"),
    "admin": (9001, "Admin Organisasi", "admin", None),
}


def settings_for(db_url: str, data_dir: Path) -> Settings:
    return Settings(database_url=db_url, data_dir=data_dir, calendar="kerja", _env_file=None)


@pytest.fixture
def svc(db, clock, tmp_path) -> Services:
    services = build_services(settings_for(db.url, tmp_path / "data"), clock=clock, db=db)
    services.directory.import_opd(OPDS)
    for telegram_id, nama, peran, opd in PEOPLE.values():
        services.directory.add_user(telegram_id, nama, peran, opd)
    return services
