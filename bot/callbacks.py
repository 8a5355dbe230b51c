"""Callback data: one small codec, "<ns>:<action>:<id>", at most 64 bytes, parsed in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64

#: The id part: ASCII digits only (``\d`` would also take other scripts' digits), at most 18 of
#: them, so every id fits a signed 64-bit column.
ID = r"[0-9]{1,18}"

#: Every namespace of callback data, once, with what it carries and where it is handled (a test
#: checks that each namespace the code uses is here). The id is a task's, a cycle's, an alert's or
#: an index, as said.
NAMESPACES: dict[str, str] = {
    "t": "a task's button: the codes of bot/workflow/kinds.py (BUTTONS) plus sy/bt (confirm, cancel); "
         "conversations/tasks.py, notes.py, drafting.py, submission.py, official_letter.py; id = task",
    "f": "the letter form's menu (conversations/drafting.py); id = task",
    "s": "the report form: kirim, batal (conversations/submission.py); id = task",
    "a": "an alert: ack, nudge (conversations/alerts.py); id = task",
    "r": "the recap's downloads: xlsx, pdf, chart (conversations/recap.py); id = cycle",
    "m": "the monitoring form's downloads: pdf, xlsx (conversations/reports.py); id = cycle",
    "h": "the audit trail's download: csv (conversations/reports.py); id = cycle",
    "sm": "the incoming letter at /mulai: add, skip, noscan (conversations/incoming.py); id = cycle",
    "mu": "what /mulai starts (conversations/cycle.py): sop (id = the SOP's index), yr (id = tahun kinerja * 100 + the SOP's index)",
    "ob": "a record on behalf of an OPD without an operator: rc, sb, fisik, surel, kini, kirim, batal "
          "(conversations/on_behalf.py); id = task",
    "ph": "the /plh form: role (id = index of the post), to (id = Telegram ID), skip, plh, plt, no "
          "(conversations/acting.py)",
    "aq": "Tim SAKIP's queue message: pg (id = the page; the queue is the pressed message's), op (id = the "
          "verification task whose submission it opens) (conversations/antrian.py)",
    "tg": "the Surat Teguran to a late OPD (conversations/teguran.py): new (id = cycle_opd row), daftar "
          "(id = cycle), kirim, batal, setuju, kembali, ttd, ya, tidak, ulang (id = teguran)",
    "ck": "the step-10 checklist: ok, no, why, typ, back, done (conversations/checklist.py, "
          "bot/presentation/checklist.py); id = task * 100 + item (why: * 100 + reason; back, done: task)",
    "ra": "reassigning a task from /tugas: pick (id = task), to (id = Telegram ID) (conversations/reassign.py)",
}

_PATTERN = re.compile(rf"^(?P<ns>[a-z]{{1,3}}):(?P<action>[a-z_]{{1,16}}):(?P<id>{ID})\Z")


class CallbackError(ValueError):
    """Callback data that this bot did not make (forged, truncated, or from an old version)."""


@dataclass(frozen=True)
class Callback:
    ns: str
    action: str
    id: int

    def encode(self) -> str:
        data = f"{self.ns}:{self.action}:{self.id}"
        if len(data.encode()) > MAX_BYTES or not _PATTERN.match(data):
            raise CallbackError(f"invalid callback data: {data!r}")
        return data


def encode(ns: str, action: str, id: int) -> str:
    return Callback(ns, action, id).encode()


def decode(data: str | None) -> Callback:
    if not data or len(data.encode()) > MAX_BYTES:
        raise CallbackError("callback data empty or too long")
    match = _PATTERN.match(data)
    if not match:
        raise CallbackError(f"unknown callback data: {data[:64]!r}")
    return Callback(match["ns"], match["action"], int(match["id"]))


def pattern(ns: str, *actions: str) -> str:
    """The handler pattern for `ns` with one of `actions`, accepting exactly what `decode` accepts
    (so a press a handler takes always decodes)."""
    choice = "|".join(re.escape(a) for a in actions) if actions else "[a-z_]{1,16}"
    return rf"^{re.escape(ns)}:({choice}):{ID}\Z"
