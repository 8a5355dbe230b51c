"""No module of bot/, conversations/ or scheduler/ over 300 lines (migrations excepted): a
longer one holds more than one concept and is split by responsibility, not by line count. No
handler in conversations/ over about 15 lines: a longer one is doing a service's work."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "conversations", "scheduler")
LIMIT = 300
#: Statements of a handler's body (its docstring not counted); the declarative tables that
#: `build_handler()` returns are data, not handlers.
HANDLER_LIMIT = 16
TABLES = ("build_handler", "build_handlers")


def test_no_module_is_over_300_lines():
    long = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.relative_to(ROOT).parts:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > LIMIT:
                long[str(path.relative_to(ROOT))] = lines
    assert not long, f"modules over {LIMIT} lines: {long}"


def body_lines(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    body = function.body
    if len(body) > 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return (body[-1].end_lineno or body[-1].lineno) - body[0].lineno + 1


def test_no_handler_is_over_about_15_lines():
    long = {}
    for path in (ROOT / "conversations").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name not in TABLES:
                if (lines := body_lines(node)) > HANDLER_LIMIT:
                    long[f"{path.name}:{node.name}"] = lines
    assert not long, f"functions of conversations/ over {HANDLER_LIMIT} lines: {long}"
