"""The figures of the long runs (`make soak`), gathered in the JSON file ESAKIP_SOAK_REPORT."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def soak_enabled() -> bool:
    return bool(os.environ.get("ESAKIP_SOAK"))


def write_report(name: str, figures: dict[str, Any]) -> None:
    target = os.environ.get("ESAKIP_SOAK_REPORT")
    if not target:
        return
    path = Path(target)
    data = json.loads(path.read_text()) if path.exists() else {}
    data[name] = figures
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
