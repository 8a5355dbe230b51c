"""Symbols and arrows of the SOP flowchart: where each symbol sits and how each arrow runs.

Pure geometry on the pages of `sop_alur` (pt, origin at the top left of the table). One symbol
per row, in the column of the step's pelaksana, centred in the row. An arrow to the next row
leaves the symbol's bottom and enters the next one's top (down, across in the lower part of the
row, down). Any other arrow leaves by a side and runs in a lane beside the symbols, then enters
its target by the same side; lanes that overlap get different offsets, shorter spans inside.
Arrows to another page end in an off-page connector (a lettered pentagon) in the connector row
of the page, and start again from the connector with the same letter on the other page.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count

from bot.documents.sop_alur import (
    CONNECTOR, DIAMOND_H, LABEL_FONT, LANE_GAP, LANE_STEP, LINE, MIN_ROW, PAD, RECT_H, STRIP, Baris,
    HalamanAlur, Panah, Simbol, cell_lines, columns, edges_of, header_heights, paginate, shape_of,
    texts_of,
)
from bot.documents.sop_teks import text_width
from bot.sop.definition import SopDefinition, StepDefinition

def layout(sop: SopDefinition, width: float, height: float) -> list[HalamanAlur]:
    """The flowchart of `sop` on pages whose table area is `width` x `height` pt."""
    kolom = columns(sop, width)
    kepala = header_heights(kolom)
    by_key = {k.key: k for k in kolom}
    rows: list[tuple[StepDefinition, dict[str, list[str]], float]] = []
    for step in sop.steps:
        lines = {key: cell_lines(value, by_key[key]) for key, value in texts_of(step).items()}
        tall = max(len(v) for v in lines.values()) * LINE + 2 * PAD
        rows.append((step, lines, max(MIN_ROW, tall)))
    links = tuple((step.no - 1, target - 1) for step in sop.steps for _, target in edges_of(step))
    chunks = paginate([r[2] for r in rows], height - sum(kepala), links)
    pages = []
    for p, chunk in enumerate(chunks):
        y = sum(kepala)
        page = HalamanAlur(p + 1, width, 0.0, kepala, kolom, [])
        if p > 0:
            page.strip_atas, y = y, y + STRIP
        for i in chunk:
            step, lines, tall = rows[i]
            page.baris.append(Baris(step.no, y, tall, lines))
            y += tall
        if p + 1 < len(chunks):
            page.strip_bawah, y = y, y + STRIP
        page.tinggi = y
        pages.append(page)
    _place(sop, pages)
    _connect(sop, pages)
    return pages


def symbol_width(page: HalamanAlur) -> float:
    return max(16.0, min(30.0, page.pelaksana[0].lebar - 28.0))


def _place(sop: SopDefinition, pages: list[HalamanAlur]) -> None:
    for page in pages:
        index = {k.role: i for i, k in enumerate(page.pelaksana)}
        w = symbol_width(page)
        for r, row in enumerate(page.baris):
            step = sop.step(row.step)
            shape = shape_of(sop, step)
            col = index[str(step.pelaksana)]
            diamond = shape == "keputusan"
            page.simbol.append(Simbol(shape, col, r, page.pelaksana[col].tengah, row.y + row.tinggi / 2,
                                      w + 4 if diamond else w, DIAMOND_H if diamond else RECT_H,
                                      step=step.no, role=str(step.pelaksana)))


def _letters() -> Iterator[str]:
    for n in count():
        yield chr(ord("A") + n) if n < 26 else str(n - 25)


def _connect(sop: SopDefinition, pages: list[HalamanAlur]) -> None:
    page_of = {row.step: p for p, page in enumerate(pages) for row in page.baris}
    node = {s.step: s for page in pages for s in page.simbol}
    letters = _letters()
    connectors: dict[tuple[int, int, int], tuple[Simbol, Simbol]] = {}
    edges: list[list[tuple[Simbol, Simbol, str | None]]] = [[] for _ in pages]
    for step in sop.steps:
        for label, target in edges_of(step):
            ps, pt = page_of[step.no], page_of[target]
            if ps == pt:
                edges[ps].append((node[step.no], node[target], label))
                continue
            key = (ps, pt, target)
            if key not in connectors:
                letter = next(letters)
                col = node[target].kolom
                down = pt > ps
                out = _connector(pages[ps], col, letter, bottom=down)
                into = _connector(pages[pt], col, letter, bottom=not down)
                connectors[key] = (out, into)
                edges[pt].append((into, node[target], None))
            edges[ps].append((node[step.no], connectors[key][0], label))
    for p, page in enumerate(pages):
        _spread(page, edges[p])
        _route(page, edges[p])


def _connector(page: HalamanAlur, col: int, letter: str, bottom: bool) -> Simbol:
    y = page.strip_bawah if bottom else page.strip_atas
    if y is None:
        raise ValueError(f"page {page.nomor} has no connector strip at its {'bottom' if bottom else 'top'}")
    row = len(page.baris) if bottom else -1
    sym = Simbol("penghubung", col, row, page.pelaksana[col].tengah, y + STRIP / 2, CONNECTOR, CONNECTOR,
                 label=letter, role=page.pelaksana[col].role or "")
    page.simbol.append(sym)
    return sym


def _spread(page: HalamanAlur, edges: list[tuple[Simbol, Simbol, str | None]]) -> None:
    """Connectors sharing a cell of a connector row sit side by side: those an arrow reaches
    straight from the row next to them on the left, those reached through a lane (which runs on
    the right) on the right, so that no arrow crosses a connector."""
    by_lane = {id(end) for src, dst, _ in edges if dst.baris != src.baris + 1 for end in (src, dst)}
    groups: dict[tuple[int, int], list[Simbol]] = {}
    for sym in page.simbol:
        if sym.bentuk == "penghubung":
            groups.setdefault((sym.baris, sym.kolom), []).append(sym)
    for group in groups.values():
        group.sort(key=lambda sym: (id(sym) in by_lane, sym.label))
        for k, sym in enumerate(group):
            sym.cx += (k - (len(group) - 1) / 2) * (CONNECTOR + 4)


def _route(page: HalamanAlur, edges: list[tuple[Simbol, Simbol, str | None]]) -> None:
    adjacent = [e for e in edges if e[1].baris == e[0].baris + 1]
    lanes = sorted((e for e in edges if e[1].baris != e[0].baris + 1),
                   key=lambda e: (abs(e[1].baris - e[0].baris), e[0].baris))
    for src, dst, label in adjacent:
        page.panah.append(_elbow(page, src, dst, label))
    taken: dict[tuple[int, bool], list[tuple[int, int, int]]] = {}
    for src, dst, label in lanes:
        page.panah.append(_lane(page, src, dst, label, taken))


def _elbow(page: HalamanAlur, src: Simbol, dst: Simbol, label: str | None) -> Panah:
    (sx, sy), (dx, dy) = src.bottom, dst.top
    row_bottom = page.row_span(src.baris)[1]
    ym = (sy + row_bottom) / 2
    points = ((sx, sy), (dx, dy)) if abs(sx - dx) < 0.1 else ((sx, sy), (sx, ym), (dx, ym), (dx, dy))
    src._exits.add("bottom")
    at = None
    if label:
        left = dx > sx + 0.1  # the arrow turns right: the label goes on the left of the line
        at = (sx - 2.5 if left else sx + 2.5, sy + LABEL_FONT + 0.5, "end" if left else "start")
    return Panah(points, label, at)


def _free(src: Simbol, dst: Simbol, right: bool) -> bool:
    s = "right" if right else "left"
    return s not in src._exits and s not in src._entries and s not in dst._exits


def _lane_column(page: HalamanAlur, src: Simbol, dst: Simbol, right: bool, label: str | None) -> int:
    """The column whose lanes the arrow runs in: the outermost it touches, or the next one out
    when a branch label needs room between the symbol and the lane."""
    if right:
        col = max(src.kolom, dst.kolom)
        return col + 1 if label and col == src.kolom and col < len(page.pelaksana) - 1 else col
    col = min(src.kolom, dst.kolom)
    return col - 1 if label and col == src.kolom and col > 0 else col


def _room(page: HalamanAlur, src: Simbol, col: int, right: bool) -> float:
    """Length of the exit segment from the symbol's side to the innermost lane of `col`."""
    kolom = page.pelaksana[col]
    lane = kolom.tengah + (symbol_width(page) / 2 + 2 + LANE_GAP) * (1 if right else -1)
    return abs(lane - src.side(right)[0])


