"""Page images of the SOP documents for docs/previews/ (needs `pdftoppm`, poppler-utils).

Run ``.venv/bin/python -m bot.documents.sop_previews``: every bundled SOP (``bot/data/sop-*.yaml``)
is drawn as `esakip-bot sop dokumen` draws it (A4, no lambang) and each page is written as
``docs/previews/<file stem>-<page>.png`` at 100 dpi (old pages of the same SOP are removed).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bot.documents.sop_dokumen import render_sop_pdf, tambahan
from bot.documents.sop_pilih import bundled_files
from bot.sop import load_sop

OUT = Path(__file__).resolve().parents[2] / "docs" / "previews"
DPI = 100


def write_previews(path: Path, target: Path = OUT) -> list[Path]:
    sop = load_sop(path)
    pdf = render_sop_pdf(sop, tambahan(sop))
    for old in target.glob(f"{path.stem}-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "sop.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(DPI), str(src), str(target / path.stem)], check=True)
    pages = sorted(target.glob(f"{path.stem}-*.png"))
    for page in pages:  # pdftoppm pads the page number ("-01") when there are ten or more pages
        page.rename(page.with_name(f"{path.stem}-{int(page.stem.rsplit('-', 1)[1])}.png"))
    return sorted(target.glob(f"{path.stem}-*.png"))


def main() -> int:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found: install poppler-utils", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    for path in bundled_files():
        for png in write_previews(path):
            print(f"{png.relative_to(OUT.parents[1])} ({png.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
