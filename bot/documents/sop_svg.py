"""One page of the SOP flowchart (a `HalamanAlur`) as an SVG string for the HTML document.

The grid, the header, the wrapped text, the symbols and the arrows are all drawn here from the
computed layout, in pt (1 SVG unit = 1 pt). Text is real text (extractable, in the bundled
Liberation Sans). Symbols carry data-* attributes (step, shape, pelaksana) that the tests read.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from bot.documents.sop_alur import (
    FONT, HEAD_FONT, LABEL_FONT, LINE, PAD, STRIP, HalamanAlur, Kolom, Panah, Simbol, header_lines,
    header_size,
)

STROKE, GRID, HEAD_FILL = 0.8, 0.6, "#e6e6e6"
ASCENT = 0.905  # Liberation Sans ascender, em
ARROW_LEN, ARROW_HALF = 4.5, 2.2
CENTRED = ("no", "waktu")


def _f(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, size: float, anchor: str = "start", bold: bool = False,
          cls: str = "") -> str:
    weight = ' font-weight="bold"' if bold else ""
    klass = f' class="{cls}"' if cls else ""
    return (f'<text x="{_f(x)}" y="{_f(y)}" font-size="{_f(size)}" text-anchor="{anchor}"{weight}{klass}>'
            f"{escape(text)}</text>")


def _lines(k: Kolom, top: float, lines: list[str], anchor: str = "start", size: float = FONT,
           bold: bool = False, height: float | None = None) -> list[str]:
    """Lines in a cell, from its top (or centred in `height` when given)."""
    block = len(lines) * LINE
    first = top + (PAD if height is None else (height - block) / 2) + size * ASCENT + (LINE - size) / 2
    x = k.tengah if anchor == "middle" else k.x + PAD
    return [_text(x, first + i * LINE, line, size, anchor, bold) for i, line in enumerate(lines)]


def _header(page: HalamanAlur) -> list[str]:
    h1, h2 = page.kepala
    total = h1 + h2
    out = [f'<rect x="0" y="0" width="{_f(page.lebar)}" height="{_f(total)}" fill="{HEAD_FILL}"/>']
    pel = page.pelaksana
    mutu = [k for k in page.kolom if k.key in ("kelengkapan", "waktu", "output")]
    for k in page.kolom:
        if k.key in ("no", "kegiatan", "keterangan"):
            out += _lines(k, 0, header_lines(k), "middle", header_size(k), True, total)
        else:
            out += _lines(k, h1, header_lines(k), "middle", header_size(k), True, h2)
    for group, title in ((pel, "Pelaksana"), (mutu, "Mutu Baku")):
        span = Kolom("grup", title, group[0].x, group[-1].x + group[-1].lebar - group[0].x)
        out += _lines(span, 0, [title], "middle", HEAD_FONT, True, h1)
        out.append(_line(span.x, h1, span.x + span.lebar, h1, GRID))
    return out


def _line(x1: float, y1: float, x2: float, y2: float, width: float = STROKE) -> str:
    return (f'<line x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" y2="{_f(y2)}" stroke="#000" '
            f'stroke-width="{_f(width)}"/>')


def _grid(page: HalamanAlur) -> list[str]:
    h1, h2 = page.kepala
    head = h1 + h2
    edge = STROKE / 2  # the frame's stroke stays inside the drawing
    out = [f'<rect x="{_f(edge)}" y="{_f(edge)}" width="{_f(page.lebar - STROKE)}" '
           f'height="{_f(page.tinggi - STROKE)}" fill="none" '
           f'stroke="#000" stroke-width="{_f(STROKE)}"/>']
    ys = [head] + [r.y for r in page.baris[1:]]
    ys += [y for y in (page.strip_atas and page.strip_atas + STRIP, page.strip_bawah) if y]
    out += [_line(0, y, page.lebar, y, GRID) for y in ys]
    group = {"pelaksana": "pelaksana", "kelengkapan": "mutu", "waktu": "mutu", "output": "mutu"}
    for prev, k in zip(page.kolom, page.kolom[1:]):
        inner = group.get(prev.key) is not None and group.get(prev.key) == group.get(k.key)
        out.append(_line(k.x, h1 if inner else 0, k.x, page.tinggi, GRID))
    return out


def _rows(page: HalamanAlur) -> list[str]:
    out = []
    by_key = {k.key: k for k in page.kolom}
    for row in page.baris:
        out.append(f'<g class="baris" data-step="{row.step}">')
        for key in ("no", "kegiatan", "kelengkapan", "waktu", "output", "keterangan"):
            anchor = "middle" if key in CENTRED else "start"
            out += _lines(by_key[key], row.y, row.teks[key], anchor)
        out.append("</g>")
    return out


def _symbol(s: Simbol) -> str:
    attrs = f'data-shape="{s.bentuk}" data-role={quoteattr(s.role)}'
    if s.step is not None:
        attrs += f' data-step="{s.step}"'
    style = f'fill="#fff" stroke="#000" stroke-width="{_f(STROKE)}"'
    x0, y0 = s.cx - s.w / 2, s.cy - s.h / 2
    if s.bentuk in ("proses", "terminator"):
        r = s.h / 2 if s.bentuk == "terminator" else 0
        return (f'<rect {attrs} x="{_f(x0)}" y="{_f(y0)}" width="{_f(s.w)}" height="{_f(s.h)}" '
                f'rx="{_f(r)}" ry="{_f(r)}" {style}/>')
    if s.bentuk == "keputusan":
        pts = [(s.cx, y0), (s.cx + s.w / 2, s.cy), (s.cx, y0 + s.h), (s.cx - s.w / 2, s.cy)]
    else:  # penghubung: a pentagon pointing down, its letter inside
        pts = [(x0, y0), (x0 + s.w, y0), (x0 + s.w, y0 + s.h * 0.64), (s.cx, y0 + s.h), (x0, y0 + s.h * 0.64)]
    points = " ".join(f"{_f(x)},{_f(y)}" for x, y in pts)
    shape = f'<polygon {attrs} data-label="{escape(s.label)}" points="{points}" {style}/>'
    if s.bentuk == "penghubung":
        shape += _text(s.cx, y0 + s.h * 0.5 + 0.5, s.label, 6.5, "middle", True, "penghubung")
    return shape


def _arrow(a: Panah) -> list[str]:
    pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in a.points)
    out = [f'<polyline class="panah" points="{pts}" fill="none" stroke="#000" stroke-width="{_f(STROKE)}"/>']
    (x1, y1), (x2, y2) = a.points[-2], a.points[-1]
    length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 0.01)
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    bx, by = x2 - ux * ARROW_LEN, y2 - uy * ARROW_LEN
    head = [(x2, y2), (bx - uy * ARROW_HALF, by + ux * ARROW_HALF), (bx + uy * ARROW_HALF, by - ux * ARROW_HALF)]
    out.append('<polygon points="' + " ".join(f"{_f(x)},{_f(y)}" for x, y in head) + '" fill="#000"/>')
    if a.label and a.label_at:
        x, y, anchor = a.label_at
        out.append(_text(x, y, a.label, LABEL_FONT, anchor, False, "cabang"))
    return out


def page_svg(page: HalamanAlur) -> str:
    body = _header(page) + _grid(page) + _rows(page)
    for a in page.panah:
        body += _arrow(a)
    body += [_symbol(s) for s in page.simbol]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="alur" data-page="{page.nomor}" '
            f'width="{_f(page.lebar)}pt" height="{_f(page.tinggi)}pt" viewBox="0 0 {_f(page.lebar)} '
            f'{_f(page.tinggi)}" font-family="Liberation Sans">' + "".join(body) + "</svg>")
