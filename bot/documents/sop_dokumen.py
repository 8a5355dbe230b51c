"""The SOP document (PermenPANRB 35/2012): the identity page and the flowchart, as one PDF.

Drawn from the same SOP file the bot runs (`bot.sop.load_sop`). The few identity fields the
engine does not need (tanggal pembuatan/revisi/efektif, kualifikasi pelaksana,
peralatan/perlengkapan) are optional keys of the file's `identity`; an absent field prints "-".
See docs/SOP-DOKUMEN.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from bot.documents.layout import KERTAS, Halaman
from bot.documents.models import KOP_SETDA_LAMANDAU
from bot.formatting import nip
from bot.sop.definition import SopDefinition

CM = 72 / 2.54
#: Margins of the landscape SOP pages, cm: top, right, bottom (with the footer), left.
MARGIN = (1.5, 1.5, 1.8, 2.0)


@dataclass(frozen=True)
class IdentitasTambahan:
    tanggal_pembuatan: str = "-"
    tanggal_revisi: str = "-"
    tanggal_efektif: str = "-"
    kualifikasi_pelaksana: tuple[str, ...] = ()
    peralatan_perlengkapan: tuple[str, ...] = ()


def _one_line(value: str | None) -> str:
    return " ".join(value.split()) if value and value.strip() else "-"


def tambahan(sop: SopDefinition) -> IdentitasTambahan:
    """The identity fields only the document prints, "-" (or an empty list) when absent."""
    ident = sop.identity
    return IdentitasTambahan(
        tanggal_pembuatan=_one_line(ident.tanggal_pembuatan),
        tanggal_revisi=_one_line(ident.tanggal_revisi),
        tanggal_efektif=_one_line(ident.tanggal_efektif),
        kualifikasi_pelaksana=tuple(_one_line(i) for i in ident.kualifikasi_pelaksana if i.strip()),
        peralatan_perlengkapan=tuple(_one_line(i) for i in ident.peralatan_perlengkapan if i.strip()),
    )


def page_size_pt(kertas: str) -> tuple[float, float]:
    """The landscape page (width, height) in pt."""
    short, long = KERTAS[kertas]
    return long * 72 / 25.4, short * 72 / 25.4


def table_area(kertas: str) -> tuple[float, float]:
    """Width and height (pt) the flowchart table may take on one page, less 2 pt of slack."""
    width, height = page_size_pt(kertas)
    top, right, bottom, left = MARGIN
    return width - (left + right) * CM - 2, height - (top + bottom) * CM - 2


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "").replace("\n", " ")


def _unit_line(unit: str) -> str:
    first = unit.split(",")[0].strip()
    return "" if first.upper() == KOP_SETDA_LAMANDAU.instansi else first.upper()


def context(sop: SopDefinition, tambahan: IdentitasTambahan, kertas: str = "A4",
            lambang: str | None = None) -> dict[str, Any]:
    from bot.documents.sop_rute import layout
    from bot.documents.sop_svg import page_svg

    width, height = table_area(kertas)
    pages = layout(sop, width, height)
    ident = sop.identity
    page_w, page_h = page_size_pt(kertas)
    top, right, bottom, left = MARGIN
    return {
        "i": ident,
        "t": tambahan,
        "kop": KOP_SETDA_LAMANDAU,
        "unit_baris": _unit_line(ident.unit),
        "lambang": lambang,
        "nip": nip(ident.disahkan_oleh.nip),
        "ukuran": f"{page_w:.2f}pt {page_h:.2f}pt",
        "margin": f"{top}cm {right}cm {bottom}cm {left}cm",
        # An SOP file marked `contoh: true` (an example to be replaced by the regency's own).
        "contoh": bool(getattr(sop, "contoh", False)),
        "kaki": Markup(_css_string(("CONTOH · " if getattr(sop, "contoh", False) else "")
                                   + f"{ident.nomor} · {ident.nama}")),
        "alur": [Markup(page_svg(p)) for p in pages],
    }


def render_sop_pdf(sop: SopDefinition, tambahan: IdentitasTambahan, kertas: str = "A4",
                   lambang: str | None = None) -> bytes:
    from bot.documents.render import renderer_for

    return renderer_for(Halaman(kertas=kertas)).render_pdf("sop_dokumen.html",
                                                           context(sop, tambahan, kertas, lambang))
