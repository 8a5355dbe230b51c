"""The Surat Pemberitahuan as the Sekretariat Daerah reads it, through the chat: who it is
addressed to, who signs, what a return keeps, the lampiran line and the body (issue 11, 1-5)."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from bot.demo import SAMPLE_PDF
from bot.services.directory import OpdRow
from bot.simulation import Person, Simulation, default_people
from bot.storage import models as m

from .conftest import OPDS
from .test_rules import to_step

NEW_SEKDA = Person("sekda", 1001, "Drs. H. ARIF BUDIMAN, M.Si.", "sekda", jabatan="Sekretaris Daerah",
                   nip="197005122000031004", pangkat="Pembina Tingkat I (IV/b)")


def letter_text(sim, kind: str = "surat_pemberitahuan") -> str:
    with sim.svc.db.transaction(write=False) as s:
        doc = s.scalars(select(m.Document).where(m.Document.kind == kind)
                        .order_by(m.Document.id.desc())).first()
    assert doc is not None, kind
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(doc.file_path).pages)


def people(sekda: Person, opds: list[OpdRow] = OPDS) -> list[Person]:
    return [sekda if p.key == "sekda" else p for p in default_people(opds)]


async def sign(sim) -> None:
    await sim.press("kabag", "Setujui")
    await sim.press("asisten", "Setujui")
    await sim.press("sekda", "Tandatangani")
    await sim.press("sekda", "Ya, tandatangani")


async def test_the_letter_carries_the_signers_own_name_pangkat_and_nip(tmp_path):
    """A Sekda who is not the SOP's "Disahkan oleh" signs: the letter names him, not his predecessor."""
    async with Simulation(tmp_path, opds=OPDS, people=people(NEW_SEKDA)) as sim:
        await to_step(sim, 8)
        text = letter_text(sim)
        konsep = letter_text(sim, "konsep_surat")
    for printed in (text, konsep):
        assert "Drs. H. ARIF BUDIMAN, M.Si." in printed
        assert "Pembina Tingkat I (IV/b)" in printed and "NIP. 19700512 200003 1 004" in printed
        assert "IRWANSYAH" not in printed and "19771027 200312 1 005" not in printed
        assert "a.n. BUPATI LAMANDAU SEKRETARIS DAERAH," in printed
    assert "oleh Drs. H. ARIF BUDIMAN, M.Si." in text


async def test_a_signer_without_nip_or_pangkat_is_warned_before_signing(tmp_path):
    bare = Person("sekda", 1001, "Drs. H. ARIF BUDIMAN, M.Si.", "sekda", jabatan="Sekretaris Daerah")
    async with Simulation(tmp_path, opds=OPDS, people=people(bare)) as sim:
        await to_step(sim, 5)
        await sim.press("kabag", "Setujui")
        await sim.press("asisten", "Setujui")
        await sim.press("sekda", "Tandatangani")
        confirm = sim.last_text("sekda")
        assert "Data penanda tangan belum lengkap: pangkat dan NIP Bapak/Ibu belum tercatat" in confirm
        await sim.press("sekda", "Ya, tandatangani")
        text = letter_text(sim)
    assert "Drs. H. ARIF BUDIMAN, M.Si." in text and "NIP." not in text


async def test_a_complete_signer_sees_no_warning(sim):
    await to_step(sim, 5)
    # the konsep has no number yet, and the approvers are told so in a sentence
    assert "Konsep surat: hal Pengisian Data Kinerja" in sim.last_text("kabag")
    assert "; nomor diberikan saat ditandatangani." in sim.last_text("kabag")
    await sim.press("kabag", "Setujui")
    await sim.press("asisten", "Setujui")
    await sim.press("sekda", "Tandatangani")
    assert "Konfirmasi penandatanganan" in sim.last_text("sekda")
    assert "belum lengkap" not in sim.last_text("sekda")


async def test_a_return_keeps_every_field_of_the_last_draft_for_whoever_reopens_it(sim):
    await to_step(sim, 4)
    await sim.press("tim1", "Isi konsep surat")
    await sim.press("tim1", "Batas waktu pengisian")
    await sim.say("tim1", "31-12-2026")
    await sim.press("tim1", "Hal")
    await sim.say("tim1", "Pengisian Data Kinerja Tahun 2026 pada Aplikasi E-SAKIP")
    await sim.press("tim1", "Sifat")
    await sim.say("tim1", "Segera")
    await sim.press("tim1", "Paragraf tambahan")
    await sim.say("tim1", "Pendampingan teknis tersedia di Bagian Organisasi setiap hari kerja.")
    await sim.press("tim1", "Kirim ke Kabag")
    await sim.press("kabag", "Kembalikan")
    await sim.say("kabag", "Mohon periksa kembali penulisan nama aplikasi.")
    await sim.press("tim2", "Isi konsep surat")
    form = sim.last_text("tim2")
    assert "Kamis, 31 Desember 2026" in form
    assert "Hal: Pengisian Data Kinerja Tahun 2026 pada Aplikasi E-SAKIP" in form
    assert "Sifat: Segera" in form and "Pendampingan teknis tersedia" in form
    await sim.press("tim2", "Kirim ke Kabag")
    await sign(sim)
    text = letter_text(sim)
    assert "paling lambat tanggal 31 Desember 2026" in text and "11 Januari 2027" not in text
    assert "Hal : Pengisian Data Kinerja Tahun 2026 pada Aplikasi E-SAKIP" in text
    assert "Sifat : Segera" in text and "Pendampingan teknis tersedia" in text


