"""The Surat Teguran to a late Perangkat Daerah (issue 13 item 8), through the real Application
and the Bot API double: Tim SAKIP drafts, the Kabag returns then approves, the Sekda signs, the
OPD's Kepala and operator receive the PDF; refusals for an OPD on time and for stale presses."""

from __future__ import annotations

import subprocess
from datetime import datetime

import pytest
from sqlalchemy import select

from bot.formatting import WIB
from bot.simulation import Person, Simulation, default_people
from bot.storage import models as m
from tests.e2e.conftest import OPDS, cycle_to

KADIS = Person("kadinsos", 3002, "Drs. Yohanes Dami, M.Si.", "kepala_opd", "DINSOS", jabatan="Kepala Dinas Sosial")
#: Monday: the batas waktu (Wednesday 25 November 2026, 16.00) is 3 working days past.
MONDAY = datetime(2026, 11, 30, 8, 0, tzinfo=WIB)


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()


def answer(sim, query_id: str) -> str:
    return sim.double.callback_answers[query_id].text or ""


@pytest.fixture
async def late(tmp_path):
    """A cycle whose letter gave 25 November 2026; Disdik reported on time, the others did not."""
    async with Simulation(tmp_path, opds=OPDS, people=[*default_people(OPDS), KADIS]) as sim:
        await cycle_to(sim, batas_waktu="25-11-2026", until_step=9)
        for opd in ("disdik", "dinsos"):
            await sim.press(opd, "Terima surat")
        await sim.press("disdik", "Laporkan selesai")
        await sim.say("disdik", "Data kinerja telah diisi.")
        await sim.press("disdik", "Kirim laporan")
        yield sim
        sim.double.assert_no_violations()


async def test_teguran_drafted_returned_approved_signed_and_delivered(late):
    sim = late
    await sim.say("tim1", "/teguran DINSOS")  # before the batas waktu: refused, with the date
    assert "belum terlewati" in sim.last_text("tim1") and "25 November 2026" in sim.last_text("tim1")
    sim.clock.set(MONDAY)
    await sim.say("tim1", "/teguran")
    listing = sim.last_text("tim1")
    assert "Dinas Sosial (DINSOS) — terlambat 3 hari kerja" in listing and "Kecamatan Delang" in listing
    assert "Dinas Pendidikan" not in listing  # it reported before the batas waktu
    await sim.press("tim1", "Dinas Sosial")
    konsep = sim.double.last_message(sim.tg("tim1"))
    assert konsep.file is not None and "(diberikan saat ditandatangani)" in pdf_text(konsep.file.data)
    await sim.press("tim1", "Ajukan kepada Kabag")
    assert "diajukan kepada Kepala Bagian Organisasi" in sim.last_text("tim1")
    assert "Setujui" not in [b.text for row in sim.double.last_message(sim.tg("tim1")).buttons for b in row]
    # the Kabag returns it with a note; Tim SAKIP redrafts with 7 working days
    assert "Dinas Sosial melewati batas waktu" in sim.last_text("kabag")
    await sim.press("kabag", "Kembalikan", contains="Dinas Sosial")
    await sim.say("kabag", "Mohon batas waktu baru 7 hari kerja.")
    assert "dikembalikan kepada Rina Wulandari" in sim.messages("kabag")[-3].plain_text  # the konsep's caption
    returned = sim.find_message("tim1", "Susun ulang")
    assert "Mohon batas waktu baru 7 hari kerja." in returned.plain_text
    await sim.say("tim1", "/teguran DINSOS 7")
    assert "Rabu, 9 Desember 2026" in sim.last_text("tim1")  # 7 hari kerja from Monday 30 November
    await sim.press("tim1", "Ajukan kepada Kabag")
    await sim.press("kabag", "Setujui", contains="Dinas Sosial")
    assert "disetujui oleh Siti Rahmah" in sim.last_text("tim1")
    # the Sekda signs, after a confirmation
    await sim.press("sekda", "Tandatangani", contains="Surat Teguran")
    await sim.press("sekda", "Ya, tandatangani")
    assert "ditandatangani oleh Dr. MUHAMAD IRWANSYAH" in sim.last_text("sekda")
    with sim.svc.db.transaction(write=False) as s:
        cycle = s.scalar(select(m.Cycle))
        nomor_surat = cycle.letter["nomor"]
        teguran = s.scalar(select(m.Teguran).where(m.Teguran.status == "ditandatangani"))
        nomor_teguran = teguran.nomor
    for who in ("dinsos", "kadinsos"):
        delivered = sim.double.last_message(sim.tg(who))
        assert delivered.file is not None and f"Nomor {nomor_teguran}" in delivered.plain_text, who
        text = " ".join(pdf_text(delivered.file.data).split())
        assert "Dinas Sosial" in text and nomor_surat in text and "Tahun Kinerja 2026" in text
        assert "diberikan saat" not in text and "9 Desember 2026" in text and "3 (tiga) hari kerja" in text
    assert f"Nomor {nomor_teguran}" in sim.last_text("tim1") and "Drs. Yohanes Dami" in sim.last_text("tim1")
    await sim.say("tim2", "/teguran DINSOS")  # a second one waits until the new batas waktu has passed
    assert "Surat teguran berikutnya dapat disusun setelah" in sim.last_text("tim2")
    await sim.say("kabag", "/verifikasi " + teguran_code(sim))
    assert "hal Teguran atas Keterlambatan" in sim.last_text("kabag")


