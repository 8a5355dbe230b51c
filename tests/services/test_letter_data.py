"""The data letters are built from: each OPD's addressee (jabatan_pimpinan) and each signer's
pangkat and NIP, on SQLite and PostgreSQL, through the CSV import and `esakip-bot user add`."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bot.documents.alamat import SETDA_INTERNAL
from bot.services.directory import CsvImportError, Directory, bundled_opd, parse_opd_csv
from bot.services.errors import InvalidInput


def test_the_csv_takes_an_optional_jabatan_pimpinan_column():
    old = parse_opd_csv("kode,nama,singkatan\nDINSOS,Dinas Sosial,Dinsos\n")
    assert old[0].jabatan_pimpinan == ""
    rows = parse_opd_csv("kode,nama,singkatan,jabatan_pimpinan\nBPBD,Badan Penanggulangan Bencana Daerah,BPBD,"
                         "Kepala Pelaksana  Badan Penanggulangan Bencana Daerah\nDINSOS,Dinas Sosial,Dinsos,\n")
    assert [r.jabatan_pimpinan for r in rows] == ["Kepala Pelaksana Badan Penanggulangan Bencana Daerah", ""]
    with pytest.raises(CsvImportError, match="jabatan_pimpinan lebih dari 300"):
        parse_opd_csv("kode,nama,singkatan,jabatan_pimpinan\nA,Dinas A,DA," + "x" * 301 + "\n")


def test_the_bundled_list_addresses_the_sekretariat_daerahs_own_units():
    rows = {r.kode: r for r in bundled_opd()}
    assert rows["SETDA"].jabatan_pimpinan == SETDA_INTERNAL
    assert rows["DINSOS"].jabatan_pimpinan == ""  # the default rule: "Kepala Dinas Sosial"


def test_jabatan_pimpinan_is_stored_and_can_be_corrected_by_a_new_import(db, clock):
    directory = Directory(db, clock)
    directory.import_opd(parse_opd_csv("kode,nama,singkatan,jabatan_pimpinan\nBPBD,BPBD,BPBD,Kepala BPBD\n"))
    directory.import_opd(parse_opd_csv("kode,nama,singkatan,jabatan_pimpinan\n"
                                       "BPBD,BPBD,BPBD,Kepala Pelaksana BPBD\n"))
    assert directory.list_opd()[0].jabatan_pimpinan == "Kepala Pelaksana BPBD"
    directory.import_opd(parse_opd_csv("kode,nama,singkatan\nBPBD,BPBD,BPBD\n"))
    assert directory.list_opd()[0].jabatan_pimpinan == ""


def test_a_user_keeps_pangkat_and_nip(db, clock):
    directory = Directory(db, clock)
    user = directory.add_user(1001, "Drs. H. ARIF BUDIMAN, M.Si.", "sekda", jabatan="Sekretaris Daerah",
                              nip="19700512 200003 1 004", pangkat="Pembina Tingkat I (IV/b)")
    assert (user.nip, user.pangkat) == ("197005122000031004", "Pembina Tingkat I (IV/b)")
    assert directory.find_user(1001).pangkat == "Pembina Tingkat I (IV/b)"
    with pytest.raises(InvalidInput, match="NIP harus 18 angka"):
        directory.add_user(1002, "X", "kabag", nip="12345")


def test_a_missing_pangkat_or_nip_can_be_completed(db, clock):
    directory = Directory(db, clock)
    directory.add_user(1001, "Drs. H. ARIF BUDIMAN, M.Si.", "sekda")
    user = directory.update_user(1001, pangkat="Pembina Tingkat I (IV/b)", nip="197005122000031004")
    assert (user.pangkat, user.nip, user.nama) == ("Pembina Tingkat I (IV/b)", "197005122000031004",
                                                   "Drs. H. ARIF BUDIMAN, M.Si.")
    with pytest.raises(InvalidInput):
        directory.update_user(1001)


def test_user_add_takes_pangkat_on_the_command_line(tmp_path, monkeypatch):
    from bot.cli import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ESAKIP_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("ESAKIP_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    result = runner.invoke(app, ["user", "add", "--telegram-id", "1001", "--nama", "Drs. H. ARIF BUDIMAN, M.Si.",
                                 "--peran", "sekda", "--nip", "197005122000031004",
                                 "--pangkat", "Pembina Tingkat I (IV/b)", "--jabatan", "Sekretaris Daerah"])
    assert result.exit_code == 0, result.output
    from bot.config import load_settings
    from bot.services.container import build_services

    user = build_services(load_settings()).directory.find_user(1001)
    assert (user.pangkat, user.nip, user.jabatan) == ("Pembina Tingkat I (IV/b)", "197005122000031004",
                                                       "Sekretaris Daerah")
    listing = runner.invoke(app, ["opd", "list"]).output
    assert "SETDA" in listing and f"Yth. {SETDA_INTERNAL}" in listing and "Yth. Kepala Dinas Sosial" in listing
    updated = runner.invoke(app, ["user", "update", "--telegram-id", "1001", "--pangkat", "Pembina Utama Muda (IV/c)"])
    assert updated.exit_code == 0 and "pangkat Pembina Utama Muda (IV/c)" in updated.output, updated.output
