"""Shared helpers for the document tests: hostile input, example documents, PDF text."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from bot import documents as d
from bot.formatting import WIB

SCRIPT = "<script>alert(1)</script>"
TAG_AMP = "<b>&amp;"
HOSTILE = f"Dinas {SCRIPT} Uji {TAG_AMP} Coba"
#: Words of a 200-character name; it must wrap, not run off the page.
LONG_NAME = ("Dinas Pemberdayaan Perempuan Perlindungan Anak Pengendalian Penduduk Keluarga Berencana "
             "Pemberdayaan Masyarakat Desa Transmigrasi Tenaga Kerja Perindustrian Perdagangan Koperasi "
             "Usaha Kecil Menengah T")
assert len(LONG_NAME) == 200
#: 200 characters without a space (worst case for wrapping).
LONG_WORD = "X" * 200
BSRE = "Dokumen ini telah ditandatangani secara elektronik"
KODE = "K7QXM2D9PA"

SEKDA = d.Penandatangan(jabatan="SEKRETARIS DAERAH", nama="Dr. MUHAMAD IRWANSYAH, SP., MP",
                        pangkat="Pembina Utama Muda (IV/c)", nip="197710272003121005",
                        atas_nama="BUPATI LAMANDAU")


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def squash(text: str) -> str:
    """Text without any whitespace, to find strings a line break may have split."""
    return "".join(text.split())


def flat(text: str) -> str:
    """Whitespace runs as one space."""
    return " ".join(text.split())


def isi(paragraf: str | None = None) -> list[str]:
    """The standard body (deadline 31 December 2026), with `paragraf` as the added part."""
    from bot.documents.isi import KonteksIsi, teks_isi

    return teks_isi(KonteksIsi(tahun_kinerja=2026, batas_waktu_pengisian=date(2026, 12, 31)),
                    {"tambahan": paragraf} if paragraf else None)


def surat(kepada: list, *, draft: bool, paragraf: str | None = None,
          penandatangan: d.Penandatangan = SEKDA) -> d.SuratPemberitahuan:
    s = d.SuratPemberitahuan(
        nomor="000.8/123/SETDA-ORG/XI/2026", tanggal=date(2026, 11, 24), sifat="Penting",
        lampiran="1 (satu) berkas", hal=f"Pengisian Data Kinerja {SCRIPT}", kepada=kepada,
        batas_waktu_pengisian=date(2026, 12, 31), tahun_kinerja=2026, penandatangan=penandatangan,
        isi=isi(paragraf), tembusan=["Yth. Bupati Lamandau (sebagai laporan)"], draft=True,
    )
    if draft:
        return s
    digest = d.content_digest(s)
    return replace(s, draft=False, verifikasi=d.Verifikasi(
        kode=KODE, sha256=digest, url_or_text_for_qr=d.verification_payload(KODE, digest),
        ditandatangani_pada=datetime(2026, 11, 24, 14, 5, tzinfo=WIB), oleh=SEKDA.nama))


@pytest.fixture(scope="session")
def hundred_opds() -> list[str]:
    names = [f"Perangkat Daerah Nomor {i:03d}" for i in range(1, 101)]
    names[4], names[9], names[14] = HOSTILE, LONG_NAME, LONG_WORD
    names[-1] = "Kecamatan Batangkawa Terakhir"
    return names