def teguran_code(sim) -> str:
    with sim.svc.db.transaction(write=False) as s:
        return s.scalar(select(m.Document.verification_code).where(m.Document.kind == "surat_teguran"))


async def test_refusals_for_an_opd_on_time_another_role_and_stale_buttons(late):
    sim = late
    sim.clock.set(MONDAY)
    await sim.say("tim1", "/teguran DISDIK")
    assert "telah melapor dan menunggu verifikasi" in sim.last_text("tim1")
    await sim.say("tim1", "/teguran NGAWUR")
    assert "«NGAWUR» tidak dikenal" in sim.last_text("tim1")
    await sim.say("tim1", "/teguran DINSOS lima")
    assert "ditulis dengan angka" in sim.last_text("tim1")
    await sim.say("kabag", "/teguran DINSOS")
    assert "dilakukan oleh Tim SAKIP" in sim.last_text("kabag")
    await sim.say("tim1", "/teguran <b>x</b>")
    assert "«<b>x</b>» tidak dikenal" in sim.last_text("tim1")  # HTML typed is shown as text
    await sim.say("tim1", "/teguran DINSOS")
    await sim.press("tim1", "Ajukan kepada Kabag")
    await sim.say("tim2", "/teguran DINSOS")  # a second draft while the first is with the Kabag
    assert "sedang dikoreksi Kepala Bagian Organisasi" in sim.last_text("tim2")
    message = sim.find_message("kabag", "Setujui", contains="Dinas Sosial")
    await sim.press("kabag", "Setujui", contains="Dinas Sosial")
    with sim.svc.db.transaction(write=False) as s:
        ident = s.scalar(select(m.Teguran.id))
    stale = await sim.double.press_raw(sim.tg("kabag"), message.message_id, f"tg:setuju:{ident}")
    await sim.settle()
    assert "menunggu tanda tangan Sekretaris Daerah" in answer(sim, stale)  # a repeated press
    other = await sim.double.press_raw(sim.tg("tim1"), sim.messages("tim1")[-1].message_id, f"tg:ya:{ident}")
    await sim.settle()
    assert "dilakukan oleh Sekretaris Daerah" in answer(sim, other)  # Tim SAKIP cannot sign
    forged = await sim.double.press_raw(sim.tg("sekda"), sim.messages("sekda")[-1].message_id, "tg:ttd:999999")
    await sim.settle()
    assert "tidak berlaku" in answer(sim, forged)
    with sim.svc.db.transaction(write=False) as s:
        assert s.scalar(select(m.Teguran.status)) == "disetujui" and s.scalar(select(m.Teguran.nomor)) is None


