"""The command menu follows the tables that decide who may use each command; every command in a
menu has its description in templates/chat/labels.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

import bot
from bot.presentation.labels import command
from bot.roles import Peran
from bot.services.menus import commands_for
from bot.sop import load_sops

DATA = Path(bot.__file__).parent / "data"
ESAKIP = load_sops(DATA / "sop-esakip.yaml")
BOTH = load_sops(f"{DATA / 'sop-esakip.yaml'},{DATA / 'sop-surat-masuk.yaml'}")


def test_the_menus_of_the_esakip_deployment():
    tail = ["verifikasi", "batal"]
    assert commands_for(Peran.SEKDA, ESAKIP) == ["mulai", "tugas", "rekap", "plh", "bantuan", *tail]
    assert commands_for(Peran.ADMIN, ESAKIP) == ["mulai", "tugas", "rekap", "monitoring", "riwayat", "plh",
                                                 "atasnama", "bantuan", *tail]
    assert commands_for(Peran.ASISTEN, ESAKIP) == ["tugas", "rekap", "bantuan", *tail]
    assert commands_for(Peran.KABAG, ESAKIP) == ["tugas", "rekap", "monitoring", "bantuan", *tail]
    assert commands_for(Peran.TIM_SAKIP, ESAKIP) == ["tugas", "antrian", "rekap", "monitoring", "riwayat",
                                                     "atasnama", "teguran", "bantuan", *tail]
    assert commands_for(Peran.OPD, ESAKIP) == ["tugas", "bantuan", *tail]


def test_mulai_is_offered_to_whoever_starts_one_of_the_deployments_sops():
    assert "mulai" not in commands_for(Peran.TATA_USAHA, ESAKIP)
    assert commands_for(Peran.TATA_USAHA, BOTH)[:2] == ["mulai", "tugas"]
    assert command("mulai", "tata_usaha") == "Catat surat masuk (mulai siklus)"
    assert command("tugas", "kepala_opd") == "Tugas Perangkat Daerah"
    assert command("tugas", "opd") == "Tugas saya"


@pytest.mark.parametrize("peran", list(Peran))
def test_every_command_of_every_menu_is_described(peran):
    for name in commands_for(peran, BOTH):
        assert command(name, peran.value).strip()