SETDA_OPDS = [OpdRow("SETDA", "Sekretariat Daerah", "Setda"),
              OpdRow("BPBD", "Badan Penanggulangan Bencana Daerah", "BPBD",
                     "Kepala Pelaksana Badan Penanggulangan Bencana Daerah"),
              OpdRow("KEC-DELANG", "Kecamatan Delang", "Kec. Delang")]


async def test_addressees_come_from_the_opd_list_and_the_sekda_never_writes_to_himself(tmp_path):
    async with Simulation(tmp_path, opds=SETDA_OPDS) as sim:
        await to_step(sim, 8)
        text = letter_text(sim)
    assert ("Yth. 1. Para Asisten dan Kepala Bagian lingkup Sekretariat Daerah "
            "2. Kepala Pelaksana Badan Penanggulangan Bencana Daerah 3. Camat Delang") in text
    assert "Kepala Sekretariat Daerah" not in text


async def test_lampiran_is_a_dash_unless_a_file_is_attached(sim):
    await to_step(sim, 4)
    await sim.press("tim1", "Isi konsep surat")
    assert "Lampiran: -" in sim.last_text("tim1")
    await sim.press("tim1", "Lampirkan berkas")
    await sim.upload("tim1", "Jadwal_Pendampingan.pdf", SAMPLE_PDF, "application/pdf")
    form = sim.last_text("tim1")
    assert "Lampiran: 1 (satu) berkas (termasuk Jadwal_Pendampingan.pdf)" in form
    await sim.press("tim1", "Kirim ke Kabag")
    assert any(msg.file is not None and msg.file.file_name == "Jadwal_Pendampingan.pdf"
               for msg in sim.messages("kabag"))
    await sign(sim)
    assert "Lampiran : 1 (satu) berkas" in letter_text(sim)
    await sim.press("tim1", "Distribusikan surat")
    for who in ("disdik", "dinsos", "kec-delang"):
        assert any(msg.file is not None and msg.file.file_name == "Jadwal_Pendampingan.pdf"
                   for msg in sim.messages(who)), who


async def test_without_attachment_the_signed_letter_says_lampiran_dash(sim):
    await to_step(sim, 8)
    text = letter_text(sim)
    assert "Lampiran : - Hal" in text and "1 (satu) berkas" not in text


async def test_the_whole_body_is_shown_in_the_form_and_each_part_can_be_changed(sim):
    await to_step(sim, 4)
    await sim.press("tim1", "Isi konsep surat")
    form = sim.last_text("tim1")
    for part in ("Dasar: Berdasarkan Peraturan Presiden Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas "
                 "Kinerja Instansi Pemerintah",
                 "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 88 Tahun "
                 "2021 tentang Evaluasi Akuntabilitas Kinerja Instansi Pemerintah",
                 "dengan ini diminta kepada Saudara untuk melaksanakan pengisian data kinerja",
                 "memengaruhi hasil penilaian", "Penutup: Demikian disampaikan"):
        assert part in form, part
    assert "Narahubung: - (tidak dicantumkan)" in form  # no narahubung configured
    await sim.press("tim1", "Rincian")
    assert "teks baku" in sim.last_text("tim1")
    await sim.say("tim1", "Data kinerja mohon diisi lengkap pada aplikasi E-SAKIP.")
    assert "harus menyebut batas waktu pengisian" in sim.last_text("tim1")
    await sim.press("tim1", "Kirim ke Kabag")
    assert "harus menyebut batas waktu pengisian" in sim.last_text("tim1")
    await sim.press("tim1", "Rincian")
    await sim.say("tim1", "Data kinerja mohon diisi lengkap pada aplikasi E-SAKIP paling lambat "
                          "tanggal 11 Januari 2027.")
    await sim.press("tim1", "Penutup")
    await sim.say("tim1", "hapus")
    assert "Rincian (diubah): Data kinerja mohon diisi lengkap" in sim.last_text("tim1")
    await sim.press("tim1", "Kirim ke Kabag")
    await sign(sim)
    text = letter_text(sim)
    assert "Data kinerja mohon diisi lengkap pada aplikasi E-SAKIP paling lambat tanggal 11 Januari 2027." in text
    assert "Demikian disampaikan" not in text and "Sistem Akuntabilitas Kinerja Instansi" in text
    assert "mempengaruhi" not in text and "bersama ini disampaikan" not in text


async def test_portal_and_narahubung_come_from_the_settings(tmp_path):
    async with Simulation(tmp_path, opds=OPDS, portal_url="esakip.example.go.id",
                          narahubung_nama="Rina Wulandari, S.E.", narahubung_telepon="0812 5000 1234") as sim:
        await to_step(sim, 8)
        text = letter_text(sim)
    assert "aplikasi E-SAKIP Kabupaten Lamandau (esakip.example.go.id)." in text
    assert "melalui narahubung Rina Wulandari, S.E., telepon 0812 5000 1234." in text


async def test_without_portal_or_narahubung_their_sentences_are_left_out(sim):
    await to_step(sim, 8)
    text = letter_text(sim)
    assert "narahubung" not in text and "Kabupaten Lamandau ()" not in text
    assert "Keterlambatan pengisian akan memengaruhi hasil penilaian" in text


@pytest.mark.parametrize("kertas, size", [("A4", (595, 842)), ("F4", (609, 935))])
async def test_paper_size_is_a_setting(tmp_path, kertas, size):
    async with Simulation(tmp_path, opds=OPDS, kertas=kertas) as sim:
        await to_step(sim, 8)
        with sim.svc.db.transaction(write=False) as s:
            paths = [d.file_path for d in s.scalars(select(m.Document).where(
                m.Document.kind.in_(("surat_pemberitahuan", "lembar_disposisi"))))]
    for path in paths:
        box = PdfReader(path).pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == size, path
