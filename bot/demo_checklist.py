"""Driving step 10 as Tim SAKIP would (the demo and the tests): open the OPD from the queue
message (issue 13 item 7), then tick every item, or return on some items with a standard or
typed reason."""

from __future__ import annotations

import re
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
    name -> reason: a standard reason is pressed, any other text is typed), then finish; the
    submission is opened from `who`'s queue message first when it is not open yet (`opd_nama`
    may be other words of the task message, when it is)."""
    failed = failed or {}
    if any(o.nama == opd_nama for o in sim.opds):
        await open_from_queue(sim, who, opd_nama)
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


async def open_from_queue(sim: Simulation, who: str, opd_nama: str) -> None:
    """Tim SAKIP `who` presses the OPD's button on their newest verification queue message: its
    submission (the file and the task message with its buttons) arrives below. Nothing is pressed
    when `who` already has that submission open (a task message for the OPD that shows buttons)."""
    opened = [msg for msg in sim.messages(who) if f"Perangkat Daerah: {opd_nama}" in (msg.plain_text or "")]
    if opened and opened[-1].buttons:
        return
    opd = next(o for o in sim.opds if o.nama == opd_nama)
    label = re.compile(rf"^[0-9]+\. {re.escape(opd.singkatan or opd.nama)}( \(.*\))?$")
    for message in reversed(sim.messages(who)):
        found = [b.text for row in message.buttons for b in row if label.match(b.text)]
        if found:
            await sim.double.press(sim.tg(who), message, button=found[0])
            await sim.settle()
            return
    raise LookupError(f"{who} has no queue message with {opd_nama!r}")
