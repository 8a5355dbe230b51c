"""Tracks requests in flight and the time of the last activity, for ``wait_idle``."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

#: Reports what keeps the bot busy, or None when it is idle as far as the probe can tell.
IdleProbe = Callable[[], str | None]


class Activity:
    """Requests being handled (long polls excluded) and when something last happened."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._in_flight: dict[int, str] = {}
        self._tickets = itertools.count()
        self.last = clock()
        self.probes: list[IdleProbe] = []

    def begin(self, method: str) -> int:
        """A request started; returns a ticket for :meth:`end`."""
        self.touch()
        ticket = next(self._tickets)
        self._in_flight[ticket] = method
        return ticket

    def end(self, ticket: int) -> None:
        self._in_flight.pop(ticket, None)
        self.touch()

    def touch(self) -> None:
        """Something happened (an update was queued, delivered or confirmed, a request ran)."""
        self.last = self._clock()

    @property
    def in_flight(self) -> list[str]:
        """Methods of the requests being handled right now."""
        return list(self._in_flight.values())

    def quiet_for(self) -> float:
        """Seconds since the last activity."""
        return self._clock() - self.last

    def busy_probes(self) -> list[str]:
        """What the registered probes report as still in progress."""
        return [report for probe in self.probes if (report := probe()) is not None]
