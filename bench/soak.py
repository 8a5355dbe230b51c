"""`make soak`: the long versions of the reliability suite, and their figures.

Runs, one after another, each as its own pytest session with ESAKIP_SOAK=1:
- tests/reliability/test_soak.py: 100 kill -9 of a real `esakip-bot run` while the outbox
  delivers (ESAKIP_SOAK_KILLS), 20 kills against a saturated outbox, a whole cycle with 25 % of
  the deliveries failing (500, 502, dropped connections, 7-second latency);
- tests/reliability/test_postgres_faults.py and test_postgres_processes.py (skipped without
  PostgreSQL on 127.0.0.1:5432);
- tests/reliability/test_fuzz_updates.py with ESAKIP_SOAK_UPDATES=10000, when that file exists.

Writes the figures to bench/results/soak.json (or --out) and prints them."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTS = [
    ("soak", ["tests/reliability/test_soak.py"]),
    ("postgresql", ["tests/reliability/test_postgres_faults.py", "tests/reliability/test_postgres_processes.py"]),
    ("fuzz", ["tests/reliability/test_fuzz_updates.py"]),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "soak.json")
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--updates", type=int, default=10000)
    parser.add_argument("--only", choices=[name for name, _ in PARTS], action="append")
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    figures: dict[str, object] = {"machine": f"{platform.node()} ({os.cpu_count()} CPU, Python "
                                             f"{platform.python_version()})",
                                  "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    with tempfile.TemporaryDirectory(prefix="esakip-soak-") as folder:
        failed = _run_parts(args, figures, Path(folder))
    args.out.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    print(json.dumps(figures, indent=2, sort_keys=True))
    print(f"\nfigures written to {args.out}" + (f"; FAILED: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


def _run_parts(args: argparse.Namespace, figures: dict[str, object], scratch: Path) -> list[str]:
    """Run each part as its own pytest session; its figures land in `figures`; the names that failed."""
    failed = []
    for name, files in PARTS:
        if args.only and name not in args.only:
            continue
        present = [f for f in files if (ROOT / f).exists()]
        if not present:
            figures[name] = "not run: " + ", ".join(files) + " not in this checkout"
            continue
        # each part's figures go to a scratch file first: a name beside --out could be a result
        # kept in the repository (bench/results/soak-fuzz.json is `--only fuzz --out` of its own)
        report = scratch / f"{name}.json"
        env = {**os.environ, "ESAKIP_SOAK": "1", "ESAKIP_SOAK_REPORT": str(report),
               "ESAKIP_SOAK_KILLS": str(args.kills), "ESAKIP_SOAK_UPDATES": str(args.updates)}
        began = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", *present],
                              cwd=ROOT, env=env, check=False)
        part: dict[str, object] = {"pytest_exit": done.returncode, "seconds": round(time.monotonic() - began)}
        if report.exists():
            part.update(json.loads(report.read_text()))
        figures[name] = part
        if done.returncode != 0:
            failed.append(name)
    return failed


if __name__ == "__main__":
    sys.exit(main())
