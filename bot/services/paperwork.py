"""The cycle's paper trail: lembar disposisi (steps 1-3), tanda terima (step 8) and the archive
(step 12), written as documents inside the use-case's unit of work."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from bot.documents import wording
from bot.filenames import safe_filename
from bot.roles import Peran
from bot.services.acting import jabatan_for
from bot.services.letters import LetterFields, Letters
from bot.services.sops import SopCatalog
from bot.sop.definition import SopDefinition, StepKind
from bot.storage import models as m
from bot.workflow import DocumentDue, Transition


class Paperwork:
    def __init__(self, sop: SopDefinition, letters: Letters, catalog: SopCatalog | None = None) -> None:
        self.sop = sop
        self.letters = letters
        self.catalog = catalog

    def _sop(self, s: Session, cycle: m.Cycle) -> SopDefinition:
        """The SOP the cycle runs on (the text it started with)."""
        return self.catalog.sop(s, cycle) if self.catalog is not None else self.sop

    def producers(self) -> dict[str, Any]:
        """What renders each document the engine says is due (DocumentDue.kind)."""
        return {"lembar_disposisi": self.after_forward, "rekap": self.when_recap_opens,
                "arsip": self.after_archive}

    # -- step 11 -----------------------------------------------------------------------------

    def when_recap_opens(self, s: Session, cycle: m.Cycle, user: m.User | None, due: DocumentDue,
                         t: Transition, payload: Mapping[str, Any], now: datetime) -> None:
        """The recap step's kelengkapan, "Rekapitulasi isian Data Perangkat Daerah", as a PDF."""
        sop = self._sop(s, cycle)
        if not sop.has_kind(StepKind.SUBMISSION):
            return
        from bot.reports import chart, pdf
        from bot.services.recap import load_recap

        s.flush()
        recap = load_recap(s, sop, cycle.id, now, tz=self.letters.setup.tz)
        content = pdf.recap_pdf(recap, chart.recap_chart(recap, dpi=150))
        self.letters.store(s, cycle, "rekap", f"Rekapitulasi_E-SAKIP_{cycle.tahun}.pdf", content, user, now)

    # -- steps 1-3 ---------------------------------------------------------------------------

    def after_forward(self, s: Session, cycle: m.Cycle, user: m.User, due: DocumentDue,
                      t: Transition, payload: Mapping[str, Any], now: datetime) -> None:
        from bot import documents as d
        from bot.services.incoming import load_incoming

        done, opened = due.task, due.opened
        sop = self._sop(s, cycle)
        step = sop.step(done.step)
        kepada = opened.role.label if opened else "-"
        # The incoming letter the cycle answers, when the Sekda registered one at /mulai; "-"
        # otherwise (an SOP number is not a letter number).
        surat = load_incoming(s, cycle.id)
        sheet = d.LembarDisposisi(
            surat_dari=surat.pengirim if surat else "", nomor_surat=surat.nomor if surat else "",
            tanggal_surat=surat.tanggal if surat else None,
            diterima_tanggal=done.started_at.astimezone(self.letters.setup.tz).date(),
            nomor_agenda=f"{cycle.tahun}/{cycle.id}/{done.seq}", sifat="Segera",
            hal=f"{sop.perihal or sop.identity.nama} Tahun {cycle.tahun}",
            diteruskan_kepada=[kepada], harap="Proses lebih lanjut",
            catatan=f"{step.kegiatan}" + (f" — Arahan: {done.note}" if done.note else ""),
            batas_waktu=opened.due_at if opened and opened.due_at else None,
            oleh_nama=user.nama, oleh_jabatan=jabatan_for(s, user, done.role, now, self.letters.setup.tz),
            tanggal=now,
        )
        self.letters.store(s, cycle, "lembar_disposisi", f"Lembar_Disposisi_Langkah_{step.no}.pdf",
                           d.render_lembar_disposisi(self.letters.dress(sheet), self.letters.setup.halaman,
                                                     self.letters.setup.tz),
                           user, now)

    # -- step 8 ------------------------------------------------------------------------------

    def receipts(self, s: Session, cycle: m.Cycle, user: m.User | None, now: datetime) -> None:
        """One tanda terima per Perangkat Daerah that confirmed receipt, from the recorded facts
        (who, when). Rendered once when the cycle is archived rather than inside every press,
        where a PDF would hold up the operator's answer and the write lock."""
        from bot import documents as d

        fields = LetterFields.from_dict(cycle.letter)
        from bot.services.reach_behalf import receipt_fields

        rows = s.execute(
            select(m.CycleOpd.opd_kode, m.PerangkatDaerah.nama, m.User, m.CycleOpd.received_at,
                   m.CycleOpd.received_via, m.CycleOpd.received_by_name)
            .join(m.PerangkatDaerah, m.PerangkatDaerah.kode == m.CycleOpd.opd_kode)
            .join(m.User, m.User.id == m.CycleOpd.received_by)
            .where(m.CycleOpd.cycle_id == cycle.id, m.CycleOpd.received_at.is_not(None))
            .order_by(m.CycleOpd.urutan)).all()
        for kode, nama, receiver, received_at, via, by_name in rows:
            receipt = d.TandaTerima(**{
                "nomor_surat": fields.nomor, "tanggal_surat": fields.tanggal, "hal": fields.hal, "opd": nama,
                "diterima_oleh_nama": receiver.nama,
                "diterima_oleh_jabatan": receiver.jabatan or receiver.peran.label,
                "diterima_pada": received_at,
                **receipt_fields(via, by_name, nama, receiver)})  # recorded on the OPD's behalf (issue 12)
            self.letters.store(s, cycle, "tanda_terima", f"Tanda_Terima_{kode}.pdf",
                               d.render_tanda_terima(self.letters.dress(receipt), self.letters.setup.halaman,
                                                     self.letters.setup.tz),
                               user, now, opd=kode)

    def receipt_summary(self, s: Session, cycle: m.Cycle, now: datetime) -> bytes:
        from bot import documents as d
        from bot.services.recap import load_kabag

        fields = LetterFields.from_dict(cycle.letter)
        on_behalf = literal(wording.atas_nama("rekap_jabatan"))  # a receipt Tim SAKIP recorded (issue 12)
        rows = s.execute(
            select(m.PerangkatDaerah.nama, func.coalesce(m.CycleOpd.received_by_name, m.User.nama),
                   case((m.CycleOpd.received_by_name.is_not(None), on_behalf), else_=m.User.jabatan),
                   m.CycleOpd.received_at)
            .join(m.CycleOpd, m.CycleOpd.opd_kode == m.PerangkatDaerah.kode)
            .outerjoin(m.User, m.User.id == m.CycleOpd.received_by)
            .where(m.CycleOpd.cycle_id == cycle.id).order_by(m.CycleOpd.urutan)).all()
        return d.render_rekap_tanda_terima(self.letters.dress(d.RekapTandaTerima(
            nomor_surat=fields.nomor, tanggal_surat=fields.tanggal, hal=fields.hal,
            baris=[d.BarisTandaTerima(opd=nama, diterima_oleh=oleh, jabatan=jabatan,
                                      diterima_pada=at)
                   for nama, oleh, jabatan, at in rows],
            dibuat_pada=now, mengetahui=load_kabag(s, self._sop(s, cycle)))),
            self.letters.setup.halaman, self.letters.setup.tz)

    # -- step 12 -----------------------------------------------------------------------------

    def after_archive(self, s: Session, cycle: m.Cycle, user: m.User, due: DocumentDue,
                      t: Transition, payload: Mapping[str, Any], now: datetime) -> None:
        sop = self._sop(s, cycle)
        if sop.has_kind(StepKind.DISTRIBUTION):
            self.receipts(s, cycle, user, now)
            self.letters.store(s, cycle, "rekap_tanda_terima", "Rekap_Tanda_Terima.pdf",
                               self.receipt_summary(s, cycle, now), user, now)
        archive = build_archive(s, sop, cycle, now, self.letters.setup.tz)
        slug = "E-SAKIP" if sop.name == "esakip" else sop.name.upper()
        name = safe_filename(f"Arsip_{slug}_{cycle.tahun}.zip", fallback="arsip.zip")
        self.letters.store(s, cycle, "arsip", name, archive, user, now,
                           mime_type="application/zip", suffix=".zip")


