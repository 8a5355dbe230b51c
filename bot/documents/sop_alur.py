"""The flowchart table of an SOP AP (PermenPANRB 35/2012), laid out in Python, page by page.

Columns: No | Kegiatan | one column per pelaksana (first-appearance order) | Mutu Baku
(Kelengkapan, Waktu, Output) | Keterangan. Every row's height comes from its wrapped text
(`sop_teks`), pages are cut between rows here (never inside one), and each page is one SVG
(`sop_svg`), so what is drawn is exactly what was computed: no text can overflow its cell, and
WeasyPrint never breaks a page on its own.

Symbols (the five of the Permen): a terminator (capsule) at the first and the last step, a
process rectangle, a decision diamond for every step with branches, arrows, and an off-page
connector (pentagon with a letter) at the bottom of a page and at the top of the page the arrow
continues on. Arrows between consecutive rows go down (an elbow when the pelaksana changes);
the others (a "Tidak" going back up, a jump) leave by the side and run in a lane beside the
symbols of the rightmost (or leftmost) column they touch.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from bot.documents.sop_teks import text_width, wrap
from bot.sop.definition import SopDefinition, StepDefinition

FONT, LINE, PAD = 7.5, 9.0, 3.0  # body text pt, line height, cell padding
HEAD_FONT, LABEL_FONT = 7.5, 6.5
MIN_ROW, STRIP = 44.0, 26.0  # smallest row (room for a symbol and its arrows), connector row
RECT_H, DIAMOND_H, CONNECTOR = 18.0, 26.0, 14.0
LANE_GAP, LANE_STEP = 3.0, 3.0

#: How a branch is labelled in the flowchart.
BRANCH_LABEL = {"ya": "Ya", "sesuai": "Ya", "tidak": "Tidak", "tidak_sesuai": "Tidak"}
TEXT_COLUMNS = ("kelengkapan", "waktu", "output", "keterangan")


def branch_label(name: str) -> str:
    return BRANCH_LABEL.get(name, name.replace("_", " ").capitalize())


@dataclass(frozen=True)
class Kolom:
    key: str  # no, kegiatan, pelaksana, kelengkapan, waktu, output, keterangan
    judul: str
    x: float
    lebar: float
    role: str | None = None
    ukuran_judul: float = HEAD_FONT  # type size of the header

    @property
    def tengah(self) -> float:
        return self.x + self.lebar / 2


@dataclass(frozen=True)
class Baris:
    step: int
    y: float
    tinggi: float
    teks: dict[str, list[str]]  # column key -> wrapped lines


@dataclass
class Simbol:
    bentuk: str  # terminator, proses, keputusan, penghubung
    kolom: int  # index among the pelaksana columns
    baris: int  # row on the page; -1 the connector row on top, len(rows) the one at the bottom
    cx: float
    cy: float
    w: float
    h: float
    step: int | None = None
    label: str = ""
    role: str = ""
    _exits: set[str] = field(default_factory=set)
    _entries: set[str] = field(default_factory=set)

    @property
    def top(self) -> tuple[float, float]:
        return (self.cx, self.cy - self.h / 2)

    @property
    def bottom(self) -> tuple[float, float]:
        return (self.cx, self.cy + self.h / 2)

    def side(self, right: bool) -> tuple[float, float]:
        y = self.cy - self.h / 2 + self.h * 0.32 if self.bentuk == "penghubung" else self.cy
        return (self.cx + self.w / 2 if right else self.cx - self.w / 2, y)


@dataclass(frozen=True)
class Panah:
    points: tuple[tuple[float, float], ...]
    label: str | None = None
    label_at: tuple[float, float, str] | None = None  # x, y, text-anchor


@dataclass
class HalamanAlur:
    nomor: int
    lebar: float
    tinggi: float
    kepala: tuple[float, float]  # the two header rows' heights
    kolom: tuple[Kolom, ...]
    baris: list[Baris]
    strip_atas: float | None = None  # y of the connector row on top, if any
    strip_bawah: float | None = None
    simbol: list[Simbol] = field(default_factory=list)
    panah: list[Panah] = field(default_factory=list)

    @property
    def pelaksana(self) -> tuple[Kolom, ...]:
        return tuple(k for k in self.kolom if k.key == "pelaksana")

    def row_span(self, index: int) -> tuple[float, float]:
        if index < 0 or index >= len(self.baris):
            strip = self.strip_atas if index < 0 else self.strip_bawah
            if strip is None:  # only a page continued from (or onto) another has the strip
                raise ValueError(f"row {index} is outside page {self.nomor}, which has no connector strip there")
            return strip, strip + STRIP
        row = self.baris[index]
        return row.y, row.y + row.tinggi


def roles_in_order(sop: SopDefinition) -> list[str]:
    """The pelaksana of the steps, each once, in the order they first act."""
    seen: list[str] = []
    for step in sop.steps:
        if str(step.pelaksana) not in seen:
            seen.append(str(step.pelaksana))
    return seen


#: Widths (pt) of the columns beside Kegiatan and the pelaksana, as wide as they may be.
FIXED = {"no": 20.0, "kelengkapan": 80.0, "waktu": 40.0, "output": 80.0, "keterangan": 52.0}
MIN_KEGIATAN, MIN_PELAKSANA = 160.0, 34.0


def columns(sop: SopDefinition, width: float) -> tuple[Kolom, ...]:
    """The table's columns across `width` pt. Many pelaksana first narrow their own columns,
    then the mutu baku ones (to 60%), so that Kegiatan keeps at least MIN_KEGIATAN."""
    roles = roles_in_order(sop)
    n = len(roles)
    pel = max(40.0, min(64.0, 290.0 / n))
    fixed = dict(FIXED)
    kegiatan = width - sum(fixed.values()) - pel * n
    if kegiatan < MIN_KEGIATAN:
        shrinkable = ("kelengkapan", "output", "keterangan")
        room = sum(fixed[k] for k in shrinkable) * 0.4
        cut = min(room, MIN_KEGIATAN - kegiatan)
        for key in shrinkable:
            fixed[key] -= cut * fixed[key] / sum(FIXED[k] for k in shrinkable)
        kegiatan += cut
    if kegiatan < MIN_KEGIATAN:
        pel = max(MIN_PELAKSANA, pel - (MIN_KEGIATAN - kegiatan) / n)
        kegiatan = width - sum(fixed.values()) - pel * n
    spec: list[tuple[str, str, float, str | None]] = [("no", "No.", fixed["no"], None),
                                                       ("kegiatan", "Kegiatan", kegiatan, None)]
    spec += [("pelaksana", sop.roles.get(role, role), pel, role) for role in roles]
    spec += [(key, key.capitalize(), fixed[key], None) for key in ("kelengkapan", "waktu", "output", "keterangan")]
    out, x = [], 0.0
    for key, judul, w, role in spec:
        out.append(Kolom(key, judul, x, w, role))
        x += w
    # One type size for the pelaksana headers: the largest in which every title's words fit.
    size = min(_fitting_size(k) for k in out if k.key == "pelaksana")
    return tuple(replace(k, ukuran_judul=size) if k.key == "pelaksana" else replace(k, ukuran_judul=_fitting_size(k))
                 for k in out)


def cell_lines(text: str, kolom: Kolom, bold: bool = False, size: float = FONT) -> list[str]:
    return wrap(text, kolom.lebar - 2 * PAD - 1.0, size, bold)


def texts_of(step: StepDefinition) -> dict[str, str]:
    return {
        "no": str(step.no),
        "kegiatan": " ".join(step.kegiatan.split()),
        "kelengkapan": " ".join(step.kelengkapan.split()) or "-",
        "waktu": step.waktu.text if step.waktu else "-",
        "output": " ".join(step.output.split()),
        "keterangan": " ".join(step.keterangan.split()),
    }


def _fitting_size(k: Kolom) -> float:
    """A header's type size: smaller (to 6 pt) until its longest word fits, so that a
    pelaksana like "Pengadministrasi Umum" is not broken inside a word."""
    longest = max(k.judul.split(), key=len, default="")
    size = HEAD_FONT
    while size > 6.0 and text_width(longest, size, bold=True) > k.lebar - 2 * PAD - 1.0:
        size -= 0.25
    return size


def header_size(k: Kolom) -> float:
    return k.ukuran_judul


def header_lines(k: Kolom) -> list[str]:
    return cell_lines(k.judul, k, bold=True, size=k.ukuran_judul)


def header_heights(kolom: tuple[Kolom, ...]) -> tuple[float, float]:
    second = max(len(header_lines(k)) for k in kolom
                 if k.key in ("pelaksana", "kelengkapan", "waktu", "output"))
    return LINE + 2 * PAD, max(1, second) * LINE + 2 * PAD


def shape_of(sop: SopDefinition, step: StepDefinition) -> str:
    if step.branches:
        return "keputusan"
    if step.no in (sop.steps[0].no, sop.steps[-1].no):
        return "terminator"
    return "proses"


def edges_of(step: StepDefinition) -> list[tuple[str | None, int]]:
    if step.branches:
        return [(branch_label(name), target) for name, target in step.branches.items()]
    return [(None, step.next)] if step.next is not None else []


def paginate(heights: list[float], available: float, links: tuple[tuple[int, int], ...] = ()) -> list[range]:
    """Rows per page: as many as fit, with room for the connector rows (top of every page but
    the first, bottom of every page but the last); a page may end up to two rows earlier when
    fewer arrows (`links`, pairs of row indices) then cross to another page. A row taller than
    a page gets a page alone."""
    pages: list[range] = []
    i, n = 0, len(heights)
    while i < n:
        start, used = i, (STRIP if pages else 0.0)
        while i < n:
            below = STRIP if i + 1 < n else 0.0
            if i > start and used + heights[i] + below > available:
                break
            used += heights[i]
            i += 1
        if i < n:
            def crossing(end: int) -> int:
                return sum(1 for a, b in links if min(a, b) < end <= max(a, b))
            i = min(range(max(start + 1, i - 2), i + 1), key=lambda end: (crossing(end), -end))
        pages.append(range(start, i))
    return pages
