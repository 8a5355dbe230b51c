"""Surat Teguran to a late Perangkat Daerah (issue 13 item 8): Tim SAKIP drafts, the Kabag
approves or returns with a note, the Sekda signs, the letter goes to the OPD's Kepala and
operators. One unit of work per use-case; the messages go through the outbox.

Why not an SOP file of its own: a cycle is one per SOP and tahun kinerja, its per-OPD steps fan
out to every OPD, and the drafting and signature producers render the cycle's one Surat
Pemberitahuan. A teguran is one letter per late OPD inside the E-SAKIP cycle, so it is a small
record (`m.Teguran`) with the same three decisions, not a second cycle."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import formatting, messages
from bot.clock import Clock
from bot.config import Settings
from bot.roles import Peran
from bot.services import audit
from bot.services import teguran_rules as rules
from bot.services import teguran_surat as surat
from bot.services.acting import signer_for
from bot.services.errors import Conflict, InvalidInput
from bot.services.lateness import working_days_late
from bot.services.letter_context import LetterSetup
from bot.services.letters import Letters
from bot.services.numbering import take_next
from bot.services.outbox import CANCELLED, PENDING, enqueue
from bot.services.recipients import recipients
from bot.services.state_store import lock_cycle
from bot.services.teguran_surat import ELIGIBLE, TeguranView
from bot.storage import Database
from bot.storage import models as m
from bot.working_calendar import DeadlineCalendar

HARI_KERJA = 5  # the new deadline's default: five working days from the drafting
MAX_HARI_KERJA = 10  # as templates/errors/teguran.yaml says


@dataclass(frozen=True)
class LateOpd:
    cycle_opd_id: int
    kode: str
    nama: str
    status: str
    hari_kerja: int
    teguran: str | None  # the status of its teguran, if one is under way or sent
    internal: bool = False  # the Sekretariat Daerah itself: the Sekda does not write to his own units


@dataclass(frozen=True)
class Drafted:
    view: TeguranView
    pdf: bytes
    filename: str


def keyboard(*buttons: tuple[str, str, int]) -> list[list[dict[str, str]]]:
    from bot.presentation.keyboards import button
    from bot.presentation.labels import label

    return [[button(label("teguran", key), action, ident, ns="tg") for key, action, ident in buttons]]


class Teguran:
    def __init__(self, settings: Settings, db: Database, clock: Clock, calendar: DeadlineCalendar,
                 letters: Letters) -> None:
        self.db, self.clock, self.calendar, self.letters = db, clock, calendar, letters
        self.setup = LetterSetup.from_settings(settings)
        self.sop_name = letters.sop.name
        self.tz = calendar.tz  # the deployment's zone

    # -- Tim SAKIP: which OPDs, and the konsep ----------------------------------------------

    def late_opds(self, telegram_id: int) -> tuple[datetime, list[LateOpd]]:
        """The letter's batas waktu, and the OPDs of the open E-SAKIP cycle past it and not
        finished (all equally late: the batas waktu is the letter's)."""
        now = self.clock.now()
        with self.db.transaction(write=False) as s:
            rules.user_as(s, telegram_id, Peran.TIM_SAKIP, now, self.tz)
            cycle = rules.open_cycle(s, self.sop_name, now, self.tz)
            rows = s.execute(select(m.CycleOpd, m.PerangkatDaerah.nama).join(
                m.PerangkatDaerah, m.PerangkatDaerah.kode == m.CycleOpd.opd_kode).where(
                m.CycleOpd.cycle_id == cycle.id, m.CycleOpd.status.in_(ELIGIBLE)).order_by(m.CycleOpd.urutan)).all()
            late = working_days_late(self.calendar, surat.deadline_of(cycle), now)
            found = [LateOpd(p.id, p.opd_kode, nama, p.status, late, rules.latest_status(s, cycle.id, p.opd_kode),
                             surat.internal(surat.opd_of(s, p.opd_kode))) for p, nama in rows]
        return surat.deadline_of(cycle), found

    def draft(self, telegram_id: int, kode: str | None = None, cycle_opd_id: int | None = None,
              hari: int | None = None) -> Drafted:
        """The konsep for one late OPD (a new teguran, or the returned one redrafted)."""
        now = self.clock.now()
        if hari is not None and not 1 <= hari <= MAX_HARI_KERJA:
            raise InvalidInput("teguran.hari", kode=(kode or "KODE")[:40])
        with self.db.transaction() as s:
            user = rules.user_as(s, telegram_id, Peran.TIM_SAKIP, now, self.tz)
            cycle = rules.open_cycle(s, self.sop_name, now, self.tz)
            lock_cycle(s, cycle.id)
            progress = rules.progress_of(s, cycle, kode, cycle_opd_id)
            opd = surat.opd_of(s, progress.opd_kode)
            row = rules.redraftable(s, cycle, progress, opd, now, self.tz)
            batas = rules.new_deadline(self.calendar, cycle, now, hari or HARI_KERJA)
            if row is None:
                row = m.Teguran(cycle_id=cycle.id, opd_kode=opd.kode, status="konsep", tanggal=rules.today(now, self.tz),
                                batas_waktu=batas, created_at=now, created_by=user.id)
                s.add(row)
            else:
                row.status, row.tanggal, row.batas_waktu, row.created_by = "konsep", rules.today(now, self.tz), batas, user.id
            s.flush()
            late = working_days_late(self.calendar, surat.deadline_of(cycle), now)
            pdf = surat.render(self.setup, surat.build(s, self.setup, row, late, surat.prospective_signer(s)))
            filename = f"Konsep_Surat_Teguran_{opd.kode}_{cycle.tahun}.pdf"
            doc = self.letters.store(s, cycle, "konsep_teguran", filename, pdf, user, now, opd=opd.kode)
            row.document_id = doc.id
            audit.record(s, at=now, action="teguran_konsep", entity="teguran", entity_id=row.id, actor_id=user.id,
                         actor_label=user.nama, cycle_id=cycle.id,
                         after={"opd": opd.kode, "batas_waktu": batas.isoformat()})
            return Drafted(surat.view_of(s, row, late), pdf, filename)

    def redraft(self, telegram_id: int, teguran_id: int) -> Drafted:
        """«Susun ulang» under a returned konsep: the same OPD, drafted again."""
        with self.db.transaction(write=False) as s:
            kode = rules.row_of(s, teguran_id).opd_kode
        return self.draft(telegram_id, kode=kode)

    def submit(self, telegram_id: int, teguran_id: int) -> TeguranView:
        """Tim SAKIP sends the konsep to the Kabag."""
        return self._step(telegram_id, teguran_id, Peran.TIM_SAKIP, ("konsep",), "diajukan", self._to_kabag)

    def cancel(self, telegram_id: int, teguran_id: int) -> TeguranView:
        return self._step(telegram_id, teguran_id, Peran.TIM_SAKIP, ("konsep", "dikembalikan"), "dibatalkan")

    # -- the Kabag and the Sekda ------------------------------------------------------------

    def approve(self, telegram_id: int, teguran_id: int) -> TeguranView:
        return self._step(telegram_id, teguran_id, Peran.KABAG, ("diajukan",), "disetujui", self._to_sekda)

    def return_(self, telegram_id: int, teguran_id: int, note: str) -> TeguranView:
        note = " ".join(note.split())
        if not note:
            raise InvalidInput("teguran.catatan")
        return self._step(telegram_id, teguran_id, Peran.KABAG, ("diajukan",), "dikembalikan",
                          self._to_drafter, note=note)

    def sign(self, telegram_id: int, teguran_id: int) -> TeguranView:
        return self._step(telegram_id, teguran_id, Peran.SEKDA, ("disetujui",), "ditandatangani", self._deliver)

    def require(self, telegram_id: int, teguran_id: int, role: Peran, status: str) -> TeguranView:
        """The teguran, if this user (of `role`) may act on it now (before a confirmation)."""
        now = self.clock.now()
        with self.db.transaction(write=False) as s:
            rules.user_as(s, telegram_id, role, now, self.tz)
            row = rules.row_of(s, teguran_id)
            if row.status != status:
                raise rules.already(row, surat.opd_of(s, row.opd_kode).nama)
            return surat.view_of(s, row, 0)

    # -- what each step does ----------------------------------------------------------------

    def _step(self, telegram_id: int, teguran_id: int, role: Peran, before: tuple[str, ...], after: str,
              then: Callable[[Session, m.Teguran, m.User, datetime, int], None] | None = None,
              note: str | None = None) -> TeguranView:
        """Move the teguran from one of `before` to `after` as `role`, then do `then` (its messages)."""
        now = self.clock.now()
        with self.db.transaction() as s:
            user = rules.user_as(s, telegram_id, role, now, self.tz)
            row = rules.row_of(s, teguran_id)
            lock_cycle(s, row.cycle_id)
            s.refresh(row)
            if row.status not in before:
                raise rules.already(row, surat.opd_of(s, row.opd_kode).nama)
            row.status = after
            if role is Peran.KABAG:
                row.approved_by, row.approved_at, row.catatan = user.id, now, note
            cycle = surat.cycle_of(s, row.cycle_id)
            late = working_days_late(self.calendar, surat.deadline_of(cycle), now)
            if then is not None:
                then(s, row, user, now, late)
            s.flush()
            if role in (Peran.KABAG, Peran.SEKDA):
                self._close_copies(s, row, role, user, now, messages.render(
                    "teguran_selesai", tz=self.tz, langkah=after, v=surat.view_of(s, row, late), at=now))
            audit.record(s, at=now, action=f"teguran_{after}", entity="teguran", entity_id=row.id,
                         actor_id=user.id, actor_label=user.nama, cycle_id=row.cycle_id,
                         after={"opd": row.opd_kode, "catatan": note, "nomor": row.nomor})
            return surat.view_of(s, row, late)

    def _to_kabag(self, s: Session, row: m.Teguran, user: m.User, now: datetime, late: int) -> None:
        view = surat.view_of(s, row, late)
        self._send_konsep(s, row, Peran.KABAG, messages.render("teguran_kabag", tz=self.tz, v=view), now,
                          ("approve", "setuju", row.id), ("return", "kembali", row.id))

    def _to_sekda(self, s: Session, row: m.Teguran, user: m.User, now: datetime, late: int) -> None:
        view = surat.view_of(s, row, late)
        self._send_konsep(s, row, Peran.SEKDA, messages.render("teguran_sekda", tz=self.tz, v=view), now, ("sign", "ttd", row.id))
        self._tell(s, row, now, [row.created_by], messages.render("teguran_kabar", tz=self.tz, kabar="disetujui", v=view))

    def _send_konsep(self, s: Session, row: m.Teguran, role: Peran, caption: str, now: datetime,
                     *buttons: tuple[str, str, int]) -> None:
        """The konsep as a document, its buttons under it, to the role (and whoever acts for it)."""
        markup = {"inline_keyboard": keyboard(*buttons)}
        for user in recipients(s, role, None, now, tz=self.tz):
            enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=row.cycle_id, kind="document",
                    purpose="teguran", payload={"document_id": row.document_id, "caption": caption,
                                                "reply_markup": markup, "teguran": [row.id, role.value]})

    @staticmethod
    def _close_copies(s: Session, row: m.Teguran, role: Peran, actor: m.User, now: datetime, text: str) -> None:
        """The other copies of the konsep sent to the role (a Plh. beside the official) say what
        happened and lose their buttons; the presser's own is edited by the handler."""
        copies = s.scalars(select(m.Outbox).where(m.Outbox.cycle_id == row.cycle_id, m.Outbox.purpose == "teguran",
                                                  m.Outbox.kind == "document", m.Outbox.chat_id != actor.telegram_id))
        for copy in copies:
            if (copy.payload or {}).get("teguran") != [row.id, role.value] or copy.status == CANCELLED:
                continue
            if copy.status == PENDING:
                copy.status, copy.last_error = CANCELLED, "surat teguran sudah diproses"
            else:
                enqueue(s, now=now, chat_id=copy.chat_id, user_id=copy.user_id, cycle_id=row.cycle_id, kind="edit",
                        purpose="teguran_done", payload={"source_outbox_id": copy.id, "text": text, "caption": True})

    def _to_drafter(self, s: Session, row: m.Teguran, user: m.User, now: datetime, late: int) -> None:
        view = surat.view_of(s, row, late)
        if (drafter := s.get(m.User, row.created_by)) is None:
            return
        enqueue(s, now=now, chat_id=drafter.telegram_id, user_id=drafter.id, cycle_id=row.cycle_id, kind="message",
                purpose="teguran", payload={"text": messages.render("teguran_kabar", tz=self.tz, kabar="dikembalikan", v=view),
                                            "reply_markup": {"inline_keyboard": keyboard(("redraft", "ulang", row.id))}})

    def _deliver(self, s: Session, row: m.Teguran, user: m.User, now: datetime, late: int) -> None:
        from bot.documents import make_verification_code

        today = rules.today(now, self.tz)
        if row.batas_waktu <= today:
            raise Conflict("teguran.kedaluwarsa", batas=formatting.tanggal(row.batas_waktu))
        cycle = surat.cycle_of(s, row.cycle_id)
        row.tanggal = today
        row.nomor = self.letters.format_number(take_next(s, "surat", today.year), today)
        row.signed_at, row.signed_by = now, user.id
        code = make_verification_code()
        signer = signer_for(s, user, now, self.tz)
        pdf = surat.render(self.setup, surat.build(s, self.setup, row, late, signer, code=code, signed_at=now))
        doc = self.letters.store(s, cycle, "surat_teguran", f"Surat_Teguran_{row.opd_kode}_{cycle.tahun}.pdf", pdf,
                                 user, now, opd=row.opd_kode)
        doc.nomor, doc.signed_at, doc.signed_by, doc.verification_code = row.nomor, now, user.id, code
        row.document_id = doc.id
        view = surat.view_of(s, row, late)
        readers = surat.opd_readers(s, row.opd_kode)
        caption = messages.render("teguran_opd", tz=self.tz, v=view)
        for reader in readers:
            enqueue(s, now=now, chat_id=reader.telegram_id, user_id=reader.id, cycle_id=cycle.id, kind="document",
                    purpose="teguran", payload={"document_id": doc.id, "caption": caption})
        text = messages.render("teguran_kabar", tz=self.tz, kabar="terkirim", v=view, readers=[r.nama for r in readers])
        self._tell(s, row, now, [row.created_by, row.approved_by], text)

    def _tell(self, s: Session, row: m.Teguran, now: datetime, user_ids: list[int | None], text: str) -> None:
        for user_id in dict.fromkeys(u for u in user_ids if u):
            user = s.get(m.User, user_id)
            if user is not None and user.aktif:
                enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=row.cycle_id,
                        kind="message", purpose="teguran", payload={"text": text})
