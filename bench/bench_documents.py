"""Benchmark of the official documents (WeasyPrint): `.venv/bin/python bench/bench_documents.py`.

Renders the letter (konsep and signed, each with its attachment), 40 tanda terima and the recap,
several times, and prints the median and the minimum. The bundled list has 34 Perangkat Daerah;
the 40-OPD workloads repeat it with a suffix (`--opds N` for another count; the test of this
script uses 4).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot import documents as d  # noqa: E402
from bot.documents import previews  # noqa: E402
from bot.documents.render import default_renderer  # noqa: E402
from bot.formatting import WIB  # noqa: E402  (the previews' zone)


def opd_list(count: int = 40) -> list[str]:
    names = previews.opd_names()
    return [names[i % len(names)] + ("" if i < len(names) else f" (Unit {i + 1})") for i in range(count)]


def measure(label: str, fn: Callable[[], object], repeat: int, per: int = 1) -> None:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    med, low = statistics.median(times), min(times)
    unit = f"  ({med / per * 1000:6.1f} ms per document)" if per > 1 else ""
    print(f"{label:<44} median {med * 1000:8.1f} ms   min {low * 1000:8.1f} ms{unit}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--opds", type=int, default=40, help="addressees (the figures are for 40)")
    args = parser.parse_args()

    opds = opd_list(args.opds)
    draft = previews.contoh_surat(draft=True, kepada=opds)
    signed = previews.contoh_surat(draft=False, kepada=opds)
    receipts = [previews.contoh_tanda_terima(name, i) for i, name in enumerate(opds)]
    recap = previews.contoh_rekap(opds)

    start = time.perf_counter()
    default_renderer()
    print(f"{'first use (fonts, stylesheet)':<44} {(time.perf_counter() - start) * 1000:8.1f} ms")
    start = time.perf_counter()
    d.render_tanda_terima(receipts[0], tz=WIB)
    print(f"{'first document (warm-up)':<44} {(time.perf_counter() - start) * 1000:8.1f} ms")

    measure(f"surat, konsep + lampiran {len(opds)} PD", lambda: d.render_surat_pemberitahuan(draft, tz=WIB), args.repeat)
    measure(f"surat, ditandatangani + lampiran {len(opds)} PD", lambda: d.render_surat_pemberitahuan(signed, tz=WIB),
            args.repeat)
    measure(f"{len(opds)} tanda terima", lambda: [d.render_tanda_terima(t, tz=WIB) for t in receipts], args.repeat,
            len(opds))
    measure(f"rekap tanda terima {len(opds)} PD", lambda: d.render_rekap_tanda_terima(recap, tz=WIB), args.repeat)
    measure("lembar disposisi", lambda: d.render_lembar_disposisi(previews.contoh_disposisi(), tz=WIB),
            args.repeat)
    measure("content_digest (letter)", lambda: d.content_digest(signed), args.repeat)
    sizes = {"surat konsep": d.render_surat_pemberitahuan(draft, tz=WIB),
             "surat ditandatangani": d.render_surat_pemberitahuan(signed, tz=WIB),
             "tanda terima": d.render_tanda_terima(receipts[0], tz=WIB),
             "rekap": d.render_rekap_tanda_terima(recap, tz=WIB)}
    print("sizes: " + ", ".join(f"{k} {len(v) / 1024:.0f} KB" for k, v in sizes.items()))


if __name__ == "__main__":
    main()
