"""The conversations' wording lives in templates/chat: no sentence for people in conversations/*.py,
and every key they name (replies.yaml, labels.yaml `forms`) is there."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.presentation import labels

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted((ROOT / "conversations").glob("*.py"))
#: Words of Indonesian prose: a string constant with one of them is a sentence for people.
PROSE = re.compile(r"\b(Mohon|mohon|tidak|atau|sudah|ketik|Ketik|untuk|yang|dengan|Tombol|Tugas|Isian|Pilihan|"
                   r"Dibatalkan|Tercatat|Unduh|Batal|Lewati|Kirim|Langkah)\b")


def _strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_sentence_for_people_in_a_conversation_module(path):
    prose = [(line, text) for line, text in _strings(path) if " " in text and PROSE.search(text)]
    assert not prose, f"{path.name}: wording belongs in templates/chat: {prose}"


def _keys(function: str) -> set[str]:
    found: set[str] = set()
    for path in [*MODULES, *(ROOT / "bot").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == function
                    and node.args and isinstance(node.args[0], ast.Constant)):
                found.add(node.args[0].value)
    return found


def test_every_reply_and_form_button_named_in_code_is_worded():
    replies, buttons = _keys("reply"), _keys("form_button") | {"behalf_receipt", "behalf_submission"}
    assert replies and buttons  # form_button(f"behalf_{kind}") above
    assert replies <= set(labels._replies()), replies - set(labels._replies())  # noqa: SLF001
    assert buttons <= labels.keys("forms"), buttons - labels.keys("forms")
    for text in [*labels._replies().values(), *labels._labels()["forms"].values()]:  # noqa: SLF001
        assert text.format_map(_Anything()).strip()


class _Anything(dict[str, object]):
    """A value for every placeholder a wording may have."""

    def __missing__(self, key: str) -> object:
        return "x"
