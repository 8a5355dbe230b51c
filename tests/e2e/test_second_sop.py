"""The second SOP, a file only: "Pelayanan Administrasi Surat Masuk" runs beside the E-SAKIP SOP in
one deployment, through the real Application and the Bot API double."""

from __future__ import annotations

from importlib import resources

from sqlalchemy import select

from bot.demo import SAMPLE_PDF, run_cycle
from bot.simulation import Person, Simulation, default_people
from bot.storage import models as m
from tests.e2e.conftest import OPDS

FILES = ",".join(str(resources.files("bot.data").joinpath(name)) for name in ("sop-esakip.yaml",
                                                                              "sop-surat-masuk.yaml"))
PEOPLE = [*default_people(OPDS),
          Person("tu", 3001, "Maria Ulfa, A.Md.", "tata_usaha", jabatan="Pengadministrasi Umum"),
          Person("staf", 3002, "Yohanes Dedi, S.H.", "pelaksana", jabatan="Analis Hukum")]


def texts(sim: Simulation, who: str) -> list[str]:
    return [msg.plain_text for msg in sim.messages(who)]


async def test_the_surat_masuk_sop_runs_beside_the_esakip_sop(tmp_path):
    async with Simulation(tmp_path, opds=OPDS, people=PEOPLE, sop_file=FILES) as sim:
        assert [s.name for s in sim.svc.catalog.sops] == ["esakip", "surat-masuk"]
        # The Pengadministrasi registers the letter with its scan.
        await sim.say("tu", "/start")
        assert "Penerimaan dan Pencatatan Surat Masuk" in sim.last_text("tu")
        await sim.say("tu", "/mulai")
        await sim.press("tu", "Surat Masuk")
        assert any("Siklus Surat Masuk Tahun 2026 dimulai" in t for t in texts(sim, "tu"))
        assert not any("Lampirkan surat masuk" in b.text for msg in sim.messages("tu") for row in msg.buttons
                       for b in row)  # the SOP registers the letter as its own step
        await sim.press("tu", "Catat dan unggah pindaian")
        await sim.press("tu", "Kirim laporan")  # without the scan: refused
        assert "Berkas wajib dilampirkan" in list(sim.double.callback_answers.values())[-1].text
        await sim.upload("tu", "Surat_BPS_Kabupaten.pdf", SAMPLE_PDF, "application/pdf")
        await sim.say("tu", "BPS Kabupaten Lamandau, 005/BPS/XI/2026: undangan rapat koordinasi data statistik sektoral")
        await sim.press("tu", "Kirim laporan")
        # The Sekda receives the scan and disposes to the Asisten, who disposes to the Kabag.
        sekda = texts(sim, "sekda")
        assert any("Pindaian surat masuk: Surat_BPS_Kabupaten.pdf" in t for t in sekda)
        task = next(t for t in sekda if "Surat Masuk Tahun 2026" in t)
        assert "Langkah 2 dari 7 — Disposisi Sekretaris Daerah" in task
        assert "Ringkasan surat (dicatat oleh Maria Ulfa, A.Md.): BPS Kabupaten Lamandau" in task
        assert "Lampiran: Surat_BPS_Kabupaten.pdf" in task
        sim.advance(minutes=10)
        await sim.press("sekda", "Tambah arahan", )
        await sim.say("sekda", "Hadiri dan koordinasikan data kinerja.")
        sim.advance(minutes=10)
        await sim.press("asisten", "Disposisikan ke Kepala Bagian", contains="Surat Masuk")
        # Meanwhile the Sekda starts the E-SAKIP cycle of the year: the two run side by side.
        await run_cycle(sim, returned_opd="dinsos", choose_sop="Pengisian E-SAKIP")
        sim.advance(minutes=10)
        await sim.press("kabag", "Tambah arahan", contains="Surat Masuk")
        await sim.say("kabag", "Siapkan bahan paparan data kinerja Bagian.")
        staf = texts(sim, "staf")
        assert any("Langkah 5 dari 7 — Tindak Lanjut Surat oleh Pelaksana" in t
                   and "Arahan dari Siti Rahmah, S.Sos., M.AP: Siapkan bahan paparan" in t for t in staf)
        await sim.say("staf", "/tugas")  # the same task, the same words
        listed = sim.last_text("staf")
        assert "Arahan dari Siti Rahmah, S.Sos., M.AP: Siapkan bahan paparan" in listed
        assert "Lampiran: Surat_BPS_Kabupaten.pdf" in listed
        # The pelaksana reports; the Kabag returns it once, then approves.
        await sim.press("staf", "Laporkan tindak lanjut")
        await sim.upload("staf", "Bahan_Paparan.pdf", SAMPLE_PDF, "application/pdf")
        await sim.press("staf", "Kirim laporan")  # a follow-up needs its note
        assert "Catatan wajib diisi" in list(sim.double.callback_answers.values())[-1].text
        await sim.say("staf", "Bahan paparan telah disiapkan.")
        await sim.press("staf", "Kirim laporan")
        kabag = texts(sim, "kabag")
        assert any("Berkas hasil tindak lanjut: Bahan_Paparan.pdf" in t for t in kabag)
        assert any("Hasil tindak lanjut dari Yohanes Dedi, S.H.: Bahan paparan telah disiapkan." in t for t in kabag)
        await sim.press("kabag", "Kembalikan", contains="Surat Masuk")
        assert "dikembalikan kepada Pelaksana Bagian (Langkah 5 — Tindak Lanjut Surat oleh Pelaksana)" \
            in sim.last_text("kabag")
        await sim.say("kabag", "Tambahkan capaian triwulan III.")
        assert any("Catatan perbaikan dari Siti Rahmah, S.Sos., M.AP: Tambahkan capaian triwulan III." in t
                   for t in texts(sim, "staf"))
        await sim.press("staf", "Laporkan tindak lanjut")
        await sim.say("staf", "Capaian triwulan III telah ditambahkan.")
        await sim.press("staf", "Kirim laporan")
        await sim.press("kabag", "Setujui", contains="Surat Masuk")
        await sim.press("tu", "Arsipkan")
        sim.double.assert_no_violations()
        with sim.svc.db.transaction(write=False) as s:
            cycles = {c.sop_name: c for c in s.scalars(select(m.Cycle))}
            kinds = sorted(s.scalars(select(m.Document.kind).where(
                m.Document.cycle_id == cycles["surat-masuk"].id)))
        assert {name: c.status for name, c in cycles.items()} == {"esakip": "closed", "surat-masuk": "closed"}
        assert kinds == ["arsip", "lampiran_tugas", "lembar_disposisi", "lembar_disposisi", "lembar_disposisi",
                         "surat_masuk"]
        assert any("Surat Masuk Tahun 2026 selesai" in t for t in texts(sim, "sekda"))
        assert any(msg.file is not None and msg.file.file_name.startswith("Arsip_SURAT-MASUK_2026")
                   for msg in sim.messages("tu"))
        assert not any("Surat Masuk" in t for t in texts(sim, "tim1"))  # Tim SAKIP is not in this SOP


