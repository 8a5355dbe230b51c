"""What the command line prints lives in templates/cli/output.yaml: no sentence for people in
bot/cli*.py but its --help (the docstrings and help= texts), every key the code says is worded
there, and every wording there is said by some command."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot import cli_words

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted((ROOT / "bot").glob("cli*.py"))
#: What else prints on the command line: `esakip-bot demo --papan`.
SAYERS = [*MODULES, ROOT / "bot" / "webapp" / "demo.py"]
#: Words of Indonesian prose: a string constant with one of them is a sentence for people.
PROSE = re.compile(r"\b(tidak|atau|sudah|belum|untuk|yang|dengan|dari|berkas|Berkas|siklus|Siklus|Tugas|tugas|"
                   r"Langkah|Perangkat|Daerah|ditulis|Ditulis|Galat|Tercatat|Diakhiri|Terdaftar|harus|sebagai)\b")


def _help_texts(tree: ast.Module) -> set[int]:
    """The ids of the constants --help shows: docstrings, help= and a report command's doc."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if (isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)):
            found.add(id(node.body[0].value))
        elif isinstance(node, ast.keyword) and node.arg == "help":
            found |= {id(n) for n in ast.walk(node.value)}
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_report_command":
            found |= {id(n) for arg in node.args[2:] for n in ast.walk(arg)}
    return found


def _constants(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _help_texts(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip]


@pytest.mark.parametrize("path", SAYERS, ids=lambda p: p.name)
def test_no_sentence_for_people_in_a_cli_module(path):
    prose = [(line, text) for line, text in _constants(path) if " " in text and PROSE.search(text)]
    assert not prose, f"{path.name}: what the command line prints belongs in templates/cli/output.yaml: {prose}"


def test_every_key_said_is_worded_and_every_wording_is_said():
    known = cli_words.keys()
    shaped = re.compile(r"^[a-z_]+\.[a-z0-9_]+$")
    said = {text for path in SAYERS for _, text in _constants(path) if shaped.match(text)}
    said = {key for key in said if key.split(".")[0] in cli_words.words("output")}
    assert said - known == set()
    assert known - said == set()


def test_a_line_keeps_its_columns_and_leading_spaces():
    assert cli_words.say("task.row", task_id=7, step=3, nama="Verifikasi", holders="Agus") == \
        f"{7:<6} Langkah {3:<3} {'Verifikasi':<40} Agus"
    assert cli_words.say("acting.basis", dasar="SP 1") == f"{'':<14} Dasar: SP 1"
    assert cli_words.say("acting.not_a_date", option="--sampai", value="besok") == \
        "--sampai 'besok' bukan tanggal; tulis YYYY-MM-DD, misalnya 2026-12-11."
    assert cli_words.say("invite.format_unknown", formats=["text", "csv"]) == "--format harus salah satu dari: text, csv."
    with pytest.raises(KeyError):
        cli_words.say("user")  # a section, not a text
