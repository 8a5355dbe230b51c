"""`esakip-bot --help` is in Indonesian throughout: typer's frame (usage line, panel titles, the
help option, the kinds of values) as well as the commands' own texts, on every command; and the
common usage errors too."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()
WIDE = {"COLUMNS": "200", "TERMINAL_WIDTH": "200"}
#: typer's English frame, and English words an Indonesian help text would not hold.
ENGLISH = re.compile(r"Usage|Options|Arguments|Commands|Show this message|\[required\]|\[default|"
                     r"<(int|str|bool|path|float|file|directory)>|\b(the|for|of|and|with|to)\b")


def command_paths() -> list[list[str]]:
    def walk(command: typer.core.TyperGroup | typer.core.TyperCommand, path: list[str]):
        yield path
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk(sub, [*path, name])

    return list(walk(typer.main.get_command(app), []))


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "esakip-bot")
def test_help_of_every_command_is_indonesian(path):
    result = runner.invoke(app, [*path, "--help"], env=WIDE, prog_name="esakip-bot")
    assert result.exit_code == 0, result.output
    assert "Penggunaan: esakip-bot" in result.output and "Opsi" in result.output
    assert "Tampilkan bantuan ini, lalu keluar." in result.output
    assert not ENGLISH.search(result.output), ENGLISH.search(result.output)


def test_the_root_help_lists_commands_and_kinds_of_values():
    root = runner.invoke(app, ["--help"], env=WIDE, prog_name="esakip-bot").output
    assert "esakip-bot [OPSI] PERINTAH [ARGUMEN]..." in root and "Perintah" in root
    add = runner.invoke(app, ["user", "add", "--help"], env=WIDE, prog_name="esakip-bot").output
    assert re.search(r"--telegram-id\s+<angka>\s+ID Telegram pengguna \[wajib\]", add)
    assert re.search(r"--nama\s+<teks>", add)
    check = runner.invoke(app, ["sop", "check", "--help"], env=WIDE, prog_name="esakip-bot").output
    assert re.search(r"BERKAS\s+<berkas>", check) and "Argumen" in check
    rekap = runner.invoke(app, ["rekap", "--help"], env=WIDE, prog_name="esakip-bot").output
    assert "[bawaan: text]" in rekap


@pytest.mark.parametrize(("args", "expected"), [
    (["user", "add", "--nama", "x", "--peran", "sekda"], "Opsi --telegram-id wajib diisi."),
    (["user", "add", "--telegram-id", "abc", "--nama", "x", "--peran", "sekda"],
     "Nilai --telegram-id harus berupa bilangan bulat."),
    (["user", "add", "--bogus"], "Opsi --bogus tidak dikenal."),
    (["tidakada"], "Perintah 'tidakada' tidak ada."),
    (["sop", "check"], "Argumen BERKAS wajib diisi."),
])
def test_usage_errors_are_indonesian(args, expected):
    result = runner.invoke(app, args, env=WIDE, prog_name="esakip-bot")
    assert result.exit_code == 2
    assert expected in result.output and "Galat" in result.output
    assert "Coba 'esakip-bot" in result.output and "untuk bantuan" in result.output
    assert not ENGLISH.search(result.output), result.output