def test_the_file_is_valid_and_marked_as_an_example():
    from bot.sop import load_sop

    sop = load_sop(resources.files("bot.data").joinpath("sop-surat-masuk.yaml"))
    assert sop.contoh and "CONTOH" in sop.identity.nomor and sop.total_steps == 7
    assert [s.kind.value for s in sop.steps] == ["registration", "disposition", "disposition", "disposition",
                                                 "follow_up", "decision", "archive"]
    assert "SOP Pelayanan Administrasi Surat Masuk" in resources.files("bot.data").joinpath(
        "sop-esakip.yaml").read_text(encoding="utf-8")  # the seed's Keterkaitan names it


async def test_reports_of_a_surat_masuk_cycle(tmp_path):
    from bot.services.errors import NotFound

    async with Simulation(tmp_path, opds=OPDS, people=PEOPLE, sop_file=FILES) as sim:
        view = sim.svc.cycles.start(sim.tg("tu"), sop="surat-masuk")
        await sim.settle()
        try:
            sim.svc.recap.build(view.cycle_id)
        except NotFound as exc:
            assert "tidak memiliki rekapitulasi per Perangkat Daerah" in str(exc)
        else:
            raise AssertionError("a recap per OPD of an SOP without one")
        monitoring = sim.svc.recap.monitoring(view.cycle_id)
        assert len(monitoring.steps) == 7
        assert sim.svc.recap.current_cycle_id() is None  # /rekap shows E-SAKIP cycles only
