"""The command menu each person sees: read from the tables that decide who may use a command
(who starts a cycle of which SOP, who sees which report, who appoints a Plh., who records for
an OPD), so that a menu never offers a command its owner is refused, nor hides one they may use.
The commands' descriptions are in templates/chat/labels.yaml (`commands`)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.roles import Peran
from bot.services.acting_orders import APPOINTERS
from bot.services.reach import RECORDERS
from bot.services.recap import VIEWERS
from bot.sop import SopDefinition
from bot.sop.definition import StepKind
from bot.workflow.access import STARTERS

#: The step kinds whose per-OPD tasks reach their role as one queue message (/antrian).
QUEUED = (StepKind.VERIFICATION, StepKind.DISTRIBUTION)
#: Every person's, after their role's own.
COMMON = ("verifikasi", "batal")


def commands_for(peran: Peran, sops: Iterable[SopDefinition]) -> list[str]:
    """The commands of `peran`'s menu, in menu order."""
    sops = list(sops)
    starters = {role for sop in sops for role in (sop.starters or STARTERS)}
    queued = {step.pelaksana for sop in sops for step in sop.steps if step.fan_out and step.kind in QUEUED}
    offered = {
        "mulai": peran in starters,
        "tugas": True,
        "antrian": peran in queued,  # Tim SAKIP's queues (bot/services/antrian.py)
        "rekap": peran in VIEWERS["rekap"],
        "monitoring": peran in VIEWERS["monitoring"],
        "riwayat": peran in VIEWERS["riwayat"],
        "plh": peran in APPOINTERS,
        "atasnama": peran in RECORDERS,
        "teguran": peran is Peran.TIM_SAKIP,  # who drafts a Surat Teguran (bot/services/teguran.py)
        "bantuan": True,
    }
    return [command for command, shown in offered.items() if shown] + list(COMMON)
