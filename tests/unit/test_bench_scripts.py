"""The quick benchmarks still run: `make bench` is how anyone re-checks docs/BENCHMARKS.md, and a
script that no longer runs (as bench_documents.py did once every document required a time zone)
is only noticed by whoever needs the figure. The smallest workloads, not the figures."""

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def run(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(BENCH / script), *args], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_the_documents_benchmark_runs():
    out = run("bench_documents.py", "--repeat", "1", "--opds", "4")
    assert "4 tanda terima" in out
    assert "sizes: surat konsep" in out


def test_the_sweep_benchmark_runs():
    out = run("bench_sweep.py", "--sizes", "100", "--repeat", "1")
    assert "sqlite" in out and "100 open   100 due" in out
