"""mypy keeps the pure core (engine, SOP definitions, calendar, formatting) honest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ["bot/workflow", "bot/sop", "bot/working_calendar.py", "bot/formatting.py", "bot/clock.py",
        "bot/roles.py", "bot/callbacks.py"]


def test_the_core_type_checks(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy"), *CORE],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
