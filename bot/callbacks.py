"""Callback data: one small codec, "<ns>:<action>:<id>", at most 64 bytes, parsed in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64

#: The id part: ASCII digits only (``\d`` would also take other scripts' digits), at most 18 of
#: them, so every id fits a signed 64-bit column.
ID = r"[0-9]{1,18}"

#: Namespaces: t = task action, k = confirmation of a task action, x = cancel a pending action.
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
            raise CallbackError(f"callback data tidak sah: {data!r}")
        return data


def encode(ns: str, action: str, id: int) -> str:
    return Callback(ns, action, id).encode()


def decode(data: str | None) -> Callback:
    if not data or len(data.encode()) > MAX_BYTES:
        raise CallbackError("callback data kosong atau terlalu panjang")
    match = _PATTERN.match(data)
    if not match:
        raise CallbackError(f"callback data tidak dikenal: {data[:64]!r}")
    return Callback(match["ns"], match["action"], int(match["id"]))


def pattern(ns: str, *actions: str) -> str:
    """The handler pattern for `ns` with one of `actions`, accepting exactly what `decode` accepts
    (so a press a handler takes always decodes)."""
    choice = "|".join(re.escape(a) for a in actions) if actions else "[a-z_]{1,16}"
    return rf"^{re.escape(ns)}:({choice}):{ID}\Z"
