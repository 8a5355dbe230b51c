"""Plh./Plt. orders, routing to the acting person, reassigning a task, and who leaves (issue 12)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.formatting import WIB
from bot.services.errors import Conflict, InvalidInput, NotFound
from bot.storage import models as m
from bot.workflow import ActionKind as A, NotYourTask

from .conftest import PEOPLE
from .test_cycles import LETTER, act, only_open, outbox, tg

TODAY = date(2026, 11, 24)


def plh(svc, peran, who, days=7, **kw):
    return svc.acting.add(peran, tg(who), TODAY + timedelta(days=days), **kw)


def chats(svc, purpose="task"):
    return [o.chat_id for o in outbox(svc, purpose=purpose)]


def audit_labels(svc, action):
    with svc.db.transaction(write=False) as s:
        return s.scalars(select(m.AuditLog.actor_label).where(m.AuditLog.action == action)).all()


# -- the order and its one-line errors ----------------------------------------------------------

@pytest.mark.parametrize(("args", "error"), [
    (("asisten", "kabag", dict(mulai=TODAY - timedelta(days=1))), "sudah lewat"),
    (("asisten", "kabag", dict(mulai=TODAY + timedelta(days=9))), "sebelum tanggal mulai"),
    (("asisten", "asisten", {}), "sendiri adalah Asisten Administrasi Umum"),
    (("tim_sakip", "kabag", {}), "tidak dapat diwakili"),
    (("opd", "kabag", {}), "tidak dapat diwakili"),
    (("asisten", "kabag", dict(jenis="pj")), "pilih plh"),
])
def test_a_bad_order_gets_one_clear_line(svc, args, error):
    peran, who, kw = args
    with pytest.raises(InvalidInput, match=error) as exc:
        plh(svc, peran, who, **kw)
    assert "\n" not in str(exc.value)


def test_overlaps_two_roles_and_unknown_people_are_refused(svc):
    info = plh(svc, "asisten", "kabag", dasar="Surat Perintah Nomor 800/12/SETDA/XI/2026")
    assert info.label == "Plh. Asisten Administrasi Umum" and info.absent_nama == PEOPLE["asisten"][1]
    with pytest.raises(InvalidInput, match="Sudah ada Plh. Asisten Administrasi Umum"):
        plh(svc, "asisten", "tim1", days=3)
    with pytest.raises(InvalidInput, match="satu orang hanya dapat mewakili satu jabatan"):
        plh(svc, "sekda", "kabag", days=2)
    with pytest.raises(NotFound, match="tidak terdaftar"):
        svc.acting.add("sekda", 424242, TODAY)
    with pytest.raises(NotYourTask, match="Sekretaris Daerah atau administrator"):
        svc.acting.add("sekda", tg("tim1"), TODAY, by_telegram_id=tg("kabag"))
    # after an order ends, the next one for the role may be given
    svc.acting.end(tg("kabag"))
    assert plh(svc, "asisten", "tim1", jenis="plt").label == "Plt. Asisten Administrasi Umum"
    assert [o.acting_nama for o in svc.acting.list_orders()] == [PEOPLE["tim1"][1]]
    # both were told of the appointment, and of the early end
    texts = [o.payload["text"] for o in outbox(svc, purpose="info")]
    assert any("ditunjuk sebagai Plh. Asisten Administrasi Umum" in t and "Surat Perintah Nomor" in t for t in texts)
    assert sum("diakhiri" in t for t in texts) == 2


# -- routing, authorisation, the record --------------------------------------------------------

def test_the_acting_person_receives_acts_and_is_named(svc, clock):
    plh(svc, "asisten", "kabag")
    svc.cycles.start(tg("sekda"))
    act(svc, "sekda", A.FORWARD)
    # the step-2 task reaches the Asisten (who may still act) and the Plh.
    assert {tg("asisten"), tg("kabag")} <= set(chats(svc))
    task = only_open(svc, "kabag", step=2)  # /tugas of the Plh. lists it
    result = svc.cycles.act(tg("kabag"), task.id, A.FORWARD)
    assert result.task.actor_selaku == "Plh. Asisten Administrasi Umum"
    assert audit_labels(svc, "task_forward")[-1] == f"{PEOPLE['kabag'][1]} selaku Plh. Asisten Administrasi Umum"
    from bot import messages

    assert "selaku Plh. Asisten Administrasi Umum" in messages.render("task_done", tz=svc.settings.tz, task=result.task)
    with pytest.raises(Conflict, match="sudah diproses oleh Siti Rahmah, S.Sos. selaku Plh. Asisten"):
        svc.cycles.act(tg("asisten"), task.id, A.FORWARD)  # the absent official came second
    # the Kabag's own step (3) is the Kabag's, without "selaku"
    own = svc.cycles.act(tg("kabag"), only_open(svc, "kabag", step=3).id, A.FORWARD)
    assert own.task.actor_selaku is None


def test_whoever_acts_first_wins_and_an_expired_order_gives_nothing(svc, clock):
    plh(svc, "asisten", "kabag", days=0)
    svc.cycles.start(tg("sekda"))
    act(svc, "sekda", A.FORWARD)
    task = only_open(svc, "asisten", step=2)
    svc.cycles.act(tg("asisten"), task.id, A.FORWARD)  # the absent official acted first
    with pytest.raises(Conflict, match="sudah diproses oleh Drs. Budi Santoso"):
        svc.cycles.act(tg("kabag"), task.id, A.FORWARD)
    # a later Asisten task, after the order's last day: the former Plh. is refused with the reason
    act(svc, "kabag", A.FORWARD, step=3)
    act(svc, "tim1", A.SUBMIT_DRAFT, payload=LETTER)
    act(svc, "kabag", A.APPROVE, step=5)
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=WIB))
    step6 = only_open(svc, "asisten", step=6)
    with pytest.raises(NotYourTask, match="telah berakhir"):
        svc.cycles.act(tg("kabag"), step6.id, A.APPROVE)
    assert all(t.step != 6 for t in svc.cycles.open_tasks_for(tg("kabag")))


def test_escalations_and_reminders_skip_the_absent_official(svc, clock):
    plh(svc, "kabag", "asisten")
    svc.cycles.start(tg("sekda"))
    act(svc, "sekda", A.FORWARD)
    act(svc, "asisten", A.FORWARD)
    act(svc, "kabag", A.FORWARD)  # step 4 (Tim SAKIP, 1 Jam): its escalation goes to the Kabag
    due = only_open(svc, "tim1").due_at
    clock.set(due + timedelta(hours=1))
    assert svc.alerts.sweep().escalations == 1
    assert chats(svc, "escalation") == [tg("asisten")]  # the Plh. Kabag, not the absent Kabag


def test_the_morning_digest_skips_the_absent_official_too(svc, clock):
    plh(svc, "asisten", "kabag")  # the Kabag acts for the Asisten, who is on cuti
    svc.cycles.start(tg("sekda"))
    act(svc, "sekda", A.FORWARD)
    act(svc, "kabag", A.FORWARD)  # step 2, as Plh. Asisten
    act(svc, "kabag", A.FORWARD)  # step 3: step 4 (Tim SAKIP, 1 Jam) opens
    assert only_open(svc, "tim1").due_at < datetime(2026, 11, 25, 7, 30, tzinfo=WIB)
    clock.set(datetime(2026, 11, 26, 7, 31, tzinfo=WIB))  # more than a day late: the Asisten's digest
    assert svc.alerts.digest() >= 2
    told = chats(svc, "digest")
    assert tg("kabag") in told and tg("sekda") in told
    assert tg("asisten") not in told  # the absent official reads nothing; the Plh. reads it once
    assert told.count(tg("kabag")) == 1


def test_open_tasks_are_resent_when_the_period_starts_and_both_are_told_when_it_ends(svc, clock):
    svc.cycles.start(tg("sekda"))
    act(svc, "sekda", A.FORWARD)
    plh(svc, "asisten", "tim1", days=2, mulai=TODAY + timedelta(days=1))
    assert svc.acting.sweep() == 0  # not yet
    clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=WIB))
    assert svc.acting.sweep() == 1 and svc.acting.sweep() == 0  # once
    resent = [o for o in outbox(svc, purpose="task") if o.chat_id == tg("tim1")]
    assert len(resent) == 1 and "Langkah 2 dari 12" in resent[0].payload["text"]
    assert resent[0].payload["reply_markup"]["inline_keyboard"]
    clock.set(datetime(2026, 11, 27, 8, 0, tzinfo=WIB))
    assert svc.acting.sweep() == 1
    ended = [o for o in outbox(svc, purpose="info") if "telah berakhir" in o.payload["text"]]
    assert sorted(o.chat_id for o in ended) == sorted([tg("tim1"), tg("asisten")])
    assert outbox(svc, id=resent[0].id)[0].status == "cancelled"  # its buttons never reach the former Plh.


def test_the_letter_is_signed_as_plh_sekretaris_daerah(svc, clock):
    from pathlib import Path

    from pypdf import PdfReader

    svc.directory.update_user(tg("kabag"), pangkat="Pembina (IV/a)", nip="198203152006042003")
    svc.cycles.start(tg("sekda"))
    plh(svc, "sekda", "kabag", days=3)
    act(svc, "sekda", A.FORWARD)
    act(svc, "asisten", A.FORWARD)
    act(svc, "kabag", A.FORWARD, step=3)
    act(svc, "tim1", A.SUBMIT_DRAFT, payload=LETTER)
    act(svc, "kabag", A.APPROVE, step=5)
    act(svc, "asisten", A.APPROVE)
    act(svc, "kabag", A.SIGN, step=7)
    with svc.db.transaction(write=False) as s:
        letter = s.scalar(select(m.Document).where(m.Document.kind == "surat_pemberitahuan"))
    text = " ".join(p.extract_text() for p in PdfReader(Path(letter.file_path)).pages)
    assert "Plh. SEKRETARIS DAERAH," in text and PEOPLE["kabag"][1] in text
    assert "19820315 200604 2 003" in text


# -- reassigning -------------------------------------------------------------------------------

def test_reassign_moves_the_task_and_is_authorised(svc, clock):
    svc.cycles.start(tg("sekda"))
    act(svc, "sekda", A.FORWARD)
    act(svc, "asisten", A.FORWARD)
    act(svc, "kabag", A.FORWARD)  # step 4, for both Tim SAKIP members
    task = only_open(svc, "tim1")
    with pytest.raises(InvalidInput, match="Alasan pengalihan wajib diisi"):
        svc.reassign.reassign(tg("kabag"), task.id, tg("tim2"), "  ")
    with pytest.raises(NotYourTask, match="Kepala Bagian Organisasi atau administrator"):
        svc.reassign.reassign(tg("tim1"), task.id, tg("tim2"), "cuti")
    with pytest.raises(InvalidInput, match="bukan Tim SAKIP Kabupaten"):
        svc.reassign.reassign(tg("kabag"), task.id, tg("asisten"), "cuti")
    assert svc.reassign.candidates(tg("kabag"), task.id) == [(tg("tim2"), PEOPLE["tim2"][1]),
                                                            (tg("tim1"), PEOPLE["tim1"][1])]
    result = svc.reassign.reassign(tg("kabag"), task.id, tg("tim2"), "Rina mengikuti diklat")
    assert result.to_nama == PEOPLE["tim2"][1]
    with pytest.raises(Conflict, match="sudah dialihkan"):
        svc.reassign.reassign(tg("kabag"), task.id, tg("tim2"), "lagi")
    with pytest.raises(NotYourTask, match="dialihkan kepada Agus Prasetyo"):
        svc.cycles.act(tg("tim1"), task.id, A.SUBMIT_DRAFT, payload=LETTER)
    assert svc.cycles.open_tasks_for(tg("tim1")) == []
    svc.cycles.act(tg("tim2"), task.id, A.SUBMIT_DRAFT, payload=LETTER)
    with svc.db.transaction(write=False) as s:
        row = s.scalars(select(m.AuditLog).where(m.AuditLog.action == "task_reassign")).one()
    assert row.after == {"penerima": PEOPLE["tim2"][1], "alasan": "Rina mengikuti diklat"}
    assert row.actor_label == PEOPLE["kabag"][1]
    with pytest.raises(Conflict, match="sudah selesai"):
        svc.reassign.reassign(None, task.id, tg("tim1"), "terlambat")


# -- who leaves --------------------------------------------------------------------------------

def test_who_leaves_hands_over_to_a_member_an_acting_person_or_nobody(svc, clock):
    svc.cycles.start(tg("sekda"))
    act(svc, "sekda", A.FORWARD)
    act(svc, "asisten", A.FORWARD)
    act(svc, "kabag", A.FORWARD)  # step 4 (Tim SAKIP)
    svc.directory.remove_user(tg("tim1"))
    (handover,) = svc.reassign.after_removal(tg("tim1"))
    assert handover.step == 4 and handover.receivers == ("Agus Prasetyo (Tim SAKIP Kabupaten)",)
    act(svc, "tim2", A.SUBMIT_DRAFT, payload=LETTER)  # step 5 (Kabag), who has a Plh. then leaves
    plh(svc, "kabag", "tim2")
    svc.directory.remove_user(tg("kabag"))
    (handover,) = svc.reassign.after_removal(tg("kabag"))
    assert handover.receivers == ("Agus Prasetyo (Plh. Kepala Bagian Organisasi)",)
    assert outbox(svc, chat_id=tg("admin")) == []
    svc.directory.remove_user(tg("tim2"))  # the Plh. leaves too: nobody; the admin is told in chat
    (handover,) = svc.reassign.after_removal(tg("tim2"))
    assert handover.step == 5 and handover.receivers == ()
    (message,) = outbox(svc, chat_id=tg("admin"))
    assert "Tugas tanpa penerima" in message.payload["text"] and "Langkah 5" in message.payload["text"]
    with svc.db.transaction(write=False) as s:
        assert s.scalars(select(m.ActingOrder.ended_at)).one() is not None  # the order ended with them
    assert [(t.step, t.holders) for t in svc.reassign.open_tasks()] == [(5, "belum ada penerima")]


def test_an_order_from_today_sends_the_roles_open_tasks_at_once(svc):
    svc.cycles.start(tg("sekda"))
    act(svc, "sekda", A.FORWARD)
    plh(svc, "asisten", "kabag")
    resent = [o for o in outbox(svc, purpose="task") if o.chat_id == tg("kabag")]
    assert len(resent) == 1 and "Langkah 2 dari 12" in resent[0].payload["text"]
    assert svc.acting.sweep() == 0  # already started: nothing twice
