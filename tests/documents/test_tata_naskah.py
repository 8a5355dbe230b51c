"""Tata naskah dinas (docs/TATA-NASKAH.md): the font asked for is the font embedded, the paper and
margins, the lambang, page numbers from page 2, E-SAKIP whole, the tembusan with the signature."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot import documents as d
from bot.config import load_settings
from bot.config import SettingsError
from bot.documents import previews
from bot.documents.alamat import SETDA_INTERNAL, pimpinan
from bot.documents.layout import FONT_FAMILY, Halaman, font_dir, lambang_data_url
from bot.documents.render import template_dir
from bot.formatting import WIB
from tests.documents.conftest import SEKDA, flat, pages_text, surat

CM = 72 / 2.54


def pdf_fonts(pdf: bytes) -> set[str]:
    """Base names of every font the PDF uses (subset prefix dropped), read with pypdf."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names


def every_document() -> dict[str, bytes]:
    return {
        "surat": d.render_surat_pemberitahuan(previews.contoh_surat(draft=False), tz=WIB),
        "konsep": d.render_surat_pemberitahuan(previews.contoh_surat(draft=True), tz=WIB),
        "lembar_disposisi": d.render_lembar_disposisi(previews.contoh_disposisi(), tz=WIB),
        "tanda_terima": d.render_tanda_terima(previews.contoh_tanda_terima(), tz=WIB),
        "rekap_tanda_terima": d.render_rekap_tanda_terima(previews.contoh_rekap(), tz=WIB),
    }


def test_the_stylesheet_asks_for_the_bundled_font_and_nothing_else() -> None:
    css = (template_dir() / "documents.css").read_text(encoding="utf-8")
    families = set(re.findall(r"font-family:\s*([^;]+);", css))
    assert families == {f'"{FONT_FAMILY}", sans-serif'}
    for name in ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LICENSE"):
        assert (font_dir() / name).is_file(), name
    assert "SIL OPEN FONT LICENSE Version 1.1" in (font_dir() / "LICENSE").read_text()


def test_every_document_embeds_the_font_the_css_asks_for() -> None:
    for name, pdf in every_document().items():
        fonts = pdf_fonts(pdf)
        assert fonts and all(f.startswith("Liberation-Sans") for f in fonts), (name, fonts)
        assert "Liberation-Sans-Bold" in fonts, name


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) not installed")
def test_pdffonts_lists_only_embedded_liberation_sans(tmp_path: Path) -> None:
    for name, pdf in every_document().items():
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = out.strip().splitlines()[2:]
        assert rows, name
        for row in rows:
            assert "Liberation-Sans" in row.split()[0] and " yes yes yes " in row, (name, row)


def test_paper_and_margins_follow_the_page_setup() -> None:
    f4 = Halaman(kertas="F4", atas=2.5, kanan=2.0, bawah=2.5, kiri=3.0)
    pdf = d.render_surat_pemberitahuan(surat(["Dinas Sosial"], draft=True), halaman=f4, tz=WIB)
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (215, 330)
    a4 = PdfReader(io.BytesIO(d.render_surat_pemberitahuan(surat(["Dinas Sosial"], draft=True), tz=WIB))).pages[0]
    assert (round(float(a4.mediabox.width) / 72 * 25.4), round(float(a4.mediabox.height) / 72 * 25.4)) == (210, 297)
    from bot.documents.render import renderer_for

    page = renderer_for(f4, WIB).layout("surat_pemberitahuan.html",
                                   {"surat": surat(["Dinas Sosial"], draft=True)}).pages[0]._page_box
    assert round(page.margin_left / 96 * 2.54, 2) == 3.0 and round(page.margin_top / 96 * 2.54, 2) == 2.5


def test_paper_and_margin_settings_have_the_regulations_defaults_and_are_checked(monkeypatch) -> None:
    for key in ("ESAKIP_KERTAS", "ESAKIP_MARGIN_KIRI", "ESAKIP_LAMBANG"):
        monkeypatch.delenv(key, raising=False)
    s = load_settings(_env_file=None)
    assert Halaman.from_settings(s) == Halaman(kertas="A4", atas=2.0, kanan=2.0, bawah=2.5, kiri=3.0)
    assert load_settings(_env_file=None, kertas="f4").kertas == "F4"
    for bad in ({"kertas": "Letter"}, {"margin_kiri": 9}, {"lambang": "/tidak/ada.png"}, {"lambang": __file__}):
        with pytest.raises(SettingsError):
            load_settings(_env_file=None, **bad)


