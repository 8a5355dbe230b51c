"""mypy over bot/, conversations/ and scheduler/ as configured in pyproject.toml ([tool.mypy]:
`disallow_untyped_defs`): any error fails the suite."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_packages_type_check(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy")],  # `files` from pyproject.toml
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_configuration_covers_the_three_packages_strictly():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert set(config["files"]) == {"bot", "conversations", "scheduler"}
    assert config["disallow_untyped_defs"] is True
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(dep.startswith("mypy") for dep in extras["test"])
