"""The Surat Pemberitahuan as a real PDF: parts required by tata naskah dinas, escaping,
the attachment spanning pages, the KONSEP mark and the verification block."""

from __future__ import annotations

import re

import pytest

from bot import documents as d
from bot.documents.render import render_html
from bot.formatting import WIB
from tests.documents.conftest import (
    BSRE, HOSTILE, KODE, LONG_NAME, LONG_WORD, SCRIPT, TAG_AMP, flat, pages_text, squash, surat,
)

KOP_LINES = ("PEMERINTAH KABUPATEN LAMANDAU", "SEKRETARIAT DAERAH",
             "Kompleks Perkantoran Bukit Hibul Nanga Bulik Kode Pos 74662",
             "Telepon (0532) 2071020, Faks. (0532) 2071078",
             "Website: www.setda.lamandaukab.go.id, E-mail: Setda@lamandaukab.go.id")


@pytest.fixture(scope="module")
def draft_many(hundred_opds: list[str]) -> list[str]:
    """A konsep to 100 Perangkat Daerah (hostile, 200-character and unbroken names among them)."""
    extra = f"Paragraf tambahan {SCRIPT}.\n\nBaris kedua {TAG_AMP} selesai."
    return pages_text(d.render_surat_pemberitahuan(surat(hundred_opds, draft=True, paragraf=extra), tz=WIB))


@pytest.fixture(scope="module")
def signed_few() -> list[str]:
    """A signed letter to two Perangkat Daerah: no attachment, addressees listed."""
    return pages_text(d.render_surat_pemberitahuan(surat(["Dinas Sosial", HOSTILE], draft=False), tz=WIB))


def test_letter_has_the_parts_of_a_surat_dinas(draft_many: list[str]) -> None:
    first = flat(draft_many[0])
    for line in KOP_LINES:
        assert line in first
    assert "Nanga Bulik, 24 November 2026" in first
    assert re.search(r"Nomor : 000\.8/123/SETDA-ORG/XI/2026", first)
    assert "Sifat : Penting" in first
    assert "Lampiran : 1 (satu) berkas" in first
    assert "Hal : Pengisian Data Kinerja" in first
    assert "Yth. Kepala Perangkat Daerah se-Kabupaten Lamandau (daftar terlampir)" in first
    assert "di – Nanga Bulik" in first
    assert "Berdasarkan Peraturan Presiden Nomor 29 Tahun 2014" in first
    assert "paling lambat tanggal 31 Desember 2026" in first
    assert "Demikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih." in first
    assert "a.n. BUPATI LAMANDAU SEKRETARIS DAERAH," in first
    assert "Dr. MUHAMAD IRWANSYAH, SP., MP Pembina Utama Muda (IV/c) NIP. 19771027 200312 1 005" in first
    letter = flat(" ".join(page for page in draft_many if "Lampiran Surat" not in page))
    assert "Tembusan: Yth. Bupati Lamandau (sebagai laporan)" in letter


def test_extra_paragraphs_and_user_text_are_escaped(draft_many: list[str]) -> None:
    text = squash("".join(draft_many))
    assert squash(f"Paragraf tambahan {SCRIPT}.") in text
    assert squash(f"Baris kedua {TAG_AMP} selesai.") in text
    assert squash(f"Hal : Pengisian Data Kinerja {SCRIPT}") in text


def test_attachment_spans_pages_with_every_opd(draft_many: list[str],
                                               hundred_opds: list[str]) -> None:
    assert len(draft_many) > 2
    start = next(i for i, page in enumerate(draft_many) if "Lampiran Surat" in page)
    attachment = draft_many[start:]
    assert len(attachment) >= 2
    assert "Lampiran Surat Sekretaris Daerah Kabupaten Lamandau" in flat(attachment[0])
    assert "Nomor : 000.8/123/SETDA-ORG/XI/2026" in flat(attachment[0])
    assert "Tanggal : 24 November 2026" in flat(attachment[0])
    for page in attachment:  # the table header repeats on every page
        assert "No. Penerima" in flat(page)
    text = squash("".join(attachment))
    assert "100.CamatBatangkawaTerakhir" in text
    for name in (HOSTILE, LONG_NAME, LONG_WORD):
        assert squash(name) in text
    # the 200-character name wrapped: no single line holds it
    assert all(LONG_NAME not in line for page in attachment for line in page.splitlines())


def test_konsep_mark_on_every_page_of_a_draft(draft_many: list[str]) -> None:
    assert all("KONSEP" in squash(page) for page in draft_many)
    assert all("/verifikasi" not in page for page in draft_many)


def test_signed_letter_has_verification_block_and_no_konsep(signed_few: list[str]) -> None:
    assert len(signed_few) == 1
    text = flat(signed_few[0])
    assert "KONSEP" not in squash(text)
    assert KODE in text
    assert "Persetujuan penandatanganan tercatat pada Bot E-SAKIP" in text
    assert squash(f"Keaslian dokumen ini dapat diperiksa melalui bot Telegram E-SAKIP dengan perintah "
                  f"/verifikasi {KODE}.") in squash(text)


def test_few_addressees_are_listed_by_their_heads(signed_few: list[str]) -> None:
    text = flat(signed_few[0])
    assert "daftar terlampir" not in text
    assert "Lampiran Surat" not in text
    assert "Yth. 1. Kepala Dinas Sosial" in text
    assert squash(f"2. Kepala {HOSTILE}") in squash(text)


def test_never_the_bsre_footer(draft_many: list[str], signed_few: list[str]) -> None:
    for page in draft_many + signed_few:
        assert BSRE.lower() not in flat(page).lower()
        assert "sertifikat elektronik yang diterbitkan" not in flat(page).lower()


def test_html_escapes_every_user_field() -> None:
    html = render_html("surat_pemberitahuan.html",
                       {"surat": surat(["Dinas Sosial", HOSTILE], draft=False, paragraf=TAG_AMP)}, WIB)
    assert SCRIPT not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;&amp;amp;" in html


def test_a_draft_cannot_carry_a_verification_block() -> None:
    signed = surat(["Dinas Sosial"], draft=False)
    with pytest.raises(ValueError):
        d.SuratPemberitahuan(**{**signed.__dict__, "draft": True})
