"""Every command given a malformed URL or path says in one line what it expects: exit 1, no
traceback; the obvious forms (a bare path for SQLite, a Bot API server's root) are accepted."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.config import load_settings
from bot.urls import bot_api_url, database_url

runner = CliRunner()
COMMANDS = [["init"], ["opd", "list"], ["user", "list"], ["invite", "--peran", "sekda"], ["rekap"],
            ["monitoring"], ["run"], ["worker"], ["user", "remove", "--telegram-id", "1"]]


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for key in list(os.environ):
        if key.startswith("ESAKIP_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("ESAKIP_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("ESAKIP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ESAKIP_BOT_TOKEN", "123:ABC")
    return tmp_path


def one_line(result) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [ln for ln in result.output.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Galat: "), result.output
    assert "Traceback" not in result.output
    return lines[0]


def test_bare_paths_and_server_roots_are_accepted(tmp_path):
    assert database_url("demo.db") == "sqlite:///demo.db"
    assert database_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert database_url("postgres://u@h/esakip") == "postgresql://u@h/esakip"
    assert database_url("sqlite:///esakip.db") == "sqlite:///esakip.db"
    assert bot_api_url("http://127.0.0.1:8081") == "http://127.0.0.1:8081/bot"
    assert bot_api_url("http://127.0.0.1:8081/", "/file/bot") == "http://127.0.0.1:8081/file/bot"
    assert bot_api_url("https://api.telegram.org/bot") == "https://api.telegram.org/bot"


def test_init_with_a_bare_sqlite_path(env, monkeypatch):
    monkeypatch.setenv("ESAKIP_DATABASE_URL", "esakip-lokal.db")
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert (env / "esakip-lokal.db").exists()
    assert load_settings().database_url == "sqlite:///esakip-lokal.db"


@pytest.mark.parametrize(("variable", "value", "said"), [
    ("ESAKIP_DATABASE_URL", "postgresql:/esakip", "diharapkan URL SQLAlchemy"),
    ("ESAKIP_DATABASE_URL", "mysql://h/esakip", "tidak didukung"),
    ("ESAKIP_DATABASE_URL", "postgresql+nosuchdriver://h/esakip", "tidak tersedia"),
    ("ESAKIP_DATABASE_URL", "postgresql://h", "tanpa nama basis data"),
    ("ESAKIP_DATABASE_URL", "   ", "kosong"),
    ("ESAKIP_DATABASE_URL", "{tmp}", "folder"),
    ("ESAKIP_DATABASE_URL", "sqlite:///{tmp}/tidak/ada/x.db", "basis data tidak dapat digunakan"),
    ("ESAKIP_BOT_API_URL", "127.0.0.1:8081", "URL Bot API tidak sah"),
    ("ESAKIP_BOT_FILE_URL", "http://127.0.0.1:port/file/bot", "port"),
    ("ESAKIP_DATA_DIR", "{tmp}/cli.db", "bukan folder"),
    ("ESAKIP_SOP_FILE", "{tmp}/tidak-ada.yaml", "tidak-ada.yaml"),
    ("ESAKIP_SOP_FILE", "{tmp}/cli.db", "cli.db"),
])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_malformed_settings_are_one_line(env, monkeypatch, variable, value, said, command):
    (env / "cli.db").touch()
    monkeypatch.setenv(variable, value.replace("{tmp}", str(env)))
    line = one_line(runner.invoke(app, command))
    assert said in line, line


@pytest.mark.parametrize(("args", "said"), [
    (["--db", "postgresql:/x"], "diharapkan URL SQLAlchemy"),
    (["--db", "mysql://h/db"], "tidak didukung"),
    (["--db", "{tmp}/tidak/ada/demo.db"], "basis data tidak dapat digunakan"),
    (["--out", "{tmp}/berkas.txt"], "diharapkan folder"),
])
def test_demo_with_malformed_options_is_one_line(env, args, said):
    (env / "berkas.txt").write_text("x")
    line = one_line(runner.invoke(app, ["demo", *[a.replace("{tmp}", str(env)) for a in args]]))
    assert said in line, line


@pytest.mark.parametrize("path", ["tidak-ada.csv", "{tmp}"])
def test_opd_import_of_a_missing_file_or_a_folder_is_one_line(env, path):
    line = one_line(runner.invoke(app, ["opd", "import", path.replace("{tmp}", str(env))]))
    assert "tidak dapat dibaca" in line, line


def test_the_reported_case_as_a_process(env):
    """`esakip-bot demo --db` with a path where a URL was expected, as an operator types it (here
    a path in a folder that does not exist, so that the demo stops at once)."""
    done = subprocess.run([sys.executable, "-m", "bot.cli", "demo", "--db", "tidak-ada/demo.db"],
                          capture_output=True, text=True, timeout=120, cwd=env, env=os.environ)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stderr.strip().count("\n") == 0 and done.stderr.startswith("Galat: "), done.stderr
