"""Lembar disposisi, tanda terima and the recap of receipts as real PDFs."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from bot import documents as d
from bot.formatting import WIB
from bot.sop.definition import Pejabat
from tests.documents.conftest import (
    BSRE, HOSTILE, SCRIPT, TAG_AMP, flat, pages_text, squash,
)

NOMOR = "000.8/123/SETDA-ORG/XI/2026"


@pytest.fixture(scope="module")
def disposisi() -> str:
    form = d.LembarDisposisi(
        surat_dari=f"Sekretaris Daerah {SCRIPT}", nomor_surat=NOMOR, tanggal_surat=date(2026, 11, 24),
        diterima_tanggal=date(2026, 11, 25), nomor_agenda="412/ORG/XI/2026", sifat="Segera",
        hal=f"Pengisian E-SAKIP {TAG_AMP}", diteruskan_kepada=["Asisten Administrasi Umum", HOSTILE],
        harap="Proses lebih lanjut", catatan=f"Arahan pertama {SCRIPT}\nArahan kedua {TAG_AMP}",
        batas_waktu=datetime(2026, 11, 25, 10, 30, tzinfo=WIB), oleh_nama=f"Dr. Irwansyah {TAG_AMP}",
        oleh_jabatan="Sekretaris Daerah", tanggal=datetime(2026, 11, 25, 10, 0, tzinfo=WIB),
        kode_verifikasi="D4SPZ8WQ3M")
    pages = pages_text(d.render_lembar_disposisi(form, tz=WIB))
    assert len(pages) == 1
    return flat(pages[0])


def test_disposisi_has_every_field(disposisi: str) -> None:
    for label in ("LEMBAR DISPOSISI", "Surat dari", "No. Surat", "Tgl. Surat : 24 November 2026",
                  "Diterima Tgl. : 25 November 2026", "No. Agenda : 412/ORG/XI/2026", "Sifat",
                  "Diteruskan kepada Sdr.:", "Dengan hormat harap:", "Catatan/arahan:",
                  "Batas waktu : 25 November 2026 pukul 10.30 WIB", "Nanga Bulik, 25 November 2026",
                  "Sekretaris Daerah,", "D4SPZ8WQ3M", "PEMERINTAH KABUPATEN LAMANDAU"):
        assert label in disposisi
    assert NOMOR in squash(disposisi)


def test_disposisi_checks_exactly_the_chosen_boxes(disposisi: str) -> None:
    assert "X Proses lebih lanjut" in disposisi
    assert "X Segera" in disposisi
    assert disposisi.count("X ") == 2


def test_disposisi_escapes_user_text(disposisi: str) -> None:
    text = squash(disposisi)
    for value in (f"Sekretaris Daerah {SCRIPT}", f"Pengisian E-SAKIP {TAG_AMP}", HOSTILE,
                  f"Arahan pertama {SCRIPT}", f"Arahan kedua {TAG_AMP}", f"Dr. Irwansyah {TAG_AMP}"):
        assert squash(value) in text
    assert "2. " + HOSTILE in disposisi


def test_disposisi_adds_a_choice_that_is_not_in_the_list() -> None:
    form = d.LembarDisposisi(
        surat_dari="-", nomor_surat="", tanggal_surat=None, diterima_tanggal=None, nomor_agenda="",
        sifat="Biasa", hal="Uji", diteruskan_kepada=["Kabag Organisasi"], harap="Hadiri rapat",
        catatan="", batas_waktu=None, oleh_nama="A", oleh_jabatan="Asisten", tanggal=date(2026, 11, 24))
    assert form.pilihan_harap[-1] == "Hadiri rapat"


@pytest.fixture(scope="module")
def tanda_terima() -> str:
    receipt = d.TandaTerima(
        nomor_surat=NOMOR, tanggal_surat=date(2026, 11, 24), hal=f"Pengisian {TAG_AMP}", opd=HOSTILE,
        diterima_oleh_nama=f"Rina {SCRIPT}", diterima_oleh_jabatan="Operator E-SAKIP",
        diterima_pada=datetime(2026, 11, 25, 8, 14, tzinfo=WIB), kode_verifikasi="T3RM9K2HXA")
    pages = pages_text(d.render_tanda_terima(receipt, tz=WIB))
    assert len(pages) == 1
    return flat(pages[0])


def test_tanda_terima_has_every_field(tanda_terima: str) -> None:
    for text in ("TANDA TERIMA SURAT", f"Nomor surat : {NOMOR}", "Tanggal surat : 24 November 2026",
                 "Waktu diterima : Rabu, 25 November 2026 pukul 08.14 WIB",
                 "Melalui : Bot Telegram E-SAKIP Kabupaten Lamandau", "Jabatan : Operator E-SAKIP",
                 "T3RM9K2HXA", "/verifikasi T3RM9K2HXA", "SEKRETARIAT DAERAH"):
        assert text in tanda_terima
    text = squash(tanda_terima)
    for value in (HOSTILE, f"Rina {SCRIPT}", f"Pengisian {TAG_AMP}"):
        assert squash(value) in text


@pytest.fixture(scope="module")
def rekap() -> list[str]:
    start = datetime(2026, 11, 25, 7, 30, tzinfo=WIB)
    rows = [d.BarisTandaTerima(opd=f"Perangkat Daerah {i:03d}", diterima_oleh=f"Operator {i}",
                               jabatan="Operator", diterima_pada=start + timedelta(minutes=i))
            if i % 4 else d.BarisTandaTerima(opd=f"Perangkat Daerah {i:03d}") for i in range(1, 101)]
    rows[0] = d.BarisTandaTerima(opd=HOSTILE, diterima_oleh=f"Operator {TAG_AMP}",
                                 diterima_pada=start)
    recap = d.RekapTandaTerima(nomor_surat=NOMOR, tanggal_surat=date(2026, 11, 24), hal="Pengisian",
                               baris=rows, dibuat_pada=datetime(2026, 11, 25, 16, 0, tzinfo=WIB),
                               mengetahui=Pejabat("Kepala Bagian Organisasi", "Siti Rahmah, S.Sos., M.AP", "",
                                                  "198001012005012003"))
    assert recap.jumlah_diterima == 75
    return pages_text(d.render_rekap_tanda_terima(recap, tz=WIB))


def test_rekap_lists_every_opd_over_several_pages(rekap: list[str]) -> None:
    assert len(rekap) > 2
    for n, page in enumerate(rekap, start=1):
        assert "No. Nama Perangkat Daerah Diterima oleh Waktu Status" in flat(page)
        assert f"Halaman {n} dari {len(rekap)}" in flat(page)
    text = flat(" ".join(rekap))
    assert "Diterima oleh 75 dari 100 Perangkat Daerah; belum diterima: 25." in text
    assert "100. Perangkat Daerah 100 – – Belum diterima" in text
    assert "99. Perangkat Daerah 099 Operator 99 Operator 25 November 2026 pukul 09.09 WIB Diterima" in text
    assert squash(HOSTILE) in squash(text) and squash(f"Operator {TAG_AMP}") in squash(text)


def test_rekap_closes_with_the_kabags_mengetahui(rekap: list[str]) -> None:
    last = flat(rekap[-1])
    assert ("Nanga Bulik, 25 November 2026 Mengetahui, Kepala Bagian Organisasi, Siti Rahmah, S.Sos., M.AP "
            "NIP. 19800101 200501 2 003") in last
    assert "100. Perangkat Daerah 100" in last  # with the last rows, not alone on a page


def test_rekap_without_a_registered_kabag_leaves_a_line_to_fill() -> None:
    recap = d.RekapTandaTerima(nomor_surat=NOMOR, tanggal_surat=date(2026, 11, 24), hal="Pengisian",
                               baris=[d.BarisTandaTerima(opd="Dinas Sosial")],
                               dibuat_pada=datetime(2026, 11, 25, 16, 0, tzinfo=WIB))
    text = flat(" ".join(pages_text(d.render_rekap_tanda_terima(recap, tz=WIB))))
    assert "Mengetahui, Kepala Bagian Organisasi, (.......................................) NIP. ...." in text


def test_no_document_claims_a_certified_signature(disposisi: str, tanda_terima: str,
                                                  rekap: list[str]) -> None:
    for text in (disposisi, tanda_terima, *rekap):
        assert BSRE.lower() not in flat(text).lower()
