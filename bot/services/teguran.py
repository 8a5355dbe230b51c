"""Surat Teguran to a late Perangkat Daerah (issue 13 item 8): Tim SAKIP drafts, the Kabag
approves or returns with a note, the Sekda signs, the letter goes to the OPD's Kepala and
operators. One unit of work per use-case; the messages go through the outbox.

Why not an SOP file of its own: a cycle is one per SOP and tahun kinerja, its per-OPD steps fan
out to every OPD, and the drafting and signature producers render the cycle's one Surat
Pemberitahuan. A teguran is one letter per late OPD inside the E-SAKIP cycle, so it is a small
record (`m.Teguran`) with the same three decisions, not a second cycle."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import messages
from bot.clock import Clock
from bot.config import Settings
from bot.formatting import WIB
from bot.roles import Peran
from bot.services import audit
from bot.services import teguran_surat as surat
from bot.services.acting import acting_roles, signer_for
from bot.services.errors import Conflict, InvalidInput, NotFound, NotRegistered
from bot.services.lateness import working_days_late
from bot.services.letter_context import LetterSetup
from bot.services.letters import Letters
from bot.services.numbering import take_next
from bot.services.outbox import enqueue
from bot.services.recipients import recipients
from bot.services.state_store import lock_cycle
from bot.services.teguran_surat import ELIGIBLE, TeguranView
from bot.storage import Database
from bot.storage import models as m
from bot.working_calendar import DeadlineCalendar, parse_waktu

HARI_KERJA = 5  # the new deadline's default: five working days from the drafting
MAX_HARI_KERJA = 10
ACTIVE = ("konsep", "diajukan", "dikembalikan", "disetujui")


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

    # -- Tim SAKIP: which OPDs, and the konsep ----------------------------------------------

    def late_opds(self, telegram_id: int) -> tuple[datetime, list[LateOpd]]:
        """The letter's batas waktu, and the OPDs of the open E-SAKIP cycle past it and not
        finished (all equally late: the batas waktu is the letter's)."""
        now = self.clock.now()
        with self.db.transaction(write=False) as s:
            _user(s, telegram_id, Peran.TIM_SAKIP, now)
            cycle = self._cycle(s, now)
            rows = s.execute(select(m.CycleOpd, m.PerangkatDaerah.nama).join(
                m.PerangkatDaerah, m.PerangkatDaerah.kode == m.CycleOpd.opd_kode).where(
                m.CycleOpd.cycle_id == cycle.id, m.CycleOpd.status.in_(ELIGIBLE)).order_by(m.CycleOpd.urutan)).all()
            late = working_days_late(self.calendar, cycle.letter_deadline, now)
            found = [LateOpd(p.id, p.opd_kode, nama, p.status, late, self._latest_status(s, cycle.id, p.opd_kode),
                             surat.internal(surat.opd_of(s, p.opd_kode))) for p, nama in rows]
        return cycle.letter_deadline, found

    def draft(self, telegram_id: int, kode: str | None = None, cycle_opd_id: int | None = None,
              hari: int | None = None) -> Drafted:
        """The konsep for one late OPD (a new teguran, or the returned one redrafted)."""
        now = self.clock.now()
        if hari is not None and not 1 <= hari <= MAX_HARI_KERJA:
            raise InvalidInput(f"Batas waktu baru diberikan 1 sampai {MAX_HARI_KERJA} hari kerja.")
        with self.db.transaction() as s:
            user = _user(s, telegram_id, Peran.TIM_SAKIP, now)
            cycle = self._cycle(s, now)
            lock_cycle(s, cycle.id)
            progress = self._progress(s, cycle, kode, cycle_opd_id)
            opd = surat.opd_of(s, progress.opd_kode)
            if surat.internal(opd):
                raise Conflict(_tolak(sebab="setda", opd_nama=opd.nama))
            if progress.status not in ELIGIBLE:
                raise Conflict(_tolak(sebab="tidak_berlaku", opd_nama=opd.nama, status=progress.status))
            row = self._active(s, cycle.id, opd.kode)
            if row is not None and row.status in ("diajukan", "disetujui"):
                raise Conflict(_tolak(sebab="diproses", v=surat.view_of(s, row, 0)))
            batas = self._new_deadline(cycle, now, hari or HARI_KERJA)
            if row is None:
                row = m.Teguran(cycle_id=cycle.id, opd_kode=opd.kode, status="konsep", tanggal=_today(now),
                                batas_waktu=batas, created_at=now, created_by=user.id)
                s.add(row)
            else:
                row.status, row.tanggal, row.batas_waktu, row.created_by = "konsep", _today(now), batas, user.id
            s.flush()
            late = working_days_late(self.calendar, cycle.letter_deadline, now)
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
            kode = _row(s, teguran_id).opd_kode
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
            raise InvalidInput("Catatan pengembalian wajib diisi.")
        return self._step(telegram_id, teguran_id, Peran.KABAG, ("diajukan",), "dikembalikan",
                          self._to_drafter, note=note)

    def sign(self, telegram_id: int, teguran_id: int) -> TeguranView:
        return self._step(telegram_id, teguran_id, Peran.SEKDA, ("disetujui",), "ditandatangani", self._deliver)

    def require(self, telegram_id: int, teguran_id: int, role: Peran, status: str) -> TeguranView:
        """The teguran, if this user (of `role`) may act on it now (before a confirmation)."""
        now = self.clock.now()
        with self.db.transaction(write=False) as s:
            _user(s, telegram_id, role, now)
            row = _row(s, teguran_id)
            if row.status != status:
                raise Conflict(_tolak(sebab="sudah", v=surat.view_of(s, row, 0)))
            return surat.view_of(s, row, 0)

    # -- what each step does ----------------------------------------------------------------

    def _step(self, telegram_id, teguran_id, role, before, after, then=None, note=None) -> TeguranView:
        now = self.clock.now()
        with self.db.transaction() as s:
            user = _user(s, telegram_id, role, now)
            row = _row(s, teguran_id)
            lock_cycle(s, row.cycle_id)
            s.refresh(row)
            if row.status not in before:
                raise Conflict(_tolak(sebab="sudah", v=surat.view_of(s, row, 0)))
            row.status = after
            if role is Peran.KABAG:
                row.approved_by, row.approved_at, row.catatan = user.id, now, note
            cycle = s.get(m.Cycle, row.cycle_id)
            late = working_days_late(self.calendar, cycle.letter_deadline, now)
            if then is not None:
                then(s, row, user, now, late)
            s.flush()
            audit.record(s, at=now, action=f"teguran_{after}", entity="teguran", entity_id=row.id,
                         actor_id=user.id, actor_label=user.nama, cycle_id=row.cycle_id,
                         after={"opd": row.opd_kode, "catatan": note, "nomor": row.nomor})
            return surat.view_of(s, row, late)

    def _to_kabag(self, s: Session, row: m.Teguran, user: m.User, now: datetime, late: int) -> None:
        view = surat.view_of(s, row, late)
        caption = messages.render("teguran_kabag", v=view)
        markup = {"inline_keyboard": keyboard(("approve", "setuju", row.id), ("return", "kembali", row.id))}
        for kabag in recipients(s, Peran.KABAG, None, now):
            enqueue(s, now=now, chat_id=kabag.telegram_id, user_id=kabag.id, cycle_id=row.cycle_id, kind="document",
                    purpose="teguran", payload={"document_id": row.document_id, "caption": caption,
                                                "reply_markup": markup})

    def _to_sekda(self, s: Session, row: m.Teguran, user: m.User, now: datetime, late: int) -> None:
        view = surat.view_of(s, row, late)
        markup = {"inline_keyboard": keyboard(("sign", "ttd", row.id))}
        for sekda in recipients(s, Peran.SEKDA, None, now):
            enqueue(s, now=now, chat_id=sekda.telegram_id, user_id=sekda.id, cycle_id=row.cycle_id, kind="document",
                    purpose="teguran", payload={"document_id": row.document_id, "reply_markup": markup,
                                                "caption": messages.render("teguran_sekda", v=view)})
        self._tell(s, row, now, [row.created_by], messages.render("teguran_kabar", kabar="disetujui", v=view))

    def _to_drafter(self, s: Session, row: m.Teguran, user: m.User, now: datetime, late: int) -> None:
        view = surat.view_of(s, row, late)
        drafter = s.get(m.User, row.created_by)
        enqueue(s, now=now, chat_id=drafter.telegram_id, user_id=drafter.id, cycle_id=row.cycle_id, kind="message",
                purpose="teguran", payload={"text": messages.render("teguran_kabar", kabar="dikembalikan", v=view),
                                            "reply_markup": {"inline_keyboard": keyboard(("redraft", "ulang", row.id))}})

    def _deliver(self, s: Session, row: m.Teguran, user: m.User, now: datetime, late: int) -> None:
        from bot.documents import make_verification_code

        today = _today(now)
        if row.batas_waktu <= today:
            raise Conflict(_tolak(sebab="kedaluwarsa", batas=row.batas_waktu))
        cycle = s.get(m.Cycle, row.cycle_id)
        row.tanggal = today
        row.nomor = self.letters.format_number(take_next(s, "surat", today.year), today)
        row.signed_at, row.signed_by = now, user.id
        code = make_verification_code()
        signer = signer_for(s, user, now)
        pdf = surat.render(self.setup, surat.build(s, self.setup, row, late, signer, code=code, signed_at=now))
        doc = self.letters.store(s, cycle, "surat_teguran", f"Surat_Teguran_{row.opd_kode}_{cycle.tahun}.pdf", pdf,
                                 user, now, opd=row.opd_kode)
        doc.nomor, doc.signed_at, doc.signed_by, doc.verification_code = row.nomor, now, user.id, code
        row.document_id = doc.id
        view = surat.view_of(s, row, late)
        readers = surat.opd_readers(s, row.opd_kode)
        caption = messages.render("teguran_opd", v=view)
        for reader in readers:
            enqueue(s, now=now, chat_id=reader.telegram_id, user_id=reader.id, cycle_id=cycle.id, kind="document",
                    purpose="teguran", payload={"document_id": doc.id, "caption": caption})
        text = messages.render("teguran_kabar", kabar="terkirim", v=view, readers=[r.nama for r in readers])
        self._tell(s, row, now, [row.created_by, row.approved_by], text)

    def _tell(self, s: Session, row: m.Teguran, now: datetime, user_ids: list[int | None], text: str) -> None:
        for user_id in dict.fromkeys(u for u in user_ids if u):
            user = s.get(m.User, user_id)
            if user is not None and user.aktif:
                enqueue(s, now=now, chat_id=user.telegram_id, user_id=user.id, cycle_id=row.cycle_id,
                        kind="message", purpose="teguran", payload={"text": text})

    # -- lookups ----------------------------------------------------------------------------

    def _cycle(self, s: Session, now: datetime) -> m.Cycle:
        cycle = s.scalars(select(m.Cycle).where(m.Cycle.sop_name == self.sop_name, m.Cycle.status == "open",
                                                m.Cycle.letter_deadline.is_not(None))
                          .order_by(m.Cycle.id.desc())).first()
        if cycle is None:
            raise NotFound(_tolak(sebab="tanpa_siklus"))
        if cycle.letter_deadline > now:
            raise Conflict(_tolak(sebab="belum_lewat", batas=cycle.letter_deadline))
        if cycle.window_closes_at is not None and cycle.window_closes_at <= now:
            raise Conflict(_tolak(sebab="masa_tutup", tutup=cycle.window_closes_at))
        return cycle

    def _progress(self, s: Session, cycle: m.Cycle, kode: str | None, cycle_opd_id: int | None) -> m.CycleOpd:
        query = select(m.CycleOpd).where(m.CycleOpd.cycle_id == cycle.id)
        if cycle_opd_id is not None:
            query = query.where(m.CycleOpd.id == cycle_opd_id)
        else:
            query = query.where(m.CycleOpd.opd_kode == (kode or "").strip().upper())
        progress = s.scalar(query)
        if progress is None:
            raise NotFound(_tolak(sebab="opd_tidak_dikenal", kode=(kode or "")[:40]))
        return progress

    def _new_deadline(self, cycle: m.Cycle, now: datetime, hari: int) -> date:
        """`hari` working days from now, never after the close of the verification window."""
        batas = self.calendar.due(now, parse_waktu(f"{hari} hari kerja")).astimezone(WIB).date()
        if cycle.window_closes_at is not None:
            batas = min(batas, cycle.window_closes_at.astimezone(WIB).date())
        if batas <= _today(now):
            raise Conflict(_tolak(sebab="masa_tutup", tutup=cycle.window_closes_at))
        return batas

    @staticmethod
    def _active(s: Session, cycle_id: int, kode: str) -> m.Teguran | None:
        return s.scalars(select(m.Teguran).where(m.Teguran.cycle_id == cycle_id, m.Teguran.opd_kode == kode,
                                                 m.Teguran.status.in_(ACTIVE))).first()

    @staticmethod
    def _latest_status(s: Session, cycle_id: int, kode: str) -> str | None:
        return s.scalars(select(m.Teguran.status).where(
            m.Teguran.cycle_id == cycle_id, m.Teguran.opd_kode == kode, m.Teguran.status != "dibatalkan")
            .order_by(m.Teguran.id.desc())).first()


def _tolak(**context: object) -> str:
    """A refusal's text (plain: the refusal template escapes it once more)."""
    return html.unescape(messages.render("teguran_tolak", **context))


def _today(now: datetime) -> date:
    return now.astimezone(WIB).date()


def _row(s: Session, teguran_id: int) -> m.Teguran:
    row = s.get(m.Teguran, teguran_id)
    if row is None:
        raise NotFound("Surat teguran ini tidak ditemukan.")
    return row


def _user(s: Session, telegram_id: int, role: Peran, now: datetime) -> m.User:
    """The registered user, if they hold `role` (or act for it: Plh./Plt.)."""
    user = s.scalar(select(m.User).where(m.User.telegram_id == telegram_id, m.User.aktif))
    if user is None:
        raise NotRegistered()
    if user.peran != role.value and role.value not in acting_roles(s, user, now):
        from bot.workflow import NotYourTask

        raise NotYourTask(_tolak(sebab="bukan_peran", peran=role.label))
    return user
