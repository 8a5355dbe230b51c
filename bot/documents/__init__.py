"""Official documents (surat, lembar disposisi, tanda terima, rekap) rendered to PDF.

Each document is a frozen dataclass from `bot.documents.models`; each `render_*` function turns
one into PDF bytes through templates/documents (jinja2 → HTML → WeasyPrint).
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from bot.documents.layout import Halaman
from bot.documents.digest import content_digest, make_verification_code, normalize_code
from bot.documents.models import (
    KOP_SETDA_LAMANDAU,
    BarisTandaTerima,
    Kop,
    LembarDisposisi,
    Penandatangan,
    Penerima,
    RekapTandaTerima,
    SuratPemberitahuan,
    TandaTerima,
    Verifikasi,
)
from bot.documents.qr import verification_payload

# bot.documents.render imports WeasyPrint (slow); it is loaded when a document is first rendered.


def render_html(template_name: str, context: dict[str, Any], tz: tzinfo | None = None) -> str:
    from bot.documents.render import render_html as _render_html

    return _render_html(template_name, context, tz)


def render_pdf(template_name: str, context: dict[str, Any], halaman: Halaman | None = None,
               tz: tzinfo | None = None) -> bytes:
    """A document as PDF; `tz` is the deployment's zone, for the instants it shows."""
    from bot.documents.render import render_pdf as _render_pdf

    return _render_pdf(template_name, context, halaman, tz)

__all__ = [
    "KOP_SETDA_LAMANDAU", "BarisTandaTerima", "Halaman", "Kop", "LembarDisposisi", "Penandatangan",
    "Penerima",
    "RekapTandaTerima", "SuratPemberitahuan", "TandaTerima", "Verifikasi", "content_digest",
    "make_verification_code", "normalize_code", "render_html", "render_lembar_disposisi",
    "render_pdf", "render_rekap_tanda_terima", "render_surat_pemberitahuan", "render_tanda_terima",
    "verification_payload",
]


def render_surat_pemberitahuan(surat: SuratPemberitahuan, halaman: Halaman | None = None, tz: tzinfo | None = None) -> bytes:
    """The letter (with its attached list when it has more than three addressees)."""
    return render_pdf("surat_pemberitahuan.html", {"surat": surat}, halaman, tz)


def render_lembar_disposisi(d: LembarDisposisi, halaman: Halaman | None = None, tz: tzinfo | None = None) -> bytes:
    return render_pdf("lembar_disposisi.html", {"d": d}, halaman, tz)


def render_tanda_terima(t: TandaTerima, halaman: Halaman | None = None, tz: tzinfo | None = None) -> bytes:
    return render_pdf("tanda_terima.html", {"t": t}, halaman, tz)


def render_rekap_tanda_terima(r: RekapTandaTerima, halaman: Halaman | None = None, tz: tzinfo | None = None) -> bytes:
    return render_pdf("rekap_tanda_terima.html", {"r": r}, halaman, tz)
