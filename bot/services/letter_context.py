"""Builds the Surat Pemberitahuan from a cycle's letter fields, its addressees, the person who
signs and the deployment's settings (page, kop, portal, narahubung)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import Any

from bot.config import Settings
from bot.documents import wording
from bot.documents.isi import KonteksIsi, Paragraf, susun, teks_isi
from bot.documents.layout import Halaman, lambang_data_url
from bot.services.letter_fields import LetterFields
from bot.sop.definition import SopDefinition

ATAS_NAMA = "BUPATI LAMANDAU"
JABATAN_SEKDA = "Sekretaris Daerah"
TERBILANG = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
             "sepuluh")


@dataclass(frozen=True)
class LetterSetup:
    """What the letter takes from the settings."""

    halaman: Halaman
    tz: tzinfo  # the deployment's zone (ESAKIP_TIMEZONE): the documents' instants are shown in it
    lambang: str | None = None  # data: URL
    portal: str = ""
    narahubung_nama: str = ""
    narahubung_telepon: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> LetterSetup:
        return cls(halaman=Halaman.from_settings(settings), tz=settings.tz, lambang=lambang_data_url(settings.lambang),
                   portal=settings.portal_url.strip(), narahubung_nama=settings.narahubung_nama.strip(),
                   narahubung_telepon=settings.narahubung_telepon.strip())

    def kop(self) -> Any:
        from bot import documents as d

        return replace(d.KOP_SETDA_LAMANDAU, lambang=self.lambang)


@dataclass(frozen=True)
class Signer:
    """Who signs (the signing user, or whoever will sign a konsep)."""

    nama: str
    jabatan: str = JABATAN_SEKDA
    pangkat: str = ""
    nip: str = ""
    #: "Plh." or "Plt." when acting for the holder of the post.
    selaku: str | None = None

    @property
    def missing(self) -> list[str]:
        """What the signature block would lack ("pangkat", "NIP")."""
        return [label for label, value in (("pangkat", self.pangkat), ("NIP", self.nip)) if not value]

    @classmethod
    def of_user(cls, user: Any, selaku: str | None = None) -> Signer:
        return cls(nama=user.nama, jabatan=user.jabatan or JABATAN_SEKDA, pangkat=user.pangkat or "",
                   nip=user.nip or "", selaku=selaku)

    @classmethod
    def of_sop(cls, sop: SopDefinition) -> Signer:
        """The SOP's "Disahkan oleh", only when no Sekda is registered (a konsep preview)."""
        p = sop.identity.disahkan_oleh
        return cls(nama=p.nama, pangkat=p.pangkat, nip=p.nip)


def tahun_kinerja(fields: LetterFields, tahun: int) -> int:
    """The cycle's tahun kinerja, chosen at /mulai (no longer guessed from the letter's date)."""
    return tahun


def konteks_isi(setup: LetterSetup, fields: LetterFields, tahun: int) -> KonteksIsi:
    return KonteksIsi(tahun_kinerja=tahun_kinerja(fields, tahun),
                      batas_waktu_pengisian=fields.batas_waktu_pengisian, portal=setup.portal,
                      narahubung_nama=setup.narahubung_nama, narahubung_telepon=setup.narahubung_telepon)


def body(setup: LetterSetup, fields: LetterFields, tahun: int) -> list[Paragraf]:
    """Every part of the body, standard or changed, for the form."""
    return susun(konteks_isi(setup, fields, tahun), fields.isi)


def printed_body(setup: LetterSetup, fields: LetterFields, tahun: int) -> list[str]:
    return teks_isi(konteks_isi(setup, fields, tahun), fields.isi)


def lampiran(fields: LetterFields, recipients: int) -> str:
    """'-' unless something is attached: the list of addressees, a file Tim SAKIP added."""
    from bot import documents as d

    count = (recipients > d.SuratPemberitahuan.BATAS_KEPADA) + bool(fields.berkas)
    return "-" if count == 0 else f"{count} ({TERBILANG[count]}) berkas"


def build_letter(setup: LetterSetup, fields: LetterFields, tahun: int, recipients: Sequence[Any],
                 signer: Signer, *, draft: bool, code: str | None = None,
                 signed_at: datetime | None = None) -> Any:
    from bot import documents as d

    surat = d.SuratPemberitahuan(
        nomor=fields.nomor or wording.nomor_konsep(), tanggal=fields.tanggal,
        sifat=fields.sifat, lampiran=lampiran(fields, len(recipients)), hal=fields.hal,
        kepada=list(recipients), batas_waktu_pengisian=fields.batas_waktu_pengisian,
        tahun_kinerja=tahun_kinerja(fields, tahun), isi=printed_body(setup, fields, tahun),
        penandatangan=d.Penandatangan(jabatan=signer.jabatan.upper(), nama=signer.nama,
                                      pangkat=signer.pangkat, nip=signer.nip, atas_nama=ATAS_NAMA,
                                      selaku=signer.selaku),
        tembusan=list(wording.tembusan("surat_pemberitahuan")), draft=draft, verifikasi=None, kop=setup.kop(),
    )
    if not draft and code is not None and signed_at is not None:
        digest = d.content_digest(surat)
        surat = replace(surat, verifikasi=d.Verifikasi(
            kode=code, sha256=digest, url_or_text_for_qr=f"ESAKIP-LMD:{code}:{digest[:16]}",
            ditandatangani_pada=signed_at, oleh=signer.nama))
    return surat


def render_letter(setup: LetterSetup, fields: LetterFields, tahun: int, recipients: Sequence[Any],
                  signer: Signer, *, draft: bool, code: str | None = None,
                  signed_at: datetime | None = None) -> bytes:
    from bot import documents as d

    surat = build_letter(setup, fields, tahun, recipients, signer, draft=draft, code=code,
                         signed_at=signed_at)
    return d.render_surat_pemberitahuan(surat, halaman=setup.halaman, tz=setup.tz)
