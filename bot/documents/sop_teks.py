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
    line broken where it must (with a hyphen after a letter). Empty text gives no line."""
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
            cut = _syllable(word, _longest_prefix(word, width - text_width("-", size, bold), size, bold))
            hyphen = "-" if word[cut - 1].isalpha() and word[cut].isalpha() else ""
            lines.append(word[:cut] + hyphen)
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


VOWELS = set("aeiouAEIOU")
#: Consonant pairs that stay together in an Indonesian syllable.
DIGRAPHS = {"ng", "ny", "kh", "sy"}


def _syllable(word: str, cut: int) -> int:
    """The last place at or before `cut` where an Indonesian word may break between syllables
    (a vowel before a consonant and a vowel: "ma-suk"; between two consonants: "ad-min"), or
    `cut` itself when there is none in its second half."""
    for c in range(cut, max(1, cut // 2), -1):
        a, b = word[c - 1], word[c]
        after = word[c + 1] if c + 1 < len(word) else ""
        if not (a.isalpha() and b.isalpha()):
            continue
        if a in VOWELS and b not in VOWELS and after in VOWELS:
            return c
        if a not in VOWELS and b not in VOWELS and (a + b).lower() not in DIGRAPHS and word[c - 2:c - 1] in VOWELS:
            return c
    return cut


def _longest_prefix(word: str, width: float, size: float, bold: bool) -> int:
    cut = 1
    while cut < len(word) and text_width(word[: cut + 1], size, bold) <= width:
        cut += 1
    return cut
