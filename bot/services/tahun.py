"""The tahun kinerja a cycle reports on (issue 13 item 1).

The LKj and the E-SAKIP data of year N are filled early in year N+1 (the LKjIP goes to
KemenPANRB by 31 March), so from January to June the default is the previous year, from July the
current one. Pure functions of the injected clock's `now`.
"""

from __future__ import annotations

from datetime import datetime

from bot import formatting
from bot.services.errors import InvalidInput

#: How many years back a cycle may still be started (a late or repeated report).
YEARS_BACK = 5


def _year(now: datetime) -> int:
    return now.astimezone(formatting.WIB).year


def default_tahun(now: datetime) -> int:
    local = now.astimezone(formatting.WIB)
    return local.year - 1 if local.month <= 6 else local.year


def offered(now: datetime) -> tuple[int, ...]:
    """The years /mulai offers as buttons: the previous and the current year."""
    return (_year(now) - 1, _year(now))


def check(tahun: int, now: datetime) -> int:
    """The tahun kinerja if a cycle may report on it; else InvalidInput with the range."""
    low, high = _year(now) - YEARS_BACK, _year(now)
    if not low <= tahun <= high:
        raise InvalidInput("tahun.out_of_range", tahun=tahun, low=low, high=high, example=default_tahun(now))
    return tahun


def parse(text: str, now: datetime) -> int:
    """The year typed after /mulai ("2026"); InvalidInput when it is not a sane year."""
    value = text.strip()
    if not (len(value) == 4 and value.isascii() and value.isdigit()):
        raise InvalidInput("tahun.not_a_year", example=default_tahun(now))
    return check(int(value), now)
