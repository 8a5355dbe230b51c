"""Builds the documents' context from a cycle's letter fields and the SOP's identity."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from bot.services.letters import LetterFields
from bot.sop.definition import SopDefinition

TEMBUSAN = ("Yth. Bupati Lamandau (sebagai laporan)",)


def render_letter(sop: SopDefinition, fields: LetterFields, tahun: int, opds: Sequence[str], *,
                  draft: bool, code: str | None = None, signed_at: datetime | None = None,
                  signer_nama: str | None = None) -> bytes:
    from bot import documents as d

    signer = sop.identity.disahkan_oleh
    surat = d.SuratPemberitahuan(
        nomor=fields.nomor or "(diberikan saat ditandatangani)", tanggal=fields.tanggal, sifat=fields.sifat, lampiran=fields.lampiran,
        hal=fields.hal, kepada=list(opds), batas_waktu_pengisian=fields.batas_waktu_pengisian,
        tahun_kinerja=tahun - 1 if fields.tanggal.month <= 3 else tahun,
        paragraf_tambahan=fields.paragraf_tambahan or None,
        penandatangan=d.Penandatangan(jabatan="SEKRETARIS DAERAH", nama=signer.nama,
                                      pangkat=signer.pangkat, nip=signer.nip, atas_nama="BUPATI LAMANDAU"),
        tembusan=list(TEMBUSAN), draft=draft, verifikasi=None,
    )
    if not draft and code is not None and signed_at is not None:
        digest = d.content_digest(surat)
        surat = replace(surat, verifikasi=d.Verifikasi(
            kode=code, sha256=digest, url_or_text_for_qr=f"ESAKIP-LMD:{code}:{digest[:16]}",
            ditandatangani_pada=signed_at, oleh=signer_nama or signer.nama))
    return d.render_surat_pemberitahuan(surat)
