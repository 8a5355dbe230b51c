"""Domain errors carry a code and parameters; their wording is in templates/errors/. Every code
written in bot/, conversations/ and scheduler/ has its text, and no domain error is raised with a
sentence instead of a code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot import error_text
from bot.services.errors import Conflict, NotRegistered
from bot.workflow import DomainError, NoteRequired, NotYourTask, TaskClosed

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "conversations", "scheduler")


def sources() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8")))
            for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
            if "migrations" not in path.parts]


def domain_error_classes(trees: list[tuple[Path, ast.Module]]) -> set[str]:
    """The names of DomainError and of every class that derives from it, however deep."""
    bases = {node.name: {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
             for _, tree in trees for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
    found = {"DomainError"}
    while True:
        more = {name for name, of in bases.items() if of & found} - found
        if not more:
            return found
        found |= more


def test_domain_errors_are_raised_with_a_known_code_not_a_sentence():
    """The first argument of a domain error (or of error_text.render) is a code that has its
    wording: never an f-string, a sentence or a concatenation."""
    trees = sources()
    classes = domain_error_classes(trees) | {"render"}
    known = error_text.codes()
    wrong = []
    for path, tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name == "render" and ast.unparse(node.func) != "error_text.render":
                continue  # messages.render(template, ...) and the like
            first = node.args[0]
            if name in classes and (isinstance(first, (ast.JoinedStr, ast.BinOp)) or (
                    isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value not in known)):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}({ast.unparse(first)[:60]})")
    assert not wrong


def test_default_codes_have_their_wording():
    def subclasses(cls: type) -> list[type]:
        return [cls, *(c for sub in cls.__subclasses__() for c in subclasses(sub))]

    import bot.services.container  # noqa: F401  (imports every service and its errors)

    missing = [c.__name__ for c in subclasses(DomainError) if c.default_code and c.default_code not in error_text.codes()]
    assert not missing


def test_str_of_an_error_is_its_wording_with_the_parameters():
    assert str(NoteRequired()) == "Catatan wajib diisi untuk tindakan ini. Mohon tuliskan catatannya."
    error = NotYourTask("workflow.start_not_allowed", starters=["Sekretaris Daerah", "Kepala Bagian", "administrator"])
    assert str(error) == "Siklus hanya dapat dimulai oleh Sekretaris Daerah, Kepala Bagian atau administrator."
    assert error.code == "workflow.start_not_allowed" and error.params["starters"][-1] == "administrator"
    assert str(TaskClosed(3, None)).startswith("Tugas ini sudah diproses")
    assert "belum terdaftar" in str(NotRegistered())


def test_a_parameter_is_written_as_typed_braces_and_html_included():
    """User input in a parameter is not a format string; escaping is the template's job."""
    error = Conflict("directory.user_exists", telegram_id="{0} <b>x</b>")
    assert str(error) == "Telegram ID {0} <b>x</b> sudah terdaftar."


def test_an_error_without_a_code_or_with_an_unknown_one_fails_loudly():
    with pytest.raises(TypeError):
        Conflict()
    with pytest.raises(KeyError):
        str(Conflict("workflow.no_such_code"))
    with pytest.raises(KeyError):
        str(Conflict("directory.user_exists"))  # its parameter is missing
