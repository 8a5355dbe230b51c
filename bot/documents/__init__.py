"""Official documents (surat, lembar disposisi, tanda terima, rekap) rendered to PDF.

Each document is a frozen dataclass from `bot.documents.models`; each `render_*` function turns
one into PDF bytes through templates/documents (jinja2 → HTML → WeasyPrint).
"""

from __future__ import annotations

from bot.documents.digest import content_digest, make_verification_code, normalize_code
from bot.documents.models import (
    KOP_SETDA_LAMANDAU,
    BarisTandaTerima,
    Kop,
    LembarDisposisi,
    Penandatangan,
    RekapTandaTerima,
    SuratPemberitahuan,
    TandaTerima,
    Verifikasi,
)
from bot.documents.qr import verification_payload
from bot.documents.render import render_html, render_pdf

__all__ = [
    "KOP_SETDA_LAMANDAU", "BarisTandaTerima", "Kop", "LembarDisposisi", "Penandatangan",
    "RekapTandaTerima", "SuratPemberitahuan", "TandaTerima", "Verifikasi", "content_digest",
    "make_verification_code", "normalize_code", "render_html", "render_lembar_disposisi",
    "render_pdf", "render_rekap_tanda_terima", "render_surat_pemberitahuan", "render_tanda_terima",
    "verification_payload",
]


def render_surat_pemberitahuan(surat: SuratPemberitahuan) -> bytes:
    """The letter (with its attached list when it has more than three addressees)."""
    return render_pdf("surat_pemberitahuan.html", {"surat": surat})


def render_lembar_disposisi(d: LembarDisposisi) -> bytes:
    return render_pdf("lembar_disposisi.html", {"d": d})


def render_tanda_terima(t: TandaTerima) -> bytes:
    return render_pdf("tanda_terima.html", {"t": t})


def render_rekap_tanda_terima(r: RekapTandaTerima) -> bytes:
    return render_pdf("rekap_tanda_terima.html", {"r": r})
