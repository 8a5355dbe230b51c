"""Failure injection: answers that make the next matching requests fail on purpose."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

FaultKind = Literal["5xx", "internal", "timeout", "429", "403", "network", "latency"]
FAULT_KINDS: tuple[str, ...] = ("5xx", "internal", "timeout", "429", "403", "network", "latency")


@dataclass
class Fault:
    """``remaining`` more requests to ``method`` (any but getUpdates if None) will fail."""

    method: str | None
    kind: FaultKind
    remaining: int
    retry_after: int = 1
    chat_id: int | str | None = None
    #: For "latency": the request is carried out, its answer held back this many seconds.
    delay: float = 7.0

    def matches(self, method: str, chat_id: object) -> bool:
        if self.remaining <= 0:
            return False
        if self.method is None:
            if method.lower() == "getupdates":
                return False
        elif self.method.lower() != method.lower():
            return False
        return self.chat_id is None or str(self.chat_id) == str(chat_id)


class FaultInjector:
    """Holds the injected faults in the order they were added."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []
        self._random: tuple[float, tuple[str, ...], float, random.Random] | None = None
        #: While True, the random faults of ``randomly`` are held (the listed ones still apply).
        self.paused = False

    def randomly(self, rate: float, kinds: tuple[str, ...] = ("5xx", "network", "latency"),
                 delay: float = 7.0, seed: int | None = None) -> None:
        """From now on, fail each request (except getUpdates) with probability ``rate``, with a
        kind drawn from ``kinds``; ``rate=0`` turns it off."""
        unknown = set(kinds) - set(FAULT_KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; use some of {FAULT_KINDS}")
        self._random = (rate, kinds, delay, random.Random(seed)) if rate > 0 else None

    def add(self, fault: Fault) -> Fault:
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}; use one of {FAULT_KINDS}")
        if fault.remaining < 1:
            raise ValueError("times must be at least 1")
        self.faults.append(fault)
        return fault

    def take(self, method: str, chat_id: object) -> Fault | None:
        """The first fault that matches this request, used up by one; None if there is none."""
        for fault in self.faults:
            if fault.matches(method, chat_id):
                fault.remaining -= 1
                return fault
        if self._random is not None and not self.paused and method.lower() != "getupdates":
            rate, kinds, delay, rng = self._random
            if rng.random() < rate:
                return Fault(method, rng.choice(kinds), 0, delay=delay)  # type: ignore[arg-type]
        return None

    @property
    def pending(self) -> list[Fault]:
        return [f for f in self.faults if f.remaining > 0]

    def clear(self) -> None:
        self.faults.clear()
