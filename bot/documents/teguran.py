"""The Surat Teguran: a letter of the Sekretaris Daerah (a.n. Bupati) to the Kepala of one
Perangkat Daerah that passed the batas waktu of the Surat Pemberitahuan. Its wording is
templates/documents/surat_teguran.html; this is its content, as a frozen dataclass."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, tzinfo

from bot.documents.layout import Halaman
from bot.documents.models import (_NOT_CONTENT, KOP_SETDA_LAMANDAU, Kop, Penandatangan, Penerima, Verifikasi,
                                  _freeze)

#: What the Perangkat Daerah has not done yet, by its status at steps 8-10 (the template words it).
KEKURANGAN = ("belum_menerima", "mengisi", "dikembalikan")


@dataclass(frozen=True)
class SuratTeguran:
    nomor: str
    tanggal: date
    hal: str
    kepada: Penerima
    tahun_kinerja: int
    #: The Surat Pemberitahuan the teguran follows up: its nomor, tanggal, hal and batas waktu.
    surat_nomor: str
    surat_tanggal: date
    surat_hal: str
    batas_waktu_semula: date
    #: One of KEKURANGAN; `catatan` is Tim SAKIP's last note when the report was returned.
    kekurangan: str
    terlambat_hari_kerja: int
    batas_waktu_baru: date
    penandatangan: Penandatangan
    catatan: str = ""
    sifat: str = "Segera"
    lampiran: str = "-"
    tempat: str = "Nanga Bulik"
    tembusan: Sequence[str] = ()
    draft: bool = True
    verifikasi: Verifikasi | None = field(default=None, metadata=_NOT_CONTENT)
    kop: Kop = KOP_SETDA_LAMANDAU

    def __post_init__(self) -> None:
        _freeze(self)
        if self.kekurangan not in KEKURANGAN:
            raise ValueError(f"unknown kekurangan {self.kekurangan!r}")
        if self.draft and self.verifikasi is not None:
            raise ValueError("a draft (konsep) letter cannot carry a verification block")
        if self.batas_waktu_baru <= self.tanggal:
            raise ValueError("the new deadline must come after the letter's date")


def render_surat_teguran(surat: SuratTeguran, halaman: Halaman | None = None, tz: tzinfo | None = None) -> bytes:
    """The letter as PDF; `tz` is the deployment's zone (the verification block shows an instant)."""
    from bot.documents import render_pdf

    return render_pdf("surat_teguran.html", {"surat": surat}, halaman, tz)
