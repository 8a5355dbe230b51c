"""Failure injection: answers that make the next matching requests fail on purpose."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FaultKind = Literal["5xx", "timeout", "429", "403", "network"]
FAULT_KINDS: tuple[str, ...] = ("5xx", "timeout", "429", "403", "network")


@dataclass
class Fault:
    """``remaining`` more requests to ``method`` (any but getUpdates if None) will fail."""

    method: str | None
    kind: FaultKind
    remaining: int
    retry_after: int = 1
    chat_id: int | str | None = None

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
        return None

    @property
    def pending(self) -> list[Fault]:
        return [f for f in self.faults if f.remaining > 0]

    def clear(self) -> None:
        self.faults.clear()
