"""The working calendar (pure): turns a seed's "30 menit", "1 Jam", "1 Hari", "30 Hari" into a due instant.

`WorkingCalendar` counts in the regency's working time, in its zone `tz` (ESAKIP_TIMEZONE):

- Working time is each working day's hours as a half-open span [start, end): 16.00 on a
  Mon-Thu is already outside working time, so `next_working_start` moves it to the next morning.
- detik/menit/jam consume working time: the clock only runs inside working hours, and a start
  outside them begins counting at the next working start. A deadline that lands exactly on a
  day's end stays there (Tue 15.30 + 30 menit = Tue 16.00, not Wed 07.30).
- hari and hari kerja both count working days (the seed's "1 Hari" and "30 Hari" are read as
  working days). The start is first moved to the next working instant; the result is the same
  local time of day on the N-th following working day, clamped into that day's hours: to its end
  when the day is shorter (Ramadan, Friday vs Mon-Thu), to its start when it begins later.
- A working day is a weekday that has hours and is neither a public holiday, cuti bersama nor an
  extra day off; `extra_working_days` override all of these (a weekend made a working day gets
  the Monday hours). Ramadan ranges (inclusive) use the Ramadan hours.
- Results are timezone-aware UTC, never before the start, always inside working hours (the end
  instant included), never on a day off. Naive datetimes raise ValueError.

`AlwaysOpenCalendar` (24x7) adds the nominal duration: 1 hari = 1 hari kerja = 24 hours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from types import MappingProxyType
from typing import Literal, Protocol, runtime_checkable
from zoneinfo import ZoneInfo

import holidays

from bot import error_text

Unit = Literal["detik", "menit", "jam", "hari", "hari_kerja"]

_UNIT_LENGTH = {
    "detik": timedelta(seconds=1), "menit": timedelta(minutes=1), "jam": timedelta(hours=1),
    "hari": timedelta(days=1), "hari_kerja": timedelta(days=1),
}
_DAY_UNITS = frozenset({"hari", "hari_kerja"})
_WAKTU = re.compile(r"\s*([0-9]+)\s*(detik|menit|jam|hari\s+kerja|hari)\s*", re.IGNORECASE)
MAX_AMOUNT = 10_000  # guards against typos like "30000000 hari" that would run for ages
_SEARCH_DAYS = 400  # a configuration with no working day in 400 days is an error, not a loop


class WaktuError(ValueError):
    """A Mutu Baku "Waktu" text that cannot be read: a code of templates/errors/calendar.yaml and
    its parameters; the message (its wording) is for people. A ValueError, so that the SOP file's
    validation (pydantic) reports it where it stands."""

    def __init__(self, code: str, /, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(error_text.render(code, params))


@dataclass(frozen=True)
class Waktu:
    amount: int
    unit: Unit
    text: str

    def as_timedelta(self) -> timedelta:
        """Nominal length (hari and hari kerja are 24 hours each): for display and sorting only."""
        return self.amount * _UNIT_LENGTH[self.unit]


def parse_waktu(text: str) -> Waktu:
    """'30 Menit' -> Waktu(30, 'menit'); also 'N detik', 'N jam', 'N hari', 'N hari kerja'."""
    match = _WAKTU.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise WaktuError("calendar.waktu_unreadable", text=text)
    digits = match[1]
    if len(digits) > 9 or not 0 < int(digits) <= MAX_AMOUNT:
        raise WaktuError("calendar.waktu_out_of_range", text=text, limit=MAX_AMOUNT)
    unit = "_".join(match[2].lower().split())
    return Waktu(int(digits), unit, " ".join(text.split()))  # type: ignore[arg-type]


@runtime_checkable
class DeadlineCalendar(Protocol):
    #: The deployment's zone (ESAKIP_TIMEZONE): local days and the times people read are in it.
    tz: tzinfo

    def due(self, start: datetime, waktu: Waktu) -> datetime: ...
    def is_working_time(self, instant: datetime) -> bool: ...
    def next_working_start(self, instant: datetime) -> datetime: ...
    def is_working_day(self, day: date) -> bool: ...


def _utc(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"naive datetime {instant.isoformat()}: the calendar needs an aware one")
    return instant.astimezone(UTC)


Hours = tuple[time, time]


@dataclass(frozen=True)
class WorkingHours:
    """Hours per weekday (0 = Monday) as (start, end); a weekday that is absent is a day off."""

    days: Mapping[int, Hours] = field(hash=False)

    def __post_init__(self) -> None:
        days = dict(self.days)
        if not days:
            raise ValueError("working hours are empty: give at least one weekday")
        for weekday, (start, end) in days.items():
            if weekday not in range(7) or not start < end:
                raise ValueError(f"invalid working hours for weekday {weekday}: {start}-{end}")
        object.__setattr__(self, "days", MappingProxyType(days))

    def for_weekday(self, weekday: int) -> Hours | None:
        return self.days.get(weekday)

    def substitute(self) -> Hours:
        """Hours for a weekend that is made a working day: Monday's, else the first defined."""
        return self.days.get(0) or self.days[min(self.days)]

    @classmethod
    def pemda_default(cls) -> WorkingHours:
        """Perpres 21/2023: 37.5 h/week from 07.30, with a 60-minute break (90 on Friday)."""
        return cls._week(time(7, 30), time(16, 0), time(16, 30))

    @classmethod
    def ramadan_default(cls) -> WorkingHours:
        """Ramadan: 32.5 h/week from 08.00."""
        return cls._week(time(8, 0), time(15, 0), time(15, 30))

    @classmethod
    def _week(cls, start: time, end_mon_thu: time, end_fri: time) -> WorkingHours:
        return cls({0: (start, end_mon_thu), 1: (start, end_mon_thu), 2: (start, end_mon_thu),
                    3: (start, end_mon_thu), 4: (start, end_fri)})


