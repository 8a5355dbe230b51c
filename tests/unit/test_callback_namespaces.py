"""One registry of callback namespaces (bot/callbacks.py NAMESPACES): every namespace the code
encodes or matches is in it, and every task button code fits the codec."""

from __future__ import annotations

import re
from pathlib import Path

from bot import callbacks
from bot.workflow.kinds import BUTTONS, CANCEL, CONFIRM

ROOT = Path(__file__).resolve().parents[2]
USES = re.compile(r"""(?:callbacks\.(?:encode|pattern)\(|\bns=|^NS = )["']([a-z]{1,3})["']""", re.M)


def used_namespaces() -> set[str]:
    found = set()
    for package in ("bot", "conversations", "scheduler"):
        for path in (ROOT / package).rglob("*.py"):
            found.update(USES.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_namespace_in_use_is_registered():
    used = used_namespaces()
    assert {"t", "f", "s", "a", "r", "m", "h", "sm", "mu"} <= used | set(callbacks.NAMESPACES)
    assert used <= set(callbacks.NAMESPACES), used - set(callbacks.NAMESPACES)


def test_every_task_code_round_trips():
    for code in (*BUTTONS, CONFIRM, CANCEL):
        data = callbacks.encode("t", code, 10**17)
        assert re.match(callbacks.pattern("t", code), data) and callbacks.decode(data).action == code