def build_archive(s: Session, sop: SopDefinition, cycle: m.Cycle, now: datetime, tz: tzinfo) -> bytes:
    """A ZIP of every document of the cycle, the recap (XLSX), the SOP monitoring form (PDF), the
    audit log as CSV, and a manifest with each file's SHA-256; instants in the deployment's zone `tz`."""
    from pathlib import Path

    from bot.reports import pdf, xlsx
    from bot.reports.riwayat import audit_csv
    from bot.services.recap import load_monitoring, load_recap
    from bot.services.trail import load_trail

    s.flush()
    files: list[tuple[str, bytes]] = []
    docs = s.scalars(select(m.Document).where(m.Document.cycle_id == cycle.id, m.Document.kind != "arsip")
                     .order_by(m.Document.id)).all()
    for doc in docs:
        files.append((f"dokumen/{doc.id:03d}-{doc.kind}-{safe_filename(doc.filename, fallback=doc.kind)}", Path(doc.file_path).read_bytes()))
    trail = load_trail(s, cycle.id, now, tz=tz)
    if sop.has_kind(StepKind.SUBMISSION):  # the recap per Perangkat Daerah
        files.append(("rekap.xlsx", xlsx.recap_xlsx(load_recap(s, sop, cycle.id, now, tz=tz), trail)))
    files.append(("monitoring_sop.pdf", pdf.monitoring_pdf(load_monitoring(s, sop, cycle.id, now, tz=tz))))
    files.append(("riwayat.csv", audit_csv(trail)))
    manifest = [{"berkas": name, "sha256": hashlib.sha256(data).hexdigest(), "ukuran": len(data)}
                for name, data in files]
    files.append(("manifest.json", json.dumps(
        {"siklus": cycle.id, "tahun": cycle.tahun, "dibuat": now.isoformat(), "berkas": manifest},
        ensure_ascii=False, indent=2).encode()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=now.astimezone(tz).timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buffer.getvalue()
