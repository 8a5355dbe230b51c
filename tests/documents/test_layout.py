"""Nothing runs off the page: long names wrap inside the content box of every page."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot import documents as d
from bot.documents import previews
from bot.documents.render import default_renderer
from bot.formatting import WIB
from tests.documents.conftest import HOSTILE, LONG_NAME, LONG_WORD, pages_text, surat

#: Half a point of tolerance for justified lines that end exactly on the margin.
EPS = 0.5


def overflow(template: str, context: dict[str, object]) -> list[str]:
    """Boxes (texts, cells, borders) that end right of the page's content box, on any page."""
    found = []
    for page in default_renderer(WIB).layout(template, context).pages:
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width
        for box in page_box.descendants():
            if box.element_tag == "div" and "watermark" in (box.element.get("class") or ""):
                continue  # fixed and rotated: its unrotated box is wider than the page
            if box.border_box_x() + box.border_width() > right + EPS:
                found.append(getattr(box, "text", None) or f"<{box.element_tag}>")
    return found


def test_letter_with_long_names_stays_inside_the_margins(hundred_opds: list[str]) -> None:
    assert overflow("surat_pemberitahuan.html",
                    {"surat": surat([LONG_NAME, LONG_WORD], draft=False)}) == []
    assert overflow("surat_pemberitahuan.html", {"surat": surat(hundred_opds, draft=True)}) == []


def test_forms_with_long_names_stay_inside_the_margins() -> None:
    disposisi = d.LembarDisposisi(
        surat_dari=LONG_WORD, nomor_surat=LONG_WORD, tanggal_surat=date(2026, 11, 24),
        diterima_tanggal=date(2026, 11, 24), nomor_agenda=LONG_WORD, sifat="Segera", hal=LONG_NAME,
        diteruskan_kepada=[LONG_WORD, LONG_NAME], harap="Arsip", catatan=LONG_WORD,
        batas_waktu=None, oleh_nama=LONG_WORD, oleh_jabatan=LONG_NAME,
        tanggal=datetime(2026, 11, 24, 10, 0, tzinfo=WIB))
    assert overflow("lembar_disposisi.html", {"d": disposisi}) == []
    rekap = previews.contoh_rekap([LONG_WORD, LONG_NAME, HOSTILE])
    assert overflow("rekap_tanda_terima.html", {"r": rekap}) == []


@pytest.mark.parametrize("draft", [True, False])
def test_the_real_letter_fits_one_page_before_its_attachment(draft: bool) -> None:
    pages = pages_text(d.render_surat_pemberitahuan(previews.contoh_surat(draft=draft), tz=WIB))
    assert "Tembusan:" in pages[0]
    assert "Lampiran Surat" in pages[1]
