"""Text measured with the bundled font, so the SOP flowchart (drawn as SVG) wraps its own lines.

The widths come from the advance widths of Liberation Sans (the font every document embeds),
without kerning: a line measured here is never narrower than the one drawn, so it always fits.
"""

from __future__ import annotations

from functools import cache

from fontTools.ttLib import TTFont

from bot.documents.layout import font_dir

REGULAR, BOLD = "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"


class _Metrics:
    def __init__(self, filename: str) -> None:
        with TTFont(str(font_dir() / filename)) as font:
            self._units = font["head"].unitsPerEm
            hmtx = font["hmtx"]
            self._advance = {code: hmtx[name][0] for code, name in font.getBestCmap().items()}
            self._fallback = hmtx[".notdef"][0] if ".notdef" in hmtx.metrics else self._units // 2

    def width(self, text: str, size: float) -> float:
        units = sum(self._advance.get(ord(ch), self._fallback) for ch in text)
        return units * size / self._units


@cache
def _metrics(bold: bool) -> _Metrics:
    return _Metrics(BOLD if bold else REGULAR)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in pt of `text` set in Liberation Sans at `size` pt."""
    return _metrics(bold).width(text, size)


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """`text` in lines no wider than `width` pt: broken at spaces, a word longer than a whole
    line broken where it must. Empty text gives no line."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while text_width(word, size, bold) > width:
            cut = _longest_prefix(word, width, size, bold)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _longest_prefix(word: str, width: float, size: float, bold: bool) -> int:
    cut = 1
    while cut < len(word) and text_width(word[: cut + 1], size, bold) <= width:
        cut += 1
    return cut
