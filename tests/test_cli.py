"""The command line as an operator uses it: init, opd, user, invite; bad input gets one line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for key in ("ESAKIP_DATABASE_URL", "ESAKIP_CALENDAR", "ESAKIP_SOP_FILE", "ESAKIP_TIMEZONE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ESAKIP_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("ESAKIP_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def run(*args: str):
    return runner.invoke(app, list(args))


def one_error_line(result) -> str:
    assert result.exit_code == 1, result.output
    lines = [ln for ln in result.output.strip().splitlines() if ln.strip()]
    assert len(lines) >= 1 and lines[0].startswith("Galat: "), result.output
    assert "Traceback" not in result.output
    return result.output


def test_init_loads_the_lamandau_list_once(env):
    first = run("init")
    assert first.exit_code == 0, first.output
    assert "Perangkat Daerah dimuat" in first.output
    second = run("init")
    assert second.exit_code == 0 and "dimuat" not in second.output
    listing = run("opd", "list")
    assert "DISDIK" in listing.output and "Kecamatan Delang" in listing.output


def test_user_add_list_remove(env):
    run("init")
    ok = run("user", "add", "--telegram-id", "1001", "--nama", "Dr. Muhamad Irwansyah", "--peran", "sekda",
             "--nip", "197710272003121005")
    assert ok.exit_code == 0, ok.output
    assert "Sekretaris Daerah" in ok.output
    op = run("user", "add", "--telegram-id", "2001", "--nama", "Operator Disdik", "--peran", "opd", "--opd", "DISDIK")
    assert op.exit_code == 0, op.output
    listing = run("user", "list")
    assert "1001" in listing.output and "DISDIK" in listing.output
    assert run("user", "remove", "--telegram-id", "2001").exit_code == 0
    assert "[nonaktif]" in run("user", "list").output


def test_user_add_bad_inputs_say_which_values_are_valid(env):
    run("init")
    out = one_error_line(run("user", "add", "--telegram-id", "5", "--nama", "X", "--peran", "bupati"))
    assert "sekda, asisten, kabag, tim_sakip, opd, kepala_opd, admin" in out
    out = one_error_line(run("user", "add", "--telegram-id", "5", "--nama", "X", "--peran", "opd", "--opd", "NOPE"))
    assert "Kode yang sah: SETDA" in out
    run("user", "add", "--telegram-id", "5", "--nama", "X", "--peran", "kabag")
    assert "sudah terdaftar" in one_error_line(run("user", "add", "--telegram-id", "5", "--nama", "Y", "--peran", "kabag"))
    assert "tidak terdaftar" in one_error_line(run("user", "remove", "--telegram-id", "999"))


def test_invite_prints_a_long_single_use_deep_link(env):
    run("init")
    result = run("invite", "--peran", "opd", "--opd", "DINSOS")
    assert result.exit_code == 0, result.output
    link = result.stdout.strip().splitlines()[0]
    assert link.startswith("https://t.me/esakip_lamandau_bot?start=")
    token = link.split("=", 1)[1]
    assert len(token) >= 32
    assert "opd" in one_error_line(run("invite", "--peran", "opd"))
    assert "pilihan yang sah" in one_error_line(run("invite", "--peran", "raja"))


def test_opd_import_reports_bad_rows_and_imports_nothing(env):
    run("init")
    bad = env / "opd.csv"
    bad.write_text("kode,nama,singkatan\nBARU,Dinas Baru,DB\n,Tanpa Kode,X\n", encoding="utf-8")
    out = one_error_line(run("opd", "import", str(bad)))
    assert "baris 3" in out
    assert "BARU" not in run("opd", "list").output
    good = env / "ok.csv"
    good.write_text("kode,nama,singkatan\nBARU,Dinas Baru,DB\n", encoding="utf-8")
    assert run("opd", "import", str(good)).exit_code == 0
    assert "BARU" in run("opd", "list").output
    assert "tidak dapat dibaca" in one_error_line(run("opd", "import", str(env / "none.csv")))


def test_invalid_settings_are_one_line(env, monkeypatch):
    monkeypatch.setenv("ESAKIP_CALENDAR", "kadang")
    out = one_error_line(run("init"))
    assert "ESAKIP_CALENDAR" in out
    monkeypatch.setenv("ESAKIP_CALENDAR", "kerja")
    monkeypatch.setenv("ESAKIP_SOP_FILE", str(env / "missing.yaml"))
    assert "Berkas SOP" in one_error_line(run("init"))