class WorkingCalendar:
    """Working days and hours of the regency (see the module docstring for the rules)."""

    def __init__(self, tz: tzinfo = ZoneInfo("Asia/Jakarta"), hours: WorkingHours | None = None,
                 cuti_bersama: Iterable[date] = (), extra_days_off: Iterable[date] = (),
                 extra_working_days: Iterable[date] = (), ramadan: Iterable[tuple[date, date]] = (),
                 ramadan_hours: WorkingHours | None = None, use_public_holidays: bool = True) -> None:
        self.tz = tz
        self.hours = hours or WorkingHours.pemda_default()
        self.ramadan_hours = ramadan_hours or WorkingHours.ramadan_default()
        self.ramadan = tuple((first, last) for first, last in ramadan)
        if any(first > last for first, last in self.ramadan):
            raise ValueError("invalid Ramadan range: its first day is after its last")
        self.days_off = {day: "Hari libur" for day in extra_days_off}
        self.days_off |= {day: "Cuti bersama" for day in cuti_bersama}
        self.extra_working_days = frozenset(extra_working_days)
        self.use_public_holidays = use_public_holidays
        self._public: dict[int, Mapping[date, str]] = {}

    def holiday_name(self, day: date) -> str | None:
        """Why `day` is a day off ("Hari Raya Natal", "Cuti bersama", ...); None for weekends
        and for extra working days."""
        if day in self.extra_working_days:
            return None
        return self._public_holiday(day) or self.days_off.get(day)

    def _public_holiday(self, day: date) -> str | None:
        if not self.use_public_holidays:
            return None
        if day.year not in self._public:  # built lazily, one year at a time
            self._public[day.year] = holidays.country_holidays(
                "ID", years=day.year, language="id", categories=("public", "government"))
        return self._public[day.year].get(day)

    def _hours(self, day: date) -> Hours | None:
        in_ramadan = any(first <= day <= last for first, last in self.ramadan)
        table = self.ramadan_hours if in_ramadan else self.hours
        if day in self.extra_working_days:
            return table.for_weekday(day.weekday()) or table.substitute()
        if self.holiday_name(day) is not None:
            return None
        return table.for_weekday(day.weekday())

    def _span(self, day: date) -> tuple[datetime, datetime] | None:
        """The day's working hours as UTC instants [start, end)."""
        hours = self._hours(day)
        if hours is None:
            return None
        start, end = (datetime.combine(day, moment, self.tz).astimezone(UTC) for moment in hours)
        return start, end

    def _open_span(self, day: date) -> tuple[datetime, datetime]:
        span = self._span(day)
        if span is None:
            raise ValueError(f"{day} is not a working day")
        return span

    def _local_date(self, instant: datetime) -> date:
        return instant.astimezone(self.tz).date()

    def is_working_day(self, day: date) -> bool:
        return self._hours(day) is not None

    def is_working_time(self, instant: datetime) -> bool:
        instant = _utc(instant)
        span = self._span(self._local_date(instant))
        return span is not None and span[0] <= instant < span[1]

    def next_working_start(self, instant: datetime) -> datetime:
        instant = _utc(instant)
        day = self._local_date(instant)
        for offset in range(_SEARCH_DAYS):
            span = self._span(day + timedelta(days=offset))
            if span is not None and instant < span[1]:
                return max(instant, span[0])
        raise ValueError(f"no working day in the {_SEARCH_DAYS} days after {day}: check the calendar")

    def _next_working_day(self, day: date) -> date:
        for offset in range(1, _SEARCH_DAYS):
            if self.is_working_day(day + timedelta(days=offset)):
                return day + timedelta(days=offset)
        raise ValueError(f"no working day in the {_SEARCH_DAYS} days after {day}: check the calendar")

    def due(self, start: datetime, waktu: Waktu) -> datetime:
        begin = self.next_working_start(start)
        if waktu.unit in _DAY_UNITS:
            return self._add_working_days(begin, waktu.amount)
        return self._add_working_time(begin, waktu.as_timedelta())

    def _add_working_time(self, current: datetime, remaining: timedelta) -> datetime:
        """`current` is inside working time; spend `remaining` a working day at a time."""
        while True:
            _, end = self._open_span(self._local_date(current))
            if remaining <= end - current:
                return current + remaining
            remaining -= end - current
            current = self.next_working_start(end)

    def _add_working_days(self, begin: datetime, count: int) -> datetime:
        local = begin.astimezone(self.tz)
        day = local.date()
        for _ in range(count):
            day = self._next_working_day(day)
        start, end = self._open_span(day)
        same_time = datetime.combine(day, local.time(), self.tz).astimezone(UTC)
        return min(max(same_time, start), end)


