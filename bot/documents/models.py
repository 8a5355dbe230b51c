"""The context of each official document: plain frozen dataclasses (no ORM, no Telegram).

Sequences are stored as tuples so that a document, once built, cannot change under its digest.
Fields marked ``metadata={"digest": False}`` are left out of `content_digest` (see digest.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import ClassVar

from bot.sop.definition import Pejabat

#: A field that is not part of the document's content (left out of the digest).
_NOT_CONTENT = {"digest": False}


def _freeze(obj: object) -> None:
    """Turn every list-valued field of a frozen dataclass into a tuple."""
    for f in fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        if isinstance(value, list):
            object.__setattr__(obj, f.name, tuple(value))


@dataclass(frozen=True)
class Kop:
    """The letterhead (kop surat) of the sending unit."""

    pemerintah: str
    instansi: str
    alamat: str
    telepon: str
    faks: str
    website: str
    email: str
    #: Optional emblem (lambang) as a data: or file: URL; no emblem is drawn when None.
    lambang: str | None = None


KOP_SETDA_LAMANDAU = Kop(
    pemerintah="PEMERINTAH KABUPATEN LAMANDAU",
    instansi="SEKRETARIAT DAERAH",
    alamat="Kompleks Perkantoran Bukit Hibul Nanga Bulik Kode Pos 74662",
    telepon="(0532) 2071020",
    faks="(0532) 2071078",
    website="www.setda.lamandaukab.go.id",
    email="Setda@lamandaukab.go.id",
)


@dataclass(frozen=True)
class Penandatangan(Pejabat):
    """Who signs: a Pejabat (jabatan without the trailing comma, "SEKRETARIS DAERAH") and how."""

    #: "BUPATI LAMANDAU" prints "a.n. BUPATI LAMANDAU" above the jabatan.
    atas_nama: str | None = None
    #: "Plh." or "Plt." when the signer acts for the holder: "Plh. SEKRETARIS DAERAH,".
    selaku: str | None = None


@dataclass(frozen=True)
class Penerima:
    """An addressee: the Perangkat Daerah and whom the letter names ("Kepala Dinas Sosial")."""

    nama: str
    jabatan: str


def _penerima(item: Penerima | str) -> Penerima:
    from bot.documents.alamat import pimpinan

    return item if isinstance(item, Penerima) else Penerima(nama=item, jabatan=pimpinan(item))


@dataclass(frozen=True)
class Verifikasi:
    """The bot's record that the signer approved this content (not a certified TTE)."""

    kode: str
    sha256: str
    url_or_text_for_qr: str
    ditandatangani_pada: datetime
    oleh: str


@dataclass(frozen=True)
class SuratPemberitahuan:
    """Surat Sekretaris Daerah to the Perangkat Daerah about filling data kinerja in E-SAKIP."""

    #: More addressees than this are written "daftar terlampir" with an attached list.
    BATAS_KEPADA: ClassVar[int] = 3

    nomor: str
    tanggal: date
    sifat: str
    lampiran: str
    hal: str
    #: Perangkat Daerah names (addressed by the default rule) or `Penerima` from the OPD list.
    kepada: Sequence[Penerima | str]
    batas_waktu_pengisian: date
    tahun_kinerja: int
    penandatangan: Penandatangan
    #: The body, paragraph by paragraph (see bot.documents.isi for the standard text).
    isi: Sequence[str]
    tempat: str = "Nanga Bulik"
    tembusan: Sequence[str] = ()
    draft: bool = True
    verifikasi: Verifikasi | None = field(default=None, metadata=_NOT_CONTENT)
    #: Who the attachment heading names ("Lampiran Surat <pengirim>").
    pengirim: str = "Sekretaris Daerah Kabupaten Lamandau"
    kop: Kop = KOP_SETDA_LAMANDAU

    def __post_init__(self) -> None:
        object.__setattr__(self, "kepada", tuple(_penerima(p) for p in self.kepada))
        _freeze(self)
        if self.draft and self.verifikasi is not None:
            raise ValueError("a draft (konsep) letter cannot carry a verification block")
        if not self.kepada:
            raise ValueError("a letter needs at least one addressee")
        if not self.isi:
            raise ValueError("a letter needs a body")

    @property
    def daftar_terlampir(self) -> bool:
        return len(self.kepada) > self.BATAS_KEPADA

    @property
    def unit_setda(self) -> bool:
        """Whether the Sekretariat Daerah's own units are among the addressees."""
        from bot.documents.alamat import SETDA_INTERNAL

        return any(_penerima(p).jabatan == SETDA_INTERNAL for p in self.kepada)


