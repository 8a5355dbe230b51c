"""`esakip-bot demo`: one whole cycle offline, through the real Application and the Bot API double.

The same script is the end-to-end test's scenario: sekda, asisten, kabag, two Tim SAKIP members
and several OPDs; a correction at step 5; an OPD returned at step 10 that resubmits. The demo
adds one acting official: the Asisten is on cuti and the Kabag acts as Plh. at steps 2 and 6; and
an OPD with no operator on the bot, whose receipt and report Tim SAKIP records on its behalf
(/atasnama). The OPDs report after the batas waktu, and one of them receives a Surat Teguran first.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from bot.demo_checklist import DEMO_RETURN, open_from_queue, verify_by_checklist
from bot.roles import Peran
from bot.services.opd_csv import bundled_opd
from bot.simulation import Simulation, default_people
from bot.storage import models as m
from bot.workflow import CycleStatus

#: A small but real draft LKj for the uploads (a valid one-page PDF).
SAMPLE_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
              b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
              b"trailer<</Root 1 0 R>>\n%%EOF\n")


@dataclass(frozen=True)
class DemoResult:
    closed: bool
    cycle_id: int | None
    documents: list[Path]
    transcript: str
    violations: list[str]


async def run_cycle(sim: Simulation, returned_opd: str | None = None, upload_name: str | None = None,
                    before_signing: Callable[[Simulation], Awaitable[None]] | None = None,
                    choose_sop: str | None = None, asisten: str = "asisten", signer: str = "sekda",
                    tahun: int = 2026, before_reports: Callable[[Simulation], Awaitable[None]] | None = None) -> None:
    """Drive every role through the SOP, as people would press and type (each OPD uploads its
    draft LKj as `upload_name` when given; `before_signing` presses what a changed SOP file adds
    between the approvals and the signature, or moves the clock; `choose_sop` is the button
    /mulai shows for the E-SAKIP SOP when the deployment runs several). `asisten` acts at steps 2
    and 6 and `signer` signs at step 7 (a Plh. when they are someone else). `tahun` is the tahun
    kinerja typed after /mulai; `before_reports` runs after every OPD has confirmed receipt (to move
    the clock past the batas waktu, say)."""
    opds = [p for p in sim.people.values() if p.peran == Peran.OPD]
    returned_opd = returned_opd or opds[1].key
    # OPDs with no operator on the bot: Tim SAKIP records their receipt and report (issue 12).
    unreached = [o.nama for o in sim.opds if o.kode not in {p.opd for p in opds}]
    await sim.say("sekda", "/start")
    await sim.say("sekda", f"/mulai {tahun}")
    if choose_sop is not None:
        await sim.press("sekda", choose_sop)
    # The incoming letter the cycle answers, for the lembar disposisi (optional: «Lewati»).
    await sim.press("sekda", "Lampirkan surat masuk")
    await sim.say("sekda", "000.8/412/Org/XI/2026")
    await sim.say("sekda", "20-11-2026")
    await sim.say("sekda", "Kepala Biro Organisasi Sekretariat Daerah Provinsi Kalimantan Tengah")
    await sim.upload("sekda", "Surat_Biro_Organisasi_Provinsi.pdf", SAMPLE_PDF, "application/pdf")
    sim.advance(minutes=7)
    await sim.press("sekda", "Disposisikan ke Asisten")
    sim.advance(minutes=12)
    await sim.press(asisten, "Tambah arahan")
    await sim.say(asisten, "Mohon dikoordinasikan dengan Tim SAKIP; surat paling lambat hari ini.")
    sim.advance(minutes=20)
    await sim.press("kabag", "Disposisikan ke Tim SAKIP")
    sim.advance(minutes=5)
    # Step 4: the form, with a changed deadline and a preview.
    await sim.press("tim1", "Isi konsep surat")
    await sim.press("tim1", "Batas waktu pengisian")
    await sim.say("tim1", "31-12-2026")
    await sim.press("tim1", "Pratinjau PDF")
    sim.advance(minutes=10)
    await sim.press("tim1", "Kirim ke Kabag")
    # Step 5: the Kabag returns the draft once.
    sim.advance(minutes=8)
    await sim.press("kabag", "Kembalikan")
    await sim.say("kabag", "Mohon cantumkan narahubung Bagian Organisasi untuk pertanyaan teknis.")
    sim.advance(minutes=6)
    await sim.press("tim2", "Isi konsep surat")
    await sim.press("tim2", "Narahubung")
    await sim.say("tim2", "Pertanyaan teknis mengenai pengisian dapat disampaikan kepada Bagian Organisasi "
                          "Sekretariat Daerah Kabupaten Lamandau pada jam kerja.")
    await sim.press("tim2", "Kirim ke Kabag")
    sim.advance(minutes=9)
    await sim.press("kabag", "Setujui")
    sim.advance(minutes=14)
    await sim.press(asisten, "Setujui")
    if before_signing is not None:
        await before_signing(sim)
    sim.advance(minutes=25)
    await sim.press(signer, "Tandatangani")
    await sim.press(signer, "Ya, tandatangani")
    sim.advance(minutes=10)
    await sim.press("tim1", "Distribusikan surat")
    # Steps 8-9 for each OPD.
    for index, opd in enumerate(opds):
        sim.advance(minutes=5 + index)
        await sim.press(opd.key, "Terima surat")
    for nama in unreached:
        sim.advance(minutes=20)
        await record_receipt_on_behalf(sim, "tim1", nama)
    if before_reports is not None:
        await before_reports(sim)
    for opd in opds:
        sim.advance(minutes=35)
        await sim.press(opd.key, "Laporkan selesai")
        await sim.upload(opd.key, upload_name or f"Rancangan_LKj_{opd.opd}_2026.pdf", SAMPLE_PDF,
                         "application/pdf")
        await sim.say(opd.key, "Data kinerja telah diisi pada aplikasi E-SAKIP.")
        await sim.press(opd.key, "Kirim laporan")
    for nama in unreached:
        sim.advance(minutes=30)
        await record_submission_on_behalf(sim, "tim1", nama, upload_name or "Rancangan_LKj_surel_2026.pdf")
    # Step 10: one OPD is returned, resubmits, and is verified.
    nama_returned = sim.people[returned_opd]
    await show_queue(sim, _opd_name(sim, next(o for o in opds if o.key != returned_opd).opd))
    for opd in opds:
        sim.advance(minutes=10)
        who = "tim2" if opd.key == returned_opd else "tim1"
        name = _opd_name(sim, opd.opd)
        await open_from_queue(sim, who, name)  # from the one queue message (issue 13 item 7)
        await verify_by_checklist(sim, who, name, failed=DEMO_RETURN if opd.key == returned_opd else None)
    for nama in unreached:
        sim.advance(minutes=10)
        await open_from_queue(sim, "tim1", nama)
        await verify_by_checklist(sim, "tim1", nama)
    sim.advance(minutes=40)
    await sim.press(returned_opd, "Laporkan selesai")
    await sim.say(returned_opd, "Target IKU telah disesuaikan dengan Perjanjian Kinerja dan realisasi triwulan IV telah dilengkapi.")
    await sim.press(returned_opd, "Kirim laporan")
    sim.advance(minutes=30)
    await open_from_queue(sim, "tim2", _opd_name(sim, nama_returned.opd))
    await verify_by_checklist(sim, "tim2", _opd_name(sim, nama_returned.opd))  # the fixed items only
    # Steps 11-12.
    sim.advance(minutes=15)
    await sim.press("kabag", "Terima rekapitulasi")
    await sim.say("tim1", "/rekap")
    sim.advance(minutes=20)
    await sim.press("tim1", "Arsipkan")


async def record_receipt_on_behalf(sim: Simulation, who: str, opd_nama: str) -> None:
    """Tim SAKIP records that `opd_nama` (no operator) received the letter by e-mail, now."""
    await sim.say(who, "/atasnama")
    await sim.press(who, f"Penerimaan surat — {opd_nama}")
    await sim.press(who, "Diterima melalui surel")
    await sim.say(who, "Yuliana, S.Sos., Kepala Subbagian Umum dan Kepegawaian")
    await sim.press(who, "Sekarang")


async def record_submission_on_behalf(sim: Simulation, who: str, opd_nama: str, filename: str) -> None:
    """Tim SAKIP records the report `opd_nama` sent by e-mail, with its attachment."""
    await sim.say(who, "/atasnama")
    await sim.press(who, f"Laporan pengisian — {opd_nama}")
    await sim.upload(who, filename, SAMPLE_PDF, "application/pdf")
    await sim.say(who, "Laporan diterima melalui surel; data telah diisi pada aplikasi E-SAKIP.")
    await sim.press(who, "Catat laporan")


async def appoint_plh_asisten(sim: Simulation, plh: str = "kabag") -> None:
    """The Asisten is on cuti this week: the Sekda appoints `plh` Plh. Asisten from chat (/plh)."""
    person = sim.people[plh]

    await sim.say("sekda", "/start")
    await sim.say("sekda", "/plh")
    await sim.press("sekda", Peran.ASISTEN.label)
    await sim.press("sekda", f"{person.nama} ({Peran(person.peran).label})")
    await sim.say("sekda", "24-11-2026 s.d. 27-11-2026")
    await sim.say("sekda", "Surat Perintah Sekretaris Daerah Nomor 800.1.11.1/45/SETDA/XI/2026")
    await sim.press("sekda", "Tetapkan sebagai Plh.")


async def show_queue(sim: Simulation, opd_nama: str) -> None:
    """The verification queue (issue 13 item 7): one message per Tim SAKIP member lists the OPDs
    waiting, oldest first; Rina opens one, and when Agus presses the same OPD he is told that
    Rina has it (his queue message already says "diambil oleh Rina ...")."""
    await open_from_queue(sim, "tim1", opd_nama)
    await open_from_queue(sim, "tim2", opd_nama)


async def draft_one_teguran(sim: Simulation) -> None:
    """Issue 13 item 8: the batas waktu (31 December 2026) passes with no report; on Monday
    4 January 2027 Tim SAKIP has a Surat Teguran drafted for the first OPD, the Kabag approves
    it, the Sekda signs it and the OPD receives it; then the OPDs report (late)."""
    from datetime import datetime

    sim.clock.set(datetime(2027, 1, 4, 8, 0, tzinfo=sim.svc.settings.tz))
    kode = next(p.opd for p in sim.people.values() if p.peran == "opd" and _opd_name(sim, p.opd) != "Sekretariat Daerah")
    await sim.say("tim1", "/teguran")
    await sim.press("tim1", _opd_name(sim, kode))
    await sim.press("tim1", "Ajukan kepada Kabag")
    sim.advance(minutes=20)
    await sim.press("kabag", "Setujui", contains="Surat Teguran")
    sim.advance(minutes=30)
    await sim.press("sekda", "Tandatangani", contains="Surat Teguran")
    await sim.press("sekda", "Ya, tandatangani")
    sim.advance(minutes=30)


def _opd_name(sim: Simulation, kode: str | None) -> str:
    return next(o.nama for o in sim.opds if o.kode == kode)


async def run_demo(out: Path, db_url: str | None = None, workdir: Path | None = None,
                   after: Callable[[Simulation], Awaitable[None]] | None = None) -> DemoResult:
    """The whole cycle; `after` runs on the finished simulation (`demo --papan` keeps its board open)."""
    workdir = workdir or Path(tempfile.mkdtemp(prefix="esakip-demo-"))
    # The last Perangkat Daerah has no operator on the bot: Tim SAKIP records it (issue 12).
    opds = bundled_opd()[:3]
    people = [p for p in default_people(opds) if p.opd != opds[-1].kode]
    async with Simulation(workdir, db_url=db_url, opds=opds, people=people) as sim:
        await appoint_plh_asisten(sim)  # one acting official: the Kabag acts at steps 2 and 6
        await run_cycle(sim, asisten="kabag", before_reports=draft_one_teguran)
        if after is not None:
            await after(sim)
        transcript = sim.double.format_transcript(tz=sim.svc.settings.tz)
        violations = list(sim.double.violations)
        with sim.svc.db.transaction(write=False) as s:
            cycle = s.scalars(select(m.Cycle).order_by(m.Cycle.id.desc())).first()
            docs = s.scalars(select(m.Document).where(m.Document.cycle_id == cycle.id)).all() if cycle else []
            closed = cycle is not None and cycle.status == CycleStatus.CLOSED
            cycle_id = cycle.id if cycle else None
            sources = [(Path(d.file_path), f"{d.id:02d}-{d.kind}-{d.filename}") for d in docs]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for source, name in sources:
        target = out / name
        shutil.copyfile(source, target)
        written.append(target)
    (out / "transkrip.txt").write_text(transcript, encoding="utf-8")
    return DemoResult(closed, cycle_id, written, transcript, violations)
