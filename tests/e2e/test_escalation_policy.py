"""The escalation policy of the SOP file (issue 13 item 5), through the real Application and the
Bot API double: who reads a delay, live or in the morning digest, and a per-step override."""

from __future__ import annotations

from datetime import datetime
from importlib import resources

from bot.formatting import WIB
from bot.simulation import Person, Simulation, default_people
from tests.e2e.conftest import OPDS
from tests.e2e.conftest import cycle_to

KADIS = Person("kadis", 3001, "Dr. Hendra Wijaya, M.Pd.", "kepala_opd", "DISDIK", jabatan="Kepala Dinas Pendidikan")


def new_texts(sim, who: str, since: int) -> list[str]:
    return [m.plain_text for m in sim.messages(who)[since:]]


async def test_a_day_long_opd_delay_reaches_the_kepala_opd_then_the_asisten_and_sekda_in_the_digest(tmp_path):
    async with Simulation(tmp_path, opds=OPDS, people=[*default_people(OPDS), KADIS]) as sim:
        await cycle_to(sim, batas_waktu="25-11-2026", until_step=9)
        for opd in ("disdik", "dinsos", "kec-delang"):
            await sim.press(opd, "Terima surat")
        seen = {who: len(sim.messages(who)) for who in sim.people}
        # Thursday 07.31: the OPDs are 15.5 hours late (batas waktu Wednesday 16.00)
        sim.clock.set(datetime(2026, 11, 26, 7, 31, tzinfo=WIB))
        sim.svc.alerts.sweep()
        sim.svc.alerts.digest()
        await sim.settle()
        told = [t for t in new_texts(sim, "kadis", seen["kadis"]) if "Ringkasan keterlambatan" in t]
        assert len(told) == 1 and "Dinas Pendidikan" in told[0] and "Dinas Sosial" not in told[0]
        assert "Mohon arahan Bapak/Ibu" in told[0]
        for who in ("sekda", "asisten", "kabag"):
            assert not new_texts(sim, who, seen[who]), who
        # Friday 07.31: more than a day late: the Asisten and the Sekda read it in their digest
        seen = {who: len(sim.messages(who)) for who in sim.people}
        sim.clock.set(datetime(2026, 11, 27, 7, 31, tzinfo=WIB))
        sim.svc.alerts.sweep()
        sim.svc.alerts.digest()
        await sim.settle()
        for who in ("sekda", "asisten"):
            texts = new_texts(sim, who, seen[who])
            assert len(texts) == 1 and "Ringkasan keterlambatan" in texts[0], who
            assert all(n in texts[0] for n in ("Dinas Pendidikan", "Dinas Sosial", "Kecamatan Delang"))
        assert any("Ringkasan keterlambatan" in t for t in new_texts(sim, "kadis", seen["kadis"]))


def with_step4_override() -> str:
    """The bundled file, its step 4 (Tim SAKIP) escalating to the Asisten instead of the Kabag."""
    text = resources.files("bot.data").joinpath("sop-esakip.yaml").read_text(encoding="utf-8")
    anchor = "    kind: drafting\n"
    assert text.count(anchor) == 1
    return text.replace(anchor, anchor + "    eskalasi:\n      segera: [asisten]\n      ringkasan: [sekda]\n")


async def test_a_per_step_override_in_a_copy_of_the_sop_file(tmp_path):
    path = tmp_path / "sop-esakip.yaml"
    path.write_text(with_step4_override(), encoding="utf-8")
    async with Simulation(tmp_path / "run", opds=OPDS, sop_file=path) as sim:
        await cycle_to(sim, until_step=4)
        seen = {who: len(sim.messages(who)) for who in ("kabag", "asisten", "sekda")}
        sim.clock.set(datetime(2026, 11, 24, 11, 0, tzinfo=WIB))  # step 4 (30 menit, due 09.30) is 90 minutes late
        sim.svc.alerts.sweep()
        await sim.settle()
        texts = new_texts(sim, "asisten", seen["asisten"])
        assert len(texts) == 1 and "Langkah 4 melewati batas waktu" in texts[0]
        assert "Rina Wulandari" in texts[0] and "terlewat 1 jam 30 menit" in texts[0]
        await sim.press("asisten", "Ingatkan")  # the override's superior may remind
        assert any("mengingatkan" in t for t in new_texts(sim, "tim1", 0))
        assert not new_texts(sim, "kabag", seen["kabag"]) and not new_texts(sim, "sekda", seen["sekda"])
