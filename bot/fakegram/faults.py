"""Failure injection: answers that make the next matching requests fail on purpose."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
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


@dataclass
class RandomFaults:
    """Each request to one of ``methods`` (every method but getUpdates if empty) fails with
    probability ``rate``, with a kind drawn from ``kinds``; seeded, so a run can be repeated."""

    rate: float
    kinds: tuple[FaultKind, ...] = ("5xx", "network")
    methods: frozenset[str] = frozenset()
    seed: int = 0
    #: For "latency": how long the answer is held back.
    delay: float = 7.0
    injected: int = 0
    _random: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not 0 <= self.rate <= 1:
            raise ValueError("rate is a probability, between 0 and 1")
        unknown = set(self.kinds) - set(FAULT_KINDS)
        if unknown or not self.kinds:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; use some of {FAULT_KINDS}")
        self.methods = frozenset(m.lower() for m in self.methods)
        self._random = random.Random(self.seed)

    def draw(self, method: str) -> Fault | None:
        name = method.lower()
        if name == "getupdates" or (self.methods and name not in self.methods):
            return None
        if self._random.random() >= self.rate:
            return None
        self.injected += 1
        return Fault(method, self._random.choice(self.kinds), 0, delay=self.delay)


class FaultInjector:
    """Holds the injected faults in the order they were added (and an optional random rate)."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []
        self.random: RandomFaults | None = None
        #: While True, the random faults are held (the listed ones still apply).
        self.paused = False

    def randomly(self, rate: float, kinds: tuple[FaultKind, ...] = ("5xx", "network", "latency"),
                 delay: float = 7.0, seed: int = 0) -> RandomFaults | None:
        """From now on, fail each request (except getUpdates) with probability ``rate``, with a
        kind drawn from ``kinds``; ``rate=0`` turns it off."""
        self.random = RandomFaults(rate, tuple(kinds), seed=seed, delay=delay) if rate > 0 else None
        return self.random

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
        if self.random is None or self.paused:
            return None
        return self.random.draw(method)

    @property
    def pending(self) -> list[Fault]:
        return [f for f in self.faults if f.remaining > 0]

    def clear(self) -> None:
        self.faults.clear()
        self.random = None
