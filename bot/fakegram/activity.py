"""Tracks requests in flight and the time of the last activity, for ``wait_idle``."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable


class Activity:
    """Requests being handled (long polls excluded) and when something last happened."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._in_flight: dict[int, str] = {}
        self._tickets = itertools.count()
        self.last = clock()

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