#: The usual choices of "Dengan hormat harap" on a lembar disposisi.
HARAP_PILIHAN = (
    "Tanggapan dan saran",
    "Proses lebih lanjut",
    "Koordinasi/konfirmasikan",
    "Untuk diketahui",
    "Untuk dilaksanakan",
    "Siapkan konsep surat",
    "Arsip",
)
SIFAT_DISPOSISI = ("Sangat Segera", "Segera", "Rahasia")


@dataclass(frozen=True)
class LembarDisposisi:
    """The classic disposition form (SOP steps 1–3)."""

    surat_dari: str
    nomor_surat: str
    tanggal_surat: date | None
    diterima_tanggal: date | None
    nomor_agenda: str
    sifat: str
    hal: str
    diteruskan_kepada: Sequence[str]
    harap: str
    catatan: str
    batas_waktu: date | datetime | None
    oleh_nama: str
    oleh_jabatan: str
    tanggal: date | datetime
    tempat: str = "Nanga Bulik"
    pilihan_harap: Sequence[str] = HARAP_PILIHAN
    pilihan_sifat: Sequence[str] = SIFAT_DISPOSISI
    #: The bot's record of the disposition (printed as the paraf), if any.
    kode_verifikasi: str | None = field(default=None, metadata=_NOT_CONTENT)
    kop: Kop = KOP_SETDA_LAMANDAU

    def __post_init__(self) -> None:
        _freeze(self)
        if self.harap and self.harap not in self.pilihan_harap:
            object.__setattr__(self, "pilihan_harap", (*self.pilihan_harap, self.harap))


@dataclass(frozen=True)
class TandaTerima:
    """One Perangkat Daerah's receipt of the letter (SOP step 8 output)."""

    nomor_surat: str
    tanggal_surat: date
    hal: str
    opd: str
    diterima_oleh_nama: str
    diterima_oleh_jabatan: str
    diterima_pada: datetime
    kode_verifikasi: str | None = field(default=None, metadata=_NOT_CONTENT)
    via: str = "Bot Telegram E-SAKIP Kabupaten Lamandau"
    pengirim: str = "Sekretaris Daerah Kabupaten Lamandau"
    tempat: str = "Nanga Bulik"
    kop: Kop = KOP_SETDA_LAMANDAU


@dataclass(frozen=True)
class BarisTandaTerima:
    """One row of the recap: a Perangkat Daerah and, once received, by whom and when."""

    opd: str
    diterima_oleh: str | None = None
    jabatan: str | None = None
    diterima_pada: datetime | None = None

    @property
    def diterima(self) -> bool:
        return self.diterima_pada is not None

    @property
    def status(self) -> str:
        return "Diterima" if self.diterima else "Belum diterima"


@dataclass(frozen=True)
class RekapTandaTerima:
    """Who has received the letter, as of `dibuat_pada`."""

    nomor_surat: str
    tanggal_surat: date
    hal: str
    baris: Sequence[BarisTandaTerima]
    dibuat_pada: datetime
    disusun_oleh: Penandatangan | None = None
    #: The Kepala Bagian Organisasi under "Mengetahui,"; a line to fill by hand when None.
    mengetahui: Pejabat | None = None
    tempat: str = "Nanga Bulik"
    kop: Kop = KOP_SETDA_LAMANDAU

    def __post_init__(self) -> None:
        _freeze(self)

    @property
    def jumlah_diterima(self) -> int:
        return sum(1 for b in self.baris if b.diterima)
