"""A maintainer changes the SOP file, not the code: a copy of the bundled SOP with a 13th step of
an existing kind runs a whole cycle through the real Application and the Bot API double."""

from __future__ import annotations

from importlib import resources

import yaml
from sqlalchemy import select

from bot.demo import run_cycle
from bot.simulation import Simulation
from bot.sop.loader import _Yaml12Loader
from bot.storage import models as m
from tests.e2e.conftest import OPDS

#: The step the maintainer inserts before the signature: the Sekda reads the konsep first.
NEW_STEP = {
    "no": 7,
    "nama": "Pemeriksaan Konsep Surat oleh Sekretaris Daerah",
    "kegiatan": "Memeriksa konsep surat yang telah disetujui Asisten Administrasi Umum sebelum ditandatangani",
    "pelaksana": "sekda",
    "kelengkapan": "konsep surat",
    "waktu": "30 menit",
    "output": "konsep surat yang telah diperiksa Sekretaris Daerah",
    "keterangan": "",
    "kind": "decision",
    "branches": {"ya": 8, "tidak": 4},
}


def thirteen_steps() -> str:
    """The bundled file with NEW_STEP inserted as step 7; the later steps move up by one."""
    text = resources.files("bot.data").joinpath("sop-esakip.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=_Yaml12Loader)  # noqa: S506 (a SafeLoader)
    shift = lambda no: no + 1 if no is not None and no >= 7 else no  # noqa: E731
    steps = []
    for step in data["steps"]:
        step = {**step, "no": shift(step["no"]), "next": shift(step.get("next"))}
        if step.get("branches"):
            step["branches"] = {name: shift(target) for name, target in step["branches"].items()}
        if step["no"] == 6:
            step["branches"] = {"ya": 7, "tidak": 4}
        steps.append(step)
    steps.insert(6, NEW_STEP)
    data["steps"], data["version"] = steps, 2
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)


async def sekda_reads_the_konsep(sim: Simulation) -> None:
    sim.advance(minutes=10)
    await sim.press("sekda", "Setujui")


async def test_a_thirteenth_step_of_an_existing_kind_runs_end_to_end(tmp_path):
    path = tmp_path / "sop-esakip-13.yaml"
    path.write_text(thirteen_steps(), encoding="utf-8")
    async with Simulation(tmp_path / "run", opds=OPDS, sop_file=path) as sim:
        assert sim.svc.sop.total_steps == 13
        await run_cycle(sim, returned_opd="dinsos", before_signing=sekda_reads_the_konsep)
        sim.double.assert_no_violations()
        with sim.svc.db.transaction(write=False) as s:
            cycle = s.scalar(select(m.Cycle))
            steps = s.scalars(select(m.Task.step).where(m.Task.outcome == "approved")).all()
            archived = s.scalar(select(m.Task).where(m.Task.outcome == "archived"))
        texts = [msg.plain_text for msg in sim.messages("sekda")]
        tim = [msg.plain_text for msg in sim.messages("tim1")]
    assert cycle.status == "closed" and archived.step == 13
    assert sorted(steps) == [5, 6, 7]
    # each task message, once done, names its step by its new number
    assert any("Langkah 7 — Pemeriksaan Konsep Surat oleh Sekretaris Daerah: Disetujui" in t for t in texts)
    assert any("Langkah 8 — Penandatanganan Surat oleh Sekretaris Daerah: Ditandatangani" in t for t in texts)
    assert any("Langkah 13 — Dokumentasi dan Pengarsipan: Diarsipkan" in t for t in tim)
    assert any("Langkah 9 — Distribusi Surat kepada Perangkat Daerah" in t for t in tim)
