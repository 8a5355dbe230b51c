"""The letter of a cycle: its fields, the draft and the signed Surat Pemberitahuan as documents,
and the OPD's attachment at step 9. Rendering itself lives in bot.documents."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import formatting
from bot.clock import Clock
from bot.documents import wording
from bot.documents.alamat import pimpinan
from bot.config import Settings
from bot.filenames import safe_filename
from bot.sop.definition import SopDefinition, StepKind
from bot.storage import Database, get_row
from bot.storage import models as m
from bot.services.acting import signer_for
from bot.services.letter_context import LetterSetup, Signer, body, printed_body, render_letter
from bot.services.letter_fields import FIELDS, SIFAT, LetterFields  # noqa: F401  (re-exported)
from bot.services.numbering import peek_next, take_next
from bot.services.sops import SopCatalog
from bot.working_calendar import DeadlineCalendar, parse_waktu
from bot.workflow import DocumentDue, TaskStatus, Transition
from bot.roles import Peran

def default_hal(tahun: int) -> str:
    """The letter's hal, naming the cycle's tahun kinerja (templates/documents/wording.yaml)."""
    return wording.hal("surat_pemberitahuan", tahun)
AUTO = ""  # an empty nomor: the next number of the year is given at signing
#: The filling deadline is the end of that working day (assumption; Pemda hours end 16.00).
END_OF_DAY = time(16, 0)


class Letters:
    def __init__(self, settings: Settings, sop: SopDefinition, db: Database, clock: Clock,
                 calendar: DeadlineCalendar, catalog: SopCatalog | None = None) -> None:
        self.settings = settings
        self.sop = sop
        self.catalog = catalog
        self.db = db
        self.clock = clock
        self.calendar = calendar
        self.setup = LetterSetup.from_settings(settings)

    # -- the form ---------------------------------------------------------------------------

    def defaults(self, tahun: int) -> LetterFields:
        now = self.clock.now()
        local = now.astimezone(self.settings.tz)
        batas = self.calendar.due(now, parse_waktu("30 hari kerja")).astimezone(self.settings.tz).date()
        return LetterFields(nomor=AUTO, tanggal=local.date(), sifat="Penting", hal=default_hal(tahun),
                            batas_waktu_pengisian=batas)

    def body(self, fields: LetterFields, tahun: int) -> list[Any]:
        """The body part by part (standard or changed), as the form shows it."""
        return body(self.setup, fields, tahun)

    def problem(self, fields: LetterFields, tahun: int) -> str | None:
        today = self.clock.now().astimezone(self.setup.tz).date()
        return fields.problem(today, printed_body(self.setup, fields, tahun))

    def lampiran(self, fields: LetterFields) -> str:
        from bot.services.letter_context import lampiran

        with self.db.transaction(write=False) as s:
            count = len(_active_recipients(s))
        return lampiran(fields, count)

    def dress(self, document: Any) -> Any:
        """The document with this deployment's kop (the lambang daerah when one is set)."""
        from dataclasses import replace

        return replace(document, kop=self.setup.kop())

    def signer_warning(self, telegram_id: int) -> list[str]:
        """What the signature block of this user would lack (shown before they sign)."""
        with self.db.transaction(write=False) as s:
            user = s.scalar(select(m.User).where(m.User.telegram_id == telegram_id, m.User.aktif))
            return Signer.of_user(user).missing if user is not None else []

    def format_number(self, seq: int, when: date) -> str:
        return self.settings.nomor_surat.format(seq=seq, bulan=formatting.BULAN_ROMAWI[when.month - 1],
                                                tahun=when.year)

    def number_preview(self, fields: LetterFields) -> str:
        """What the nomor will be: the typed one, or the next of the year (given at signing)."""
        if fields.nomor:
            return fields.nomor
        with self.db.transaction(write=False) as s:
            seq = peek_next(s, "surat", fields.tanggal.year)
        return self.format_number(seq, fields.tanggal) + " " + wording.nomor_konsep()

    def payload(self, fields: LetterFields) -> dict[str, object]:
        deadline = datetime.combine(fields.batas_waktu_pengisian, END_OF_DAY, self.settings.tz)
        return {**fields.as_dict(), "batas_waktu_at": deadline}

    def preview(self, fields: LetterFields, tahun: int) -> bytes:
        with self.db.transaction(write=False) as s:
            recipients = _active_recipients(s)
            signer = self._prospective_signer(s)
        return render_letter(self.setup, fields, tahun, recipients, signer, draft=True)

    # -- documents the engine says are due (DocumentDue), inside the use-case's unit of work ----

    def producers(self) -> dict[str, Any]:
        return {"konsep_surat": self.after_draft, "surat": self.after_sign,
                "lampiran_opd": self.record_attachment, "lampiran_tugas": self.record_attachment,
                "surat_masuk": self.record_attachment}

    def after_draft(self, s: Session, cycle: m.Cycle, user: m.User, due: DocumentDue,
                    t: Transition, payload: Mapping[str, Any], now: datetime) -> None:
        pdf = self._render(s, cycle, draft=True)
        self.store(s, cycle, "konsep_surat", f"Konsep_Surat_E-SAKIP_{cycle.tahun}.pdf", pdf, user, now)
        berkas = LetterFields.from_dict(cycle.letter).berkas
        if berkas:  # the file Tim SAKIP attached: sent with the konsep and, once signed, the letter
            s.add(m.Document(
                cycle_id=cycle.id, kind="lampiran_surat", filename=str(berkas["filename"]),
                mime_type=str(berkas["mime_type"]), file_path=str(berkas["path"]), size=int(berkas["size"]),
                sha256=str(berkas["sha256"]), created_at=now, created_by=user.id))
            s.flush()

    def after_sign(self, s: Session, cycle: m.Cycle, user: m.User, due: DocumentDue,
                   t: Transition, payload: Mapping[str, Any], now: datetime) -> None:
        from bot.documents import make_verification_code

        if not cycle.letter.get("nomor"):
            fields = LetterFields.from_dict(cycle.letter)
            nomor = self.format_number(take_next(s, "surat", fields.tanggal.year), fields.tanggal)
            cycle.letter = {**cycle.letter, "nomor": nomor}
        code = make_verification_code()
        pdf = self._render(s, cycle, draft=False, code=code, signed_at=now, signer=user)
        doc = self.store(s, cycle, "surat_pemberitahuan", f"Surat_Pengisian_E-SAKIP_{cycle.tahun}.pdf",
                         pdf, user, now)
        doc.signed_at, doc.signed_by, doc.verification_code = now, user.id, code

    def record_attachment(self, s: Session, cycle: m.Cycle, user: m.User, due: DocumentDue,
                          t: Transition, payload: Mapping[str, Any], now: datetime) -> None:
        """Record the file reported with the task (already saved by the adapter) as a document
        of the cycle, of the kind the engine named (the OPD's lampiran, an incoming letter's scan)."""
        attachment = payload.get("attachment")
        if not attachment:
            return
        s.add(m.Document(
            cycle_id=cycle.id, opd_kode=due.task.opd, kind=due.kind,
            filename=safe_filename(str(attachment["filename"])), mime_type=str(attachment["mime_type"]),
            file_path=str(attachment["path"]), size=int(attachment["size"]),
            sha256=str(attachment["sha256"]), created_at=now, created_by=user.id))
        s.flush()

    # -- the officially signed letter from SRIKANDI (a certified TTE) --------------------------

    def attach_official(self, telegram_id: int, task_id: int, attachment: Mapping[str, Any],
                        nomor: str) -> str:
        """Tim SAKIP replaces the bot's rendered letter with the PDF signed through SRIKANDI.

        From then on that file is what every Perangkat Daerah receives at distribution."""
        from bot.services import audit
        from bot.services.errors import InvalidInput, NotRegistered

        now = self.clock.now()
        nomor = " ".join(nomor.split())
        if not nomor or len(nomor) > 100:
            raise InvalidInput("letters.srikandi_nomor_required", limit=100)
        with self.db.transaction() as s:
            user = s.scalar(select(m.User).where(m.User.telegram_id == telegram_id, m.User.aktif))
            if user is None:
                raise NotRegistered()
            task = s.get(m.Task, task_id)
            if (task is None or task.status != TaskStatus.OPEN or task.opd_kode is not None
                    or self._sop(s, get_row(s, m.Cycle, task.cycle_id)).step(task.step).kind is not StepKind.DISTRIBUTION
                    or user.peran is not Peran.TIM_SAKIP):
                raise InvalidInput("letters.official_not_allowed")
            cycle = get_row(s, m.Cycle, task.cycle_id)
            cycle.letter = {**cycle.letter, "nomor": nomor}
            doc = m.Document(cycle_id=cycle.id, task_id=task.id, kind="surat_pemberitahuan",
                             nomor=nomor, filename=safe_filename(str(attachment["filename"])), mime_type="application/pdf",
                             file_path=str(attachment["path"]), size=int(attachment["size"]),
                             sha256=str(attachment["sha256"]), created_at=now, created_by=user.id)
            s.add(doc)
            s.flush()
            audit.record(s, at=now, action="letter_official", entity="document", entity_id=doc.id,
                         actor_id=user.id, actor_label=user.nama, cycle_id=cycle.id,
                         after={"nomor": nomor, "sha256": doc.sha256, "sumber": "SRIKANDI"})
        return nomor

    # -- storage ----------------------------------------------------------------------------

    def _render(self, s: Session, cycle: m.Cycle, *, draft: bool, code: str | None = None,
                signed_at: datetime | None = None, signer: m.User | None = None) -> bytes:
        from bot import documents as d

        recipients = [d.Penerima(nama=opd.nama, jabatan=opd.jabatan_pimpinan or pimpinan(opd.nama))
                      for opd in s.scalars(
                          select(m.PerangkatDaerah).join(m.CycleOpd, m.CycleOpd.opd_kode == m.PerangkatDaerah.kode)
                          .where(m.CycleOpd.cycle_id == cycle.id).order_by(m.CycleOpd.urutan))]
        fields = LetterFields.from_dict(cycle.letter)
        who = signer_for(s, signer, signed_at, self.setup.tz) if signer is not None else self._prospective_signer(s)
        return render_letter(self.setup, fields, cycle.tahun, recipients, who, draft=draft, code=code,
                             signed_at=signed_at)

    def _sop(self, s: Session, cycle: m.Cycle) -> SopDefinition:
        return self.catalog.sop(s, cycle) if self.catalog is not None else self.sop

    def _prospective_signer(self, s: Session) -> Signer:
        """Who will sign a konsep: the registered Sekda; the SOP's "Disahkan oleh" only when none is."""
        sekda = s.scalars(select(m.User).where(m.User.peran == Peran.SEKDA, m.User.aktif)
                          .order_by(m.User.id)).first()
        return Signer.of_user(sekda) if sekda is not None else Signer.of_sop(self.sop)

    def store(self, s: Session, cycle: m.Cycle, kind: str, filename: str, content: bytes,
              user: m.User | None, now: datetime, opd: str | None = None,
              mime_type: str = "application/pdf", suffix: str = ".pdf") -> m.Document:
        folder = Path(self.settings.data_dir) / f"siklus-{cycle.id}"
        folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(content).hexdigest()
        path = folder / f"{kind}-{digest[:16]}{suffix}"
        path.write_bytes(content)
        doc = m.Document(cycle_id=cycle.id, kind=kind, filename=safe_filename(filename, fallback=kind),
                         mime_type=mime_type,
                         file_path=str(path), size=len(content), sha256=digest, created_at=now,
                         created_by=user.id if user else None, opd_kode=opd,
                         nomor=str(cycle.letter.get("nomor") or "") or None)
        s.add(doc)
        s.flush()
        return doc


def _active_recipients(s: Session) -> list[Any]:
    """The active Perangkat Daerah as addressees (their jabatan_pimpinan, else the default rule)."""
    from bot import documents as d

    return [d.Penerima(nama=opd.nama, jabatan=opd.jabatan_pimpinan or pimpinan(opd.nama))
            for opd in s.scalars(select(m.PerangkatDaerah).where(m.PerangkatDaerah.aktif)
                                 .order_by(m.PerangkatDaerah.id))]
