"""The Surat Teguran of one `m.Teguran` row: its content from the cycle's Surat Pemberitahuan and
the OPD's progress, rendered as konsep or as signed (numbering, kop, signature block and the
bot's verification code as for the Surat Pemberitahuan)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.documents import wording
from bot.documents.alamat import SETDA_INTERNAL, pimpinan
from bot.documents.teguran import KEKURANGAN
from bot.roles import Peran
from bot.services.letter_context import ATAS_NAMA, LetterSetup, Signer
from bot.services.letter_fields import LetterFields
from bot.storage import models as m

LETTER = "surat_teguran"  # its hal and tembusan: templates/documents/wording.yaml
#: The OPD statuses a teguran may be drafted for (its own task is open and late): exactly those
#: whose shortfall the letter can word.
ELIGIBLE = KEKURANGAN


@dataclass(frozen=True)
class TeguranView:
    """What the chat shows of a teguran."""

    id: int
    cycle_id: int
    tahun: int
    opd_kode: str
    opd_nama: str
    kepada: str  # the Kepala's jabatan, as the letter names it
    status: str
    tanggal: date
    batas_waktu: date
    batas_semula: date
    surat_nomor: str
    hari_kerja: int
    nomor: str | None
    catatan: str | None
    drafter: str
    approver: str | None
    signed_at: datetime | None
    signer: str | None
    document_id: int | None


def cycle_of(s: Session, cycle_id: int) -> m.Cycle:
    cycle = s.get(m.Cycle, cycle_id)
    if cycle is None:  # a teguran row always has its cycle (foreign key)
        raise LookupError(cycle_id)
    return cycle


def deadline_of(cycle: m.Cycle) -> datetime:
    """The letter's batas waktu (a teguran exists only once it has passed)."""
    if cycle.letter_deadline is None:
        raise LookupError(cycle.id)
    return cycle.letter_deadline


def opd_of(s: Session, kode: str) -> m.PerangkatDaerah:
    return s.scalars(select(m.PerangkatDaerah).where(m.PerangkatDaerah.kode == kode)).one()


def internal(opd: m.PerangkatDaerah) -> bool:
    """Whether the OPD is the Sekretariat Daerah itself (its units are the Sekda's own)."""
    return (opd.jabatan_pimpinan or pimpinan(opd.nama)) == SETDA_INTERNAL


def view_of(s: Session, row: m.Teguran, hari_kerja: int) -> TeguranView:
    cycle, opd = cycle_of(s, row.cycle_id), opd_of(s, row.opd_kode)
    fields = LetterFields.from_dict(cycle.letter)

    def nama(user_id: int | None) -> str | None:
        user = s.get(m.User, user_id) if user_id else None
        return user.nama if user else None

    return TeguranView(
        id=row.id, cycle_id=cycle.id, tahun=cycle.tahun, opd_kode=opd.kode, opd_nama=opd.nama,
        kepada=opd.jabatan_pimpinan or pimpinan(opd.nama), status=row.status, tanggal=row.tanggal,
        batas_waktu=row.batas_waktu, batas_semula=fields.batas_waktu_pengisian, surat_nomor=fields.nomor,
        hari_kerja=hari_kerja, nomor=row.nomor, catatan=row.catatan, drafter=nama(row.created_by) or "-",
        approver=nama(row.approved_by), signed_at=row.signed_at, signer=nama(row.signed_by),
        document_id=row.document_id)


def build(s: Session, setup: LetterSetup, row: m.Teguran, hari_kerja: int, signer: Signer, *,
          code: str | None = None, signed_at: datetime | None = None) -> object:
    """The SuratTeguran dataclass of the row (a konsep unless `code` and `signed_at` are given)."""
    from bot import documents as d
    from bot.documents.teguran import SuratTeguran

    cycle, opd = cycle_of(s, row.cycle_id), opd_of(s, row.opd_kode)
    progress = s.scalars(select(m.CycleOpd).where(m.CycleOpd.cycle_id == cycle.id,
                                                  m.CycleOpd.opd_kode == opd.kode)).one()
    fields = LetterFields.from_dict(cycle.letter)
    status = progress.status if progress.status in ELIGIBLE else "mengisi"
    surat = SuratTeguran(
        nomor=row.nomor or wording.nomor_konsep(), tanggal=row.tanggal, hal=wording.hal(LETTER, cycle.tahun),
        kepada=d.Penerima(nama=opd.nama, jabatan=opd.jabatan_pimpinan or pimpinan(opd.nama)),
        tahun_kinerja=cycle.tahun, surat_nomor=fields.nomor, surat_tanggal=fields.tanggal, surat_hal=fields.hal,
        batas_waktu_semula=fields.batas_waktu_pengisian, kekurangan=status,
        catatan=(progress.last_note or "") if status == "dikembalikan" else "",
        terlambat_hari_kerja=hari_kerja, batas_waktu_baru=row.batas_waktu,
        penandatangan=d.Penandatangan(jabatan=signer.jabatan.upper(), nama=signer.nama, pangkat=signer.pangkat,
                                      nip=signer.nip, atas_nama=ATAS_NAMA, selaku=signer.selaku),
        tembusan=list(wording.tembusan(LETTER)), draft=code is None, kop=setup.kop())
    if code is None or signed_at is None:
        return surat
    digest = d.content_digest(surat)
    return replace(surat, verifikasi=d.Verifikasi(
        kode=code, sha256=digest, url_or_text_for_qr=d.verification_payload(code, digest),
        ditandatangani_pada=signed_at, oleh=signer.nama))


def render(setup: LetterSetup, surat: object) -> bytes:
    from bot.documents.teguran import render_surat_teguran

    return render_surat_teguran(surat, halaman=setup.halaman, tz=setup.tz)  # type: ignore[arg-type]


def prospective_signer(s: Session) -> Signer:
    """Who will sign a konsep: the registered Sekda (a konsep shows the name it will carry)."""
    sekda = s.scalars(select(m.User).where(m.User.peran == Peran.SEKDA.value, m.User.aktif)
                      .order_by(m.User.id)).first()
    return Signer.of_user(sekda) if sekda is not None else Signer(nama="(Sekretaris Daerah)")


def opd_readers(s: Session, kode: str) -> list[m.User]:
    """Who receives the signed teguran: the Kepala and the operators of the Perangkat Daerah."""
    return list(s.scalars(select(m.User).where(
        m.User.aktif, m.User.unreachable_at.is_(None), m.User.opd_kode == kode,
        m.User.peran.in_([Peran.KEPALA_OPD.value, Peran.OPD.value])).order_by(m.User.id)))