def test_lambang_file_is_drawn_in_the_kop_and_the_kop_is_unchanged_without_it(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "lambang.png"
    Image.new("RGB", (40, 48), (0, 90, 0)).save(path)
    kop = replace(d.KOP_SETDA_LAMANDAU, lambang=lambang_data_url(path))
    plain = d.render_tanda_terima(previews.contoh_tanda_terima(), tz=WIB)
    with_lambang = d.render_tanda_terima(replace(previews.contoh_tanda_terima(), kop=kop), tz=WIB)
    assert len(PdfReader(io.BytesIO(plain)).pages[0].images) == 0
    assert len(PdfReader(io.BytesIO(with_lambang)).pages[0].images) == 1
    svg = tmp_path / "lambang.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="12"><rect width="10" height="12"/></svg>')
    assert lambang_data_url(svg).startswith("data:image/svg+xml;base64,")
    assert flat(pages_text(plain)[0]) == flat(pages_text(with_lambang)[0])


def test_the_lambang_setting_reaches_the_letter(tmp_path: Path) -> None:
    from datetime import date

    from PIL import Image

    from bot.services.letter_context import LetterSetup, Signer, render_letter
    from bot.services.letter_fields import LetterFields

    path = tmp_path / "lambang.png"
    Image.new("RGB", (40, 48), (0, 90, 0)).save(path)
    fields = LetterFields(nomor="", tanggal=date(2026, 11, 24), sifat="Penting", hal="Uji",
                          batas_waktu_pengisian=date(2026, 12, 31))
    for lambang, images in ((path, 1), (None, 0)):
        setup = LetterSetup.from_settings(load_settings(_env_file=None, lambang=lambang))
        pdf = render_letter(setup, fields, 2026, ["Dinas Sosial"], Signer(nama="X"), draft=True)
        assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == images


def test_pages_are_numbered_from_the_second() -> None:
    pages = pages_text(d.render_surat_pemberitahuan(previews.contoh_surat(draft=False), tz=WIB))
    assert len(pages) >= 2
    assert "- 1 -" not in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert f"- {number} -" in page


def test_e_sakip_never_breaks_at_its_hyphen() -> None:
    # One paragraph per prefix length: somewhere the line must end inside "E-SAKIP" unless kept whole.
    tambahan = "\n".join("Data " + "i" * n + " kinerja pada aplikasi E-SAKIP dan E-SAKIP lagi." for n in range(60))
    pdf = d.render_surat_pemberitahuan(surat(["Dinas Sosial"], draft=True, paragraf=tambahan), tz=WIB)
    lines = [line for page in pages_text(pdf) for line in page.splitlines()]
    assert sum("E-SAKIP" in line for line in lines) >= 60
    assert not [line for line in lines if line.rstrip().endswith("E-")]


@pytest.mark.parametrize("extra", range(0, 26, 2))
def test_the_tembusan_never_sits_alone_on_a_page(extra: int) -> None:
    tambahan = "\n".join(["Paragraf tambahan untuk mengisi halaman surat sampai ke batas bawahnya."] * extra)
    pages = pages_text(d.render_surat_pemberitahuan(surat(["Dinas Sosial"], draft=False, paragraf=tambahan), tz=WIB))
    page = next(p for p in pages if "Tembusan:" in p)
    assert SEKDA.nama in page and "NIP. 19771027 200312 1 005" in page


def test_the_signature_block_carries_plh_or_plt() -> None:
    plh = replace(SEKDA, selaku="Plh.", nama="Ir. SUPRIYADI, M.T.", nip="197303042000031006")
    text = flat(pages_text(d.render_surat_pemberitahuan(surat(["Dinas Sosial"], draft=True,
                                                              penandatangan=plh), tz=WIB))[0])
    assert "a.n. BUPATI LAMANDAU Plh. SEKRETARIS DAERAH," in text
    assert "Ir. SUPRIYADI, M.T. Pembina Utama Muda (IV/c) NIP. 19730304 200003 1 006" in text


def test_the_sekretariat_daerah_is_never_addressed_as_its_own_head() -> None:
    assert pimpinan("Sekretariat Daerah") == SETDA_INTERNAL
    names = previews.opd_names()
    text = flat(" ".join(pages_text(d.render_surat_pemberitahuan(previews.contoh_surat(draft=True), tz=WIB))))
    assert len(names) > 3 and "Kepala Sekretariat Daerah" not in text
    assert "Kepala Perangkat Daerah se-Kabupaten Lamandau serta Para Asisten dan Kepala Bagian lingkup " \
           "Sekretariat Daerah (daftar terlampir)" in text
    assert f"1. {SETDA_INTERNAL}" in text
    assert "Kepala Pelaksana Badan Penanggulangan Bencana Daerah" in text
