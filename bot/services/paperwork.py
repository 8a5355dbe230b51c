"""The cycle's paper trail: lembar disposisi (steps 1-3), tanda terima (step 8) and the archive
(step 12), written as documents inside the use-case's unit of work."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import formatting
from bot.roles import Peran
from bot.services.letters import LetterFields, Letters
from bot.sop.definition import SopDefinition
from bot.storage import models as m
from bot.workflow import CycleState, TaskFinished, TaskOpened, Transition


class Paperwork:
    def __init__(self, sop: SopDefinition, letters: Letters) -> None:
        self.sop = sop
        self.letters = letters

    def hooks(self) -> dict[str, Any]:
        return {"forward": self.after_forward, "confirm_receipt": self.after_receipt,
                "archive": self.after_archive}

    # -- steps 1-3 ---------------------------------------------------------------------------

    def after_forward(self, s: Session, cycle: m.Cycle, user: m.User, before: CycleState,
                      t: Transition, payload: Mapping[str, Any], now: datetime) -> None:
        from bot import documents as d

        done = next(e.task for e in t.effects if isinstance(e, TaskFinished))
        opened = next((e.task for e in t.effects if isinstance(e, TaskOpened)), None)
        step = self.sop.step(done.step)
        kepada = Peran(opened.role).label if opened else "-"
        sheet = d.LembarDisposisi(
            surat_dari=f"{Peran(user.peran).label}", nomor_surat=f"{self.sop.identity.nomor} langkah {step.no}",
            tanggal_surat=cycle.opened_at.astimezone(formatting.WIB).date(),
            diterima_tanggal=done.started_at.astimezone(formatting.WIB).date(),
            nomor_agenda=f"{cycle.tahun}/{cycle.id}/{done.seq}", sifat="Segera",
            hal=f"Pengisian Data Kinerja Perangkat Daerah pada Aplikasi E-SAKIP Tahun {cycle.tahun}",
            diteruskan_kepada=[kepada], harap="Proses lebih lanjut",
            catatan=f"{step.kegiatan}" + (f" — Arahan: {done.note}" if done.note else ""),
            batas_waktu=opened.due_at.astimezone(formatting.WIB) if opened and opened.due_at else None,
            oleh_nama=user.nama, oleh_jabatan=user.jabatan or Peran(user.peran).label,
            tanggal=now.astimezone(formatting.WIB),
        )
        self.letters.store(s, cycle, "lembar_disposisi", f"Lembar_Disposisi_Langkah_{step.no}.pdf",
                           d.render_lembar_disposisi(sheet), user, now)

    # -- step 8 ------------------------------------------------------------------------------

    def after_receipt(self, s: Session, cycle: m.Cycle, user: m.User, before: CycleState,
                      t: Transition, payload: Mapping[str, Any], now: datetime) -> None:
        from bot import documents as d

        done = next(e.task for e in t.effects if isinstance(e, TaskFinished))
        fields = LetterFields.from_dict(cycle.letter)
        opd = s.scalar(select(m.PerangkatDaerah).where(m.PerangkatDaerah.kode == done.opd))
        receipt = d.TandaTerima(
            nomor_surat=fields.nomor, tanggal_surat=fields.tanggal, hal=fields.hal,
            opd=opd.nama if opd else str(done.opd), diterima_oleh_nama=user.nama,
            diterima_oleh_jabatan=user.jabatan or Peran(user.peran).label,
            diterima_pada=now.astimezone(formatting.WIB),
        )
        self.letters.store(s, cycle, "tanda_terima", f"Tanda_Terima_{done.opd}.pdf",
                           d.render_tanda_terima(receipt), user, now, opd=done.opd)

    def receipt_summary(self, s: Session, cycle: m.Cycle, now: datetime) -> bytes:
        from bot import documents as d

        fields = LetterFields.from_dict(cycle.letter)
        rows = s.execute(
            select(m.PerangkatDaerah.nama, m.User.nama, m.User.jabatan, m.CycleOpd.received_at)
            .join(m.CycleOpd, m.CycleOpd.opd_kode == m.PerangkatDaerah.kode)
            .outerjoin(m.User, m.User.id == m.CycleOpd.received_by)
            .where(m.CycleOpd.cycle_id == cycle.id).order_by(m.CycleOpd.urutan)).all()
        return d.render_rekap_tanda_terima(d.RekapTandaTerima(
            nomor_surat=fields.nomor, tanggal_surat=fields.tanggal, hal=fields.hal,
            baris=[d.BarisTandaTerima(opd=nama, diterima_oleh=oleh, jabatan=jabatan,
                                      diterima_pada=at.astimezone(formatting.WIB) if at else None)
                   for nama, oleh, jabatan, at in rows],
            dibuat_pada=now.astimezone(formatting.WIB)))

    # -- step 12 -----------------------------------------------------------------------------

    def after_archive(self, s: Session, cycle: m.Cycle, user: m.User, before: CycleState,
                      t: Transition, payload: Mapping[str, Any], now: datetime) -> None:
        summary = self.letters.store(s, cycle, "rekap_tanda_terima", "Rekap_Tanda_Terima.pdf",
                                     self.receipt_summary(s, cycle, now), user, now)
        del summary
        archive = build_archive(s, cycle, now)
        self.letters.store(s, cycle, "arsip", f"Arsip_E-SAKIP_{cycle.tahun}.zip", archive, user, now,
                           mime_type="application/zip", suffix=".zip")


def build_archive(s: Session, cycle: m.Cycle, now: datetime) -> bytes:
    """A ZIP of every document of the cycle, the recap, the audit log as CSV, and a manifest."""
    from pathlib import Path

    files: list[tuple[str, bytes]] = []
    docs = s.scalars(select(m.Document).where(m.Document.cycle_id == cycle.id, m.Document.kind != "arsip")
                     .order_by(m.Document.id)).all()
    for doc in docs:
        files.append((f"dokumen/{doc.id:03d}-{doc.kind}-{doc.filename}", Path(doc.file_path).read_bytes()))
    files.append(("rekap.csv", _recap_csv(s, cycle)))
    files.append(("riwayat.csv", _audit_csv(s, cycle)))
    manifest = [{"berkas": name, "sha256": hashlib.sha256(data).hexdigest(), "ukuran": len(data)}
                for name, data in files]
    files.append(("manifest.json", json.dumps(
        {"siklus": cycle.id, "tahun": cycle.tahun, "dibuat": now.isoformat(), "berkas": manifest},
        ensure_ascii=False, indent=2).encode()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=now.astimezone(formatting.WIB).timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buffer.getvalue()


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _when(value: datetime | None) -> str:
    return formatting.tanggal_jam(value) if value else ""


def _recap_csv(s: Session, cycle: m.Cycle) -> bytes:
    rows = s.execute(select(m.PerangkatDaerah.kode, m.PerangkatDaerah.nama, m.CycleOpd)
                     .join(m.CycleOpd, m.CycleOpd.opd_kode == m.PerangkatDaerah.kode)
                     .where(m.CycleOpd.cycle_id == cycle.id).order_by(m.CycleOpd.urutan)).all()
    return _csv(["kode", "perangkat_daerah", "status", "diterima", "melapor", "diverifikasi", "dikembalikan"],
                [[kode, nama, p.status, _when(p.received_at), _when(p.submitted_at), _when(p.verified_at),
                  p.returns] for kode, nama, p in rows])


def _audit_csv(s: Session, cycle: m.Cycle) -> bytes:
    events = s.scalars(select(m.AuditLog).where(m.AuditLog.cycle_id == cycle.id).order_by(m.AuditLog.id)).all()
    return _csv(["waktu", "oleh", "tindakan", "objek", "id", "sebelum", "sesudah"],
                [[e.at.isoformat(), e.actor_label, e.action, e.entity, e.entity_id or "",
                  json.dumps(e.before, ensure_ascii=False) if e.before else "",
                  json.dumps(e.after, ensure_ascii=False) if e.after else ""] for e in events])