async def test_the_sekdas_digest_ranks_the_late_opds_and_tim_sakip_can_open_the_teguran_list(late):
    sim = late
    seen = {who: len(sim.messages(who)) for who in ("sekda", "tim1")}
    sim.clock.set(datetime(2026, 11, 30, 7, 31, tzinfo=WIB))
    sim.svc.alerts.digest()
    await sim.settle()
    [digest] = [msg.plain_text for msg in sim.messages("sekda")[seen["sekda"]:]]
    # Kecamatan Delang never confirmed receipt (due Wednesday morning), Dinas Sosial is filling
    # (due Wednesday 16.00); Dinas Pendidikan reported on time and is not listed.
    assert ("1. Kecamatan Delang — Langkah 8 (Distribusi Surat kepada Perangkat Daerah): terlambat 3 hari kerja\n"
            "2. Dinas Sosial — Langkah 9 (Pengisian Data Kinerja oleh Perangkat Daerah): terlambat 3 hari kerja"
            in digest), digest
    assert "Dinas Pendidikan" not in digest and "Susun surat teguran" not in digest
    assert not sim.messages("sekda")[-1].buttons  # the Sekda reads; Tim SAKIP drafts
    await sim.press("tim1", "Susun surat teguran")
    assert "Dinas Sosial (DINSOS) — terlambat 3 hari kerja" in sim.last_text("tim1")


async def test_forged_teguran_buttons_are_refused_with_a_reason(late):
    sim = late
    sim.clock.set(MONDAY)
    await sim.say("tim1", "/teguran")
    before = [msg.plain_text for msg in sim.messages("tim1")]
    for data in ["tg:new:999999", "tg:kirim:999999", "tg:ulang:999999", "tg:ttd:999999", "tg:kembali:999999",
                 "tg:ya:" + "9" * 18, "tg:zz:1", "tg:new:-1", "tg:new:" + "9" * 19]:
        query = await sim.double.press_raw(sim.tg("tim1"), sim.messages("tim1")[-1].message_id, data)
        await sim.settle()
        assert answer(sim, query) and "Terjadi gangguan" not in answer(sim, query), data
        assert "«»" not in answer(sim, query), data
    assert "tidak berlaku" in answer(sim, query) or "tidak dikenal" in answer(sim, query)
    assert [msg.plain_text for msg in sim.messages("tim1")] == before  # nothing edited, nothing sent
    with sim.svc.db.transaction(write=False) as s:
        assert s.scalar(select(m.Teguran.id)) is None


async def test_a_plh_kabag_and_the_kabag_both_receive_the_konsep_and_one_decision_closes_both(late):
    from bot.roles import Peran

    sim = late
    sim.clock.set(MONDAY)
    asisten = sim.people["asisten"]
    await sim.say("sekda", "/plh")
    await sim.press("sekda", Peran.KABAG.label)
    await sim.press("sekda", f"{asisten.nama} ({Peran.ASISTEN.label})")
    await sim.say("sekda", "30-11-2026 s.d. 04-12-2026")
    await sim.say("sekda", "Surat Perintah Sekretaris Daerah Nomor 800.1.11.1/47/SETDA/XI/2026")
    await sim.press("sekda", "Tetapkan sebagai Plh.")
    await sim.say("tim1", "/teguran DINSOS")
    await sim.press("tim1", "Ajukan kepada Kabag")
    copy = sim.find_message("asisten", "Setujui", contains="Surat Teguran")  # the Plh. has it too
    await sim.press("kabag", "Setujui", contains="Surat Teguran")
    assert not copy.buttons and "disetujui oleh Siti Rahmah" in copy.plain_text
    assert "Tandatangani" in [b.text for row in sim.messages("sekda")[-1].buttons for b in row]