def _lane(page: HalamanAlur, src: Simbol, dst: Simbol, label: str | None,
          taken: dict[tuple[int, bool], list[tuple[int, int, int]]]) -> Panah:
    need = text_width(label, LABEL_FONT) + 4 if label else 0.0
    sides = [r for r in (True, False) if _free(src, dst, r)] or [True]
    fitting = [r for r in sides if _room(page, src, _lane_column(page, src, dst, r, label), r) >= need]
    right = (fitting or sides)[0]
    col = _lane_column(page, src, dst, right, label)
    lo, hi = sorted((src.baris, dst.baris))
    used = taken.setdefault((col, right), [])
    slot = next(s for s in count() if all(s != u or hi < a or b < lo for a, b, u in used))
    used.append((lo, hi, slot))
    kolom = page.pelaksana[col]
    offset = min(symbol_width(page) / 2 + 2 + LANE_GAP + slot * LANE_STEP, kolom.lebar / 2 - 1.5)
    x = kolom.tengah + offset if right else kolom.tengah - offset
    start, end = src.side(right), dst.side(right)
    s = "right" if right else "left"
    src._exits.add(s)
    dst._entries.add(s)
    at = None
    if label:
        at = (start[0] + 2 if right else start[0] - 2, start[1] - 2, "start" if right else "end")
    return Panah((start, (x, start[1]), (x, end[1]), end), label, at)
