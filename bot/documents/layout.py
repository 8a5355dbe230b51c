"""The page and the typeface of every document: paper, margins, the bundled font, the lambang.

Tata naskah dinas (see docs/TATA-NASKAH.md): Arial 12 is the usual typeface of Pemda naskah
dinas; we ship Liberation Sans, metric-compatible with Arial (SIL OFL 1.1, bot/data/fonts/), so
what the stylesheet asks for is what every PDF embeds, whatever fonts the machine has.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

#: Paper sizes (width x height in mm) that ESAKIP_KERTAS accepts.
KERTAS = {"A4": (210, 297), "F4": (215, 330)}
FONT_FAMILY = "Liberation Sans"
#: (file, font-weight, font-style) of the bundled font.
FONT_FILES = (
    ("LiberationSans-Regular.ttf", "normal", "normal"),
    ("LiberationSans-Bold.ttf", "bold", "normal"),
    ("LiberationSans-Italic.ttf", "normal", "italic"),
    ("LiberationSans-BoldItalic.ttf", "bold", "italic"),
)
LAMBANG_TYPES = {".png": "image/png", ".svg": "image/svg+xml"}


def font_dir() -> Path:
    return Path(str(files("bot") / "data" / "fonts"))


def font_face_css() -> str:
    """@font-face rules that load the bundled TTFs by file URL (never a system font)."""
    rules = []
    for name, weight, style in FONT_FILES:
        url = (font_dir() / name).resolve().as_uri()
        rules.append(f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{url}"); '
                     f"font-weight: {weight}; font-style: {style}; }}")
    return "\n".join(rules)


def lambang_data_url(path: Path | None) -> str | None:
    """The lambang daerah file as a data: URL for the kop (documents fetch nothing else). The
    settings have checked its type (bot/config.py): another one here is a bug."""
    if path is None:
        return None
    mime = LAMBANG_TYPES.get(path.suffix.lower())
    if mime is None:
        raise ValueError(f"the lambang must be a PNG or SVG file: {path}")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


@dataclass(frozen=True)
class Halaman:
    """Paper and margins (cm) of the portrait documents; the defaults follow docs/TATA-NASKAH.md.
    The settings check what the operator writes (bot/config.py): a wrong value here is a bug."""

    kertas: str = "A4"
    atas: float = 2.0
    kanan: float = 2.0
    bawah: float = 2.5
    kiri: float = 3.0

    def __post_init__(self) -> None:
        if self.kertas not in KERTAS:
            raise ValueError(f"kertas must be one of {', '.join(KERTAS)}")
        for side in (self.atas, self.kanan, self.bawah, self.kiri):
            if not 0.5 <= side <= 6:
                raise ValueError("margins must be between 0.5 and 6 cm")

    @property
    def size_mm(self) -> tuple[int, int]:
        return KERTAS[self.kertas]

    def css(self) -> str:
        width, height = self.size_mm
        return (f"@page {{ size: {width}mm {height}mm; "
                f"margin: {self.atas}cm {self.kanan}cm {self.bawah}cm {self.kiri}cm; }}")

    @classmethod
    def from_settings(cls, settings: object) -> Halaman:
        return cls(kertas=getattr(settings, "kertas"), atas=getattr(settings, "margin_atas"),
                   kanan=getattr(settings, "margin_kanan"), bawah=getattr(settings, "margin_bawah"),
                   kiri=getattr(settings, "margin_kiri"))
