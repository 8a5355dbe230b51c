"""Driving the step-10 checklist as Tim SAKIP would (the demo and the tests): tick every item,
or return on some items with a standard or typed reason."""

from __future__ import annotations

from collections.abc import Mapping

from bot.presentation import labels
from bot.simulation import Simulation
from bot.sop.checklist import Checklist
from bot.sop.definition import StepKind

#: The demo's return: two items, one with a standard reason and one typed.
DEMO_RETURN = {"IKU": "Target IKU belum sesuai dengan Perjanjian Kinerja 2026; mohon diperbaiki.",
               "Realisasi triwulan": "Data capaian tidak lengkap"}


def checklist(sim: Simulation) -> Checklist:
    found = sim.svc.sop.step_of_kind(StepKind.VERIFICATION).checklist
    assert found is not None, "the SOP's verification step has no checklist"
    return found


async def verify_by_checklist(sim: Simulation, who: str, opd_nama: str,
                              failed: Mapping[str, str] | None = None) -> None:
    """Tick every item of `opd_nama`'s submission: sesuai, except the items in `failed` (button
    name -> reason: a standard reason is pressed, any other text is typed), then finish."""
    failed = failed or {}
    for item in checklist(sim).items:
        if item.singkat in failed:
            await give_reason(sim, who, opd_nama, item.singkat, failed[item.singkat])
        elif not _chosen(sim, who, opd_nama, labels.button("checklist_ok", item=item.singkat)):
            await sim.press(who, labels.button("checklist_ok", item=item.singkat), contains=opd_nama)
    await sim.press(who, labels.button("checklist_finish"), contains=opd_nama)


async def give_reason(sim: Simulation, who: str, opd_nama: str, singkat: str, reason: str) -> None:
    await sim.press(who, labels.button("checklist_fail", item=singkat), contains=opd_nama)
    if reason in checklist(sim).alasan:
        await sim.press(who, reason, contains=opd_nama)
    else:
        await sim.press(who, labels.button("checklist_typed"), contains=opd_nama)
        await sim.say(who, reason)


def _chosen(sim: Simulation, who: str, opd_nama: str, label: str) -> bool:
    """Whether the sheet already shows `label` as the answer (carried from the last verification)."""
    try:
        sim.find_message(who, labels.button("checklist_chosen", label=label), opd_nama)
    except LookupError:
        return False
    return True