class AlwaysOpenCalendar:
    """24x7: every instant is working time; due = start + nominal duration."""

    def __init__(self, tz: tzinfo = ZoneInfo("Asia/Jakarta")) -> None:
        self.tz = tz

    def due(self, start: datetime, waktu: Waktu) -> datetime:
        return _utc(start) + waktu.as_timedelta()

    def is_working_time(self, instant: datetime) -> bool:
        _utc(instant)
        return True

    def next_working_start(self, instant: datetime) -> datetime:
        return _utc(instant)

    def is_working_day(self, day: date) -> bool:
        return True


def build_calendar(mode: str, tz: tzinfo, cuti_bersama: Iterable[date] = (),
                   extra_days_off: Iterable[date] = (), extra_working_days: Iterable[date] = (),
                   *, ramadan: Iterable[tuple[date, date]] = ()) -> DeadlineCalendar:
    """'kerja' -> WorkingCalendar (Perpres 21/2023 hours, Indonesian holidays); '24x7' -> always open."""
    if mode == "24x7":
        return AlwaysOpenCalendar(tz)
    if mode == "kerja":
        return WorkingCalendar(tz, cuti_bersama=cuti_bersama, extra_days_off=extra_days_off,
                               extra_working_days=extra_working_days, ramadan=ramadan)
    raise ValueError(error_text.render("calendar.mode_unknown", {"mode": mode}))
