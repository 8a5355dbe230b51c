"""The rendering environment: strict, escaping, local-only, and its filters."""

from __future__ import annotations

import base64
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, datetime

import pytest
from jinja2 import ChoiceLoader, DictLoader, UndefinedError
from pypdf import PdfReader

from bot import documents as d

from bot.documents.render import (
    Renderer, _LocalOnlyFetcher, make_environment, paragraf, pimpinan, template_dir, waktu,
)
from bot.formatting import WIB
from tests.documents.conftest import surat


def test_a_template_using_an_undefined_field_fails() -> None:
    env = make_environment(WIB)
    env.loader = ChoiceLoader([
        DictLoader({"rusak.html": '{% extends "_base.html" %}{% block content %}'
                                  "{{ surat.nomor }} {{ surat.tidak_ada }}{% endblock %}"}),
        env.loader,
    ])
    renderer = Renderer(env)
    with pytest.raises(UndefinedError, match="tidak_ada"):
        renderer.render_pdf("rusak.html", {"surat": surat(["Dinas Sosial"], draft=True)})
    with pytest.raises(UndefinedError):
        renderer.render_html("surat_pemberitahuan.html", {})


def test_environment_escapes_and_is_strict() -> None:
    env = make_environment()
    assert env.from_string("{{ x }}").render(x="<b>&amp;") == "&lt;b&gt;&amp;amp;"
    with pytest.raises(UndefinedError):
        env.from_string("{{ y }}").render()


def test_every_document_template_exists() -> None:
    names = {p.name for p in template_dir().iterdir()}
    assert {"surat_pemberitahuan.html", "lembar_disposisi.html", "tanda_terima.html",
            "rekap_tanda_terima.html", "documents.css"} <= names


def test_only_local_resources_are_fetched() -> None:
    fetcher = _LocalOnlyFetcher(template_dir())
    for url in ("http://example.com/lambang.png", "https://example.com/x.css", "file:///etc/passwd",
                "ftp://example.com/x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,aGFp").read() == b"hai"
    assert fetcher.fetch((template_dir() / "documents.css").as_uri()).read().startswith(b"/*")


@pytest.mark.parametrize(("opd", "head"), [
    ("Dinas Sosial", "Kepala Dinas Sosial"),
    ("Kecamatan Bulik Timur", "Camat Bulik Timur"),
    ("Sekretariat DPRD", "Sekretaris DPRD"),
    ("Inspektorat", "Inspektur"),
    ("Badan Pendapatan  Daerah", "Kepala Badan Pendapatan Daerah"),
    ("Kepala Dinas Pendidikan", "Kepala Dinas Pendidikan"),
])
def test_addressee_is_the_head_of_the_unit(opd: str, head: str) -> None:
    assert pimpinan(opd) == head


def test_paragraphs_and_dates() -> None:
    assert paragraf("satu\n\n  dua   tiga \n") == ["satu", "dua tiga"]
    assert paragraf(None) == []
    assert waktu(date(2026, 3, 5)) == "5 Maret 2026"
    assert waktu(datetime(2026, 3, 5, 7, 30, tzinfo=WIB), WIB) == "5 Maret 2026 pukul 07.30 WIB"


def _tanda_terima(kop: d.Kop | None = None) -> d.TandaTerima:
    receipt = d.TandaTerima(
        nomor_surat="000.8/1/SETDA-ORG/XI/2026", tanggal_surat=date(2026, 11, 24), hal="Uji",
        opd="Dinas Sosial", diterima_oleh_nama="Rina", diterima_oleh_jabatan="Operator",
        diterima_pada=datetime(2026, 11, 25, 8, 0, tzinfo=WIB), kode_verifikasi="T3RM9K2HXA")
    return replace(receipt, kop=kop) if kop else receipt


def _images(pdf: bytes) -> int:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    return len(page.images)


def test_lambang_is_drawn_from_a_data_url_and_never_fetched() -> None:
    png = base64.b64encode(_one_pixel_png()).decode()
    with_lambang = replace(d.KOP_SETDA_LAMANDAU, lambang=f"data:image/png;base64,{png}")
    remote = replace(d.KOP_SETDA_LAMANDAU, lambang="http://203.0.113.9/lambang.png")
    assert _images(d.render_tanda_terima(_tanda_terima(with_lambang), tz=WIB)) == 1
    assert _images(d.render_tanda_terima(_tanda_terima(remote), tz=WIB)) == 0


def _one_pixel_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 0, 0)).save(out, format="PNG")
    return out.getvalue()


def test_rendering_is_thread_safe_and_gives_the_same_document() -> None:
    # Byte-identical output is not promised (font subsetting may order glyphs differently
    # between runs); the verification digest is over the content, not the PDF bytes.
    from pypdf import PdfReader

    receipt = _tanda_terima()
    with ThreadPoolExecutor(max_workers=3) as pool:
        pdfs = list(pool.map(lambda r: d.render_tanda_terima(r, tz=WIB), [receipt] * 3))
    texts = ["\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages) for pdf in pdfs]
    assert all(pdf.startswith(b"%PDF-") for pdf in pdfs)
    assert texts[0] == texts[1] == texts[2] and "TANDA TERIMA" in texts[0].upper()
