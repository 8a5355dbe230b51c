"""Acting officials and reassigned tasks, through the real Application and the Bot API double
(issue 12 items 1, 2 and 7, and their rules)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from bot.demo import appoint_plh_asisten, run_cycle
from bot.simulation import Person, Simulation, default_people
from bot.storage import models as m
from scheduler.sweep import Sweep

from .conftest import OPDS

KADISDIK = Person("kadisdik", 3001, "Dr. Hendra Gunawan, M.Pd.", "kepala_opd", "DISDIK",
                  jabatan="Kepala Dinas Pendidikan", nip="197505102000031002",
                  pangkat="Pembina Utama Muda (IV/c)")
KABAG = "Siti Rahmah, S.Sos., M.AP"
ASISTEN = "Drs. Budi Santoso, M.Si."


@pytest.fixture
async def sim(tmp_path):
    async with Simulation(tmp_path, opds=OPDS, people=[*default_people(OPDS), KADISDIK]) as simulation:
        yield simulation
        simulation.double.assert_no_violations()


def answer(sim, query_id: str) -> str:
    return sim.double.callback_answers[query_id].text or ""


def texts(sim, who: str) -> list[str]:
    return [msg.plain_text or "" for msg in sim.messages(who)]


def pdf_text(path: str) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(Path(path)).pages).split())


async def test_a_cycle_with_the_asisten_on_cuti_and_the_sekda_signing_through_a_plh(sim):
    await appoint_plh_asisten(sim)
    assert "Tercatat: Siti Rahmah, S.Sos., M.AP sebagai Plh. Asisten Administrasi Umum" in sim.last_text("sekda")
    assert any("ditunjuk sebagai Plh. Asisten Administrasi Umum" in t for t in texts(sim, "kabag"))
    assert any("tugas jabatan Bapak/Ibu juga dikirimkan kepadanya" in t for t in texts(sim, "asisten"))
    # The Sekda goes on dinas luar from tomorrow: the Kepala Dinas Pendidikan is Plh. Sekda (CLI path).
    sim.svc.acting.add("sekda", KADISDIK.telegram_id, date(2026, 11, 27), date(2026, 11, 25),
                       dasar="Surat Perintah Bupati Lamandau Nomor 800.1.11.1/46/BKPSDM/XI/2026")

    async def next_day(sim) -> None:
        sim.advance(days=1)
        await Sweep(sim.svc).run_once()  # the period starts: the open sign task is re-sent
        await sim.settle()

    # (issue 12 item 4, helper "reach": an OPD without operator recorded on its behalf by Tim
    # SAKIP belongs in this same cycle; run_cycle's OPD loop is the place for it.)
    await run_cycle(sim, returned_opd="dinsos", asisten="kabag", signer="kadisdik", before_signing=next_day)

    with sim.svc.db.transaction(write=False) as s:
        cycle = s.scalar(select(m.Cycle))
        trail = s.execute(select(m.AuditLog.action, m.AuditLog.actor_label).order_by(m.AuditLog.id)).all()
        letter = s.scalar(select(m.Document).where(m.Document.kind == "surat_pemberitahuan"))
        sheets = s.scalars(select(m.Document).where(m.Document.kind == "lembar_disposisi")
                           .order_by(m.Document.id)).all()
    assert cycle.status == "closed"
    labels = {(action, label) for action, label in trail}
    plh_asisten = f"{KABAG} selaku Plh. Asisten Administrasi Umum"
    assert ("task_forward", plh_asisten) in labels  # step 2
    assert ("task_approve", plh_asisten) in labels  # step 6
    assert ("task_sign", f"{KADISDIK.nama} selaku Plh. Sekretaris Daerah") in labels
    assert ("acting_add", "Dr. MUHAMAD IRWANSYAH, SP., MP") in labels
    # the edited task messages say who acted as what, on the Plh.'s and on the absent Asisten's phone
    for who in ("kabag", "asisten"):
        assert any(t.startswith("✅ Langkah 2") and plh_asisten in t for t in texts(sim, who)), who
    assert any(t.startswith("✅ Langkah 7") and "selaku Plh. Sekretaris Daerah" in t for t in texts(sim, "sekda"))
    # the Plh. Sekda was told the period started and received the open task then
    assert any("Masa tugas Bapak/Ibu sebagai Plh. Sekretaris Daerah berjalan sejak 25 November 2026" in t for t in texts(sim, "kadisdik"))
    # the lembar disposisi of step 2 and the letter's signature block
    assert "Plh. Asisten Administrasi Umum" in pdf_text(sheets[1].file_path)
    signed = pdf_text(letter.file_path)
    assert "a.n. BUPATI LAMANDAU Plh. SEKRETARIS DAERAH," in signed
    assert KADISDIK.nama in signed and "19750510 200003 1 002" in signed
    assert "MUHAMAD IRWANSYAH" not in signed.split("Plh. SEKRETARIS DAERAH,")[1]


async def test_an_ended_order_gives_nothing(sim):
    await appoint_plh_asisten(sim)
    await sim.say("sekda", "/mulai 2026")
    await sim.press("sekda", "Disposisikan ke Asisten")
    message = sim.find_message("kabag", "Disposisikan ke Kabag")  # the Plh.'s copy of step 2
    data = message.buttons[0][0].data
    sim.svc.acting.end(sim.tg("kabag"))
    await sim.settle()
    edited = next(msg for msg in sim.messages("kabag") if msg.message_id == message.message_id)
    assert "telah berakhir" in edited.plain_text and not edited.buttons
    assert any("diakhiri" in t for t in texts(sim, "asisten")) and any("diakhiri" in t for t in texts(sim, "kabag"))
    qid = await sim.double.press_raw(sim.tg("kabag"), message.message_id, data)
    await sim.settle()
    assert "Masa tugas Bapak/Ibu sebagai Plh. Asisten Administrasi Umum telah berakhir" in answer(sim, qid)
    with sim.svc.db.transaction(write=False) as s:
        assert s.scalar(select(m.Task.status).where(m.Task.step == 2)) == "open"


async def test_plh_refusals_in_chat(sim):
    await sim.say("tim1", "/plh")  # wrong role
    assert "hanya dapat dilakukan oleh Sekretaris Daerah atau administrator" in sim.last_text("tim1")
    await sim.say("sekda", "/plh")
    await sim.press("sekda", "Asisten Administrasi Umum")
    person = sim.find_message("sekda", f"{KABAG} (Kepala Bagian Organisasi)")
    # a forged person (not a candidate) is refused with a reason
    qid = await sim.double.press_raw(sim.tg("sekda"), person.message_id, "ph:to:1002")
    await sim.settle()
    assert "sudah tidak berlaku" in answer(sim, qid)
    await sim.say("sekda", "/plh")
    await sim.press("sekda", "Asisten Administrasi Umum")
    await sim.press("sekda", f"{KABAG} (Kepala Bagian Organisasi)")
    await sim.say("sekda", "kemarin")  # not a date
    assert "Tanggal tidak dikenali" in sim.last_text("sekda")
    await sim.say("sekda", "20-11-2026 s.d. 27-11-2026")  # in the past
    await sim.press("sekda", "Lewati")
    confirm = sim.find_message("sekda", "Tetapkan sebagai Plh.")
    assert "Periksa penunjukan" in confirm.plain_text
    await sim.press("sekda", "Tetapkan sebagai Plh.")
    assert "sudah lewat" in sim.last_text("sekda")
    # a replayed confirmation changes nothing
    qid = await sim.double.press_raw(sim.tg("sekda"), confirm.message_id, "ph:plh:0")
    await sim.settle()
    assert answer(sim, qid)
    assert sim.svc.acting.list_orders() == []


async def test_the_kabag_reassigns_a_task_from_tugas(sim):
    await sim.say("sekda", "/mulai 2026")
    await sim.press("sekda", "Disposisikan ke Asisten")
    await sim.press("asisten", "Disposisikan ke Kabag")
    await sim.press("kabag", "Disposisikan ke Tim SAKIP")  # step 4 for tim1 and tim2
    await sim.say("tim1", "/tugas")
    assert not _has(sim, "tim1", "Alihkan: Langkah 4")  # only the Kabag and the admin may
    await sim.say("kabag", "/tugas")
    await sim.press("kabag", "Alihkan: Langkah 4")
    # a forged person (the Asisten is not Tim SAKIP) is refused with the reason
    people = sim.find_message("kabag", "Agus Prasetyo, S.Kom.")
    qid = await sim.double.press_raw(sim.tg("kabag"), people.message_id, "ra:to:1002")
    await sim.settle()
    assert "tidak dapat menerima tugas tersebut" in answer(sim, qid)
    await sim.press("kabag", "Alihkan: Langkah 4")
    await sim.press("kabag", "Agus Prasetyo, S.Kom.")
    await sim.say("kabag", "Rina Wulandari mengikuti diklat sampai Jumat.")
    assert "dialihkan kepada Agus Prasetyo, S.Kom." in sim.last_text("kabag")
    moved = [t for t in texts(sim, "tim1") if "telah dialihkan kepada Agus Prasetyo" in t]
    assert moved and "Alasan: Rina Wulandari mengikuti diklat" in moved[-1]
    assert any("dialihkan kepada Bapak/Ibu oleh Siti Rahmah" in t for t in texts(sim, "tim2"))
    # the old message lost its buttons; a replayed press of it is refused with the reason
    old = [msg for msg in sim.messages("tim1") if "telah dialihkan" in (msg.plain_text or "")][-1]
    assert not old.buttons
    task_id = sim.svc.reassign.open_tasks()[0].task_id
    qid = await sim.double.press_raw(sim.tg("tim1"), old.message_id, f"ra:pick:{task_id}")
    await sim.settle()
    assert "Kepala Bagian Organisasi atau administrator" in answer(sim, qid)
    await sim.press("tim2", "Isi konsep surat")
    with sim.svc.db.transaction(write=False) as s:
        (reassign,) = s.execute(select(m.AuditLog.actor_label, m.AuditLog.after)
                                .where(m.AuditLog.action == "task_reassign")).all()
    assert reassign[0] == KABAG and reassign[1]["alasan"].startswith("Rina Wulandari mengikuti diklat")


def _has(sim, who: str, button: str) -> bool:
    try:
        sim.find_message(who, button)
    except LookupError:
        return False
    return True
