"""The tahun kinerja a cycle reports on (issue 13 item 1).

The LKj and the E-SAKIP data of year N are filled early in year N+1 (the LKjIP goes to
KemenPANRB by 31 March), so from January to June the default is the previous year, from July the
current one. Pure functions of the injected clock's `now`, in the deployment's zone `tz` (the
year turns at local midnight).
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from bot.services.errors import InvalidInput

#: How many years back a cycle may still be started (a late or repeated report).
YEARS_BACK = 5


def year(now: datetime, tz: tzinfo) -> int:
    """The calendar year in the deployment's zone."""
    return now.astimezone(tz).year


def default_tahun(now: datetime, tz: tzinfo) -> int:
    local = now.astimezone(tz)
    return local.year - 1 if local.month <= 6 else local.year


def offered(now: datetime, tz: tzinfo) -> tuple[int, ...]:
    """The years /mulai offers as buttons: the previous and the current year."""
    return (year(now, tz) - 1, year(now, tz))


def check(tahun: int, now: datetime, tz: tzinfo) -> int:
    """The tahun kinerja if a cycle may report on it; else InvalidInput with the range."""
    low, high = year(now, tz) - YEARS_BACK, year(now, tz)
    if not low <= tahun <= high:
        raise InvalidInput("tahun.out_of_range", tahun=tahun, low=low, high=high, example=default_tahun(now, tz))
    return tahun


def parse(text: str, now: datetime, tz: tzinfo) -> int:
    """The year typed after /mulai ("2026"); InvalidInput when it is not a sane year."""
    value = text.strip()
    if not (len(value) == 4 and value.isascii() and value.isdigit()):
        raise InvalidInput("tahun.not_a_year", example=default_tahun(now, tz))
    return check(int(value), now, tz)
