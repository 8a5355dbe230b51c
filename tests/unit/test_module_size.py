"""No module of bot/, conversations/ or scheduler/ over 300 lines (migrations excepted): a
longer one holds more than one concept and is split by responsibility, not by line count."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "conversations", "scheduler")
LIMIT = 300


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
