"""The working calendar: parsing the seed's Waktu words and counting deadlines in working time."""

from __future__ import annotations

import ast
import pathlib
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bot.working_calendar as wc
from bot.formatting import waktu_lengkap
from bot.working_calendar import (
    AlwaysOpenCalendar,
    DeadlineCalendar,
    Waktu,
    WaktuError,
    WorkingCalendar,
    WorkingHours,
    build_calendar,
    parse_waktu,
)

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def due(calendar: DeadlineCalendar, start: datetime, text: str) -> datetime:
    return calendar.due(start, parse_waktu(text))


DEFAULT = WorkingCalendar()

# ---------------------------------------------------------------- parsing


@pytest.mark.parametrize(("text", "amount", "unit"), [
    ("30 menit", 30, "menit"),
    ("30 Menit", 30, "menit"),
    ("1 Jam", 1, "jam"),
    ("1 Hari", 1, "hari"),
    ("30 Hari", 30, "hari"),
    ("45 detik", 45, "detik"),
    ("5 hari kerja", 5, "hari_kerja"),
    ("  30   MENIT  ", 30, "menit"),
    ("2\tjam", 2, "jam"),
    ("5 Hari  Kerja", 5, "hari_kerja"),
    ("30\u00a0hari", 30, "hari"),
    ("30menit", 30, "menit"),
])
def test_parse_waktu_accepts_the_seed_words(text: str, amount: int, unit: str) -> None:
    waktu = parse_waktu(text)
    assert (waktu.amount, waktu.unit) == (amount, unit)
    assert waktu.text == " ".join(text.split())


def test_parse_waktu_keeps_the_text_as_written() -> None:
    assert parse_waktu("30 Menit") == Waktu(30, "menit", "30 Menit")


@pytest.mark.parametrize("text", [
    "", "   ", "tiga hari", "0 menit", "-1 jam", "30 minggu", "1.5 jam", "30", "menit",
    "1 hari kerja kerja", "1 harikerja", "10001 menit", "9999999999999 hari", "٣ hari",
])
def test_parse_waktu_rejects_other_text_naming_it(text: str) -> None:
    with pytest.raises(WaktuError) as error:
        parse_waktu(text)
    assert repr(text) in str(error.value)
    assert isinstance(error.value, ValueError)


@pytest.mark.parametrize(("text", "length"), [
    ("45 detik", timedelta(seconds=45)), ("30 menit", timedelta(minutes=30)),
    ("1 Jam", timedelta(hours=1)), ("30 Hari", timedelta(days=30)),
    ("5 hari kerja", timedelta(days=5)),
])
def test_as_timedelta_is_the_nominal_length(text: str, length: timedelta) -> None:
    assert parse_waktu(text).as_timedelta() == length


# ---------------------------------------------------------------- hours and days off


def test_default_hours_follow_perpres_21_2023() -> None:
    week = WorkingHours.pemda_default().days
    assert sorted(week) == [0, 1, 2, 3, 4]
    assert week[0] == week[3] == (time(7, 30), time(16, 0))
    assert week[4] == (time(7, 30), time(16, 30))
    ramadan = WorkingHours.ramadan_default().days
    assert ramadan[1] == (time(8, 0), time(15, 0))
    assert ramadan[4] == (time(8, 0), time(15, 30))


@pytest.mark.parametrize("days", [
    {}, {0: (time(16, 0), time(7, 30))}, {7: (time(7, 30), time(16, 0))},
])
def test_working_hours_reject_nonsense(days: dict) -> None:
    with pytest.raises(ValueError):
        WorkingHours(days)


def test_working_hours_are_immutable_and_hashable() -> None:
    hours = WorkingHours.pemda_default()
    assert hours == WorkingHours.pemda_default()
    assert hash(hours) == hash(WorkingHours.pemda_default())
    with pytest.raises(TypeError):
        hours.days[5] = (time(8, 0), time(12, 0))  # type: ignore[index]


def test_christmas_2026_and_its_cuti_bersama_are_days_off() -> None:
    assert "Cuti Bersama" in (DEFAULT.holiday_name(date(2026, 12, 24)) or "")
    assert DEFAULT.holiday_name(date(2026, 12, 25)) == "Hari Raya Natal"
    assert not DEFAULT.is_working_day(date(2026, 12, 24))
    assert not DEFAULT.is_working_day(date(2026, 12, 25))
    assert DEFAULT.is_working_day(date(2026, 12, 23))
    assert DEFAULT.holiday_name(date(2026, 12, 26)) is None  # a Saturday: off, but not a holiday
    assert not DEFAULT.is_working_day(date(2026, 12, 26))


def test_configured_days_off_without_the_holidays_package() -> None:
    calendar = WorkingCalendar(use_public_holidays=False, cuti_bersama=[date(2026, 12, 24)],
                               extra_days_off=[date(2026, 11, 25)])
    assert calendar.holiday_name(date(2026, 12, 24)) == "Cuti bersama"
    assert calendar.holiday_name(date(2026, 11, 25)) == "Hari libur"
    assert calendar.is_working_day(date(2026, 12, 25))
    assert due(calendar, wib(2026, 11, 24, 15, 45), "30 menit") == wib(2026, 11, 26, 7, 45)


def test_working_time_is_half_open() -> None:
    assert DEFAULT.is_working_time(wib(2026, 11, 24, 7, 30))
    assert DEFAULT.is_working_time(wib(2026, 11, 24, 15, 59))
    assert not DEFAULT.is_working_time(wib(2026, 11, 24, 16, 0))
    assert not DEFAULT.is_working_time(wib(2026, 11, 24, 7, 29))
    assert DEFAULT.is_working_time(wib(2026, 11, 27, 16, 20))  # Friday ends 16.30
    assert not DEFAULT.is_working_time(wib(2026, 11, 28, 10, 0))  # Saturday
    assert DEFAULT.next_working_start(wib(2026, 11, 24, 16, 0)) == wib(2026, 11, 25, 7, 30)
    assert DEFAULT.next_working_start(wib(2026, 11, 24, 6, 0)) == wib(2026, 11, 24, 7, 30)


def test_next_working_start_is_the_instant_itself_in_working_time_and_utc() -> None:
    instant = wib(2026, 11, 24, 10, 0)
    result = DEFAULT.next_working_start(instant)
    assert result == instant and result.tzinfo is UTC


# ---------------------------------------------------------------- deadlines in working time


@pytest.mark.parametrize(("start", "text", "expected"), [
    (wib(2026, 11, 24, 10, 0), "30 menit", wib(2026, 11, 24, 10, 30)),
    (wib(2026, 11, 24, 15, 45), "30 menit", wib(2026, 11, 25, 7, 45)),
    (wib(2026, 11, 24, 15, 30), "30 menit", wib(2026, 11, 24, 16, 0)),  # lands on the end: stays
    (wib(2026, 11, 24, 6, 0), "30 menit", wib(2026, 11, 24, 8, 0)),
    (wib(2026, 11, 24, 16, 0), "45 detik", wib(2026, 11, 25, 7, 30) + timedelta(seconds=45)),
    (wib(2026, 11, 27, 16, 20), "30 menit", wib(2026, 11, 30, 7, 50)),  # Friday -> Monday
    (wib(2026, 11, 28, 9, 0), "1 Jam", wib(2026, 11, 30, 8, 30)),  # Saturday -> Monday 07.30 + 1 jam
    (wib(2026, 11, 29, 23, 0), "30 menit", wib(2026, 11, 30, 8, 0)),  # Sunday night
    (wib(2026, 12, 23, 15, 50), "1 Jam", wib(2026, 12, 28, 8, 20)),  # skips 24 and 25 Dec
    (wib(2026, 11, 24, 10, 0), "10 jam", wib(2026, 11, 25, 11, 30)),
])
def test_working_time_deadlines(start: datetime, text: str, expected: datetime) -> None:
    assert due(DEFAULT, start, text) == expected


@pytest.mark.parametrize(("start", "text", "expected"), [
    (wib(2026, 11, 24, 10, 0), "1 Hari", wib(2026, 11, 25, 10, 0)),
    (wib(2026, 11, 24, 10, 0), "1 hari kerja", wib(2026, 11, 25, 10, 0)),
    (wib(2026, 11, 26, 10, 0), "1 Hari", wib(2026, 11, 27, 10, 0)),  # Thursday -> Friday
    (wib(2026, 11, 27, 10, 0), "1 Hari", wib(2026, 11, 30, 10, 0)),  # Friday -> Monday
    (wib(2026, 11, 27, 16, 20), "1 Hari", wib(2026, 11, 30, 16, 0)),  # clamped to Monday's end
    (wib(2026, 11, 28, 12, 0), "1 Hari", wib(2026, 12, 1, 7, 30)),  # Saturday: from Monday 07.30
    (wib(2026, 11, 24, 16, 0), "1 Hari", wib(2026, 11, 26, 7, 30)),  # the end is not working time
    (wib(2026, 12, 23, 10, 0), "1 Hari", wib(2026, 12, 28, 10, 0)),  # skips 24 and 25 Dec
    (wib(2026, 11, 2, 9, 0), "30 Hari", wib(2026, 12, 14, 9, 0)),
    (wib(2026, 11, 24, 10, 0), "30 Hari", wib(2027, 1, 11, 10, 0)),  # Natal, 1 Jan, Isra Mikraj 2027
    (wib(2026, 11, 24, 10, 0), "30 hari kerja", wib(2027, 1, 11, 10, 0)),
])
def test_working_day_deadlines(start: datetime, text: str, expected: datetime) -> None:
    assert due(DEFAULT, start, text) == expected


def test_results_are_in_utc() -> None:
    result = due(DEFAULT, wib(2026, 11, 24, 10, 0), "30 menit")
    assert result.tzinfo is UTC
    assert result == datetime(2026, 11, 24, 3, 30, tzinfo=UTC)


def test_other_time_zones_are_read_as_the_same_instant() -> None:
    start = datetime(2026, 11, 24, 11, 0, tzinfo=WITA)  # 10.00 WIB
    assert due(DEFAULT, start, "30 menit") == wib(2026, 11, 24, 10, 30)


def test_an_extra_working_saturday_is_used_with_monday_hours() -> None:
    calendar = WorkingCalendar(extra_working_days=[date(2026, 11, 28)])
    assert calendar.is_working_day(date(2026, 11, 28))
    assert due(calendar, wib(2026, 11, 27, 16, 20), "30 menit") == wib(2026, 11, 28, 7, 50)
    assert due(calendar, wib(2026, 11, 28, 15, 50), "30 menit") == wib(2026, 11, 30, 7, 50)
    assert due(calendar, wib(2026, 11, 27, 10, 0), "1 Hari") == wib(2026, 11, 28, 10, 0)


def test_an_extra_working_day_overrides_a_holiday() -> None:
    calendar = WorkingCalendar(extra_working_days=[date(2026, 12, 24)])
    assert calendar.holiday_name(date(2026, 12, 24)) is None
    assert due(calendar, wib(2026, 12, 23, 15, 50), "1 Jam") == wib(2026, 12, 24, 8, 20)


RAMADAN_2026 = (date(2026, 2, 18), date(2026, 3, 19))


def test_ramadan_hours_inside_the_configured_range() -> None:
    calendar = WorkingCalendar(ramadan=[RAMADAN_2026])
    assert not calendar.is_working_time(wib(2026, 2, 24, 7, 45))
    assert calendar.is_working_time(wib(2026, 2, 24, 8, 0))
    assert not calendar.is_working_time(wib(2026, 2, 24, 15, 0))
    assert due(calendar, wib(2026, 2, 24, 14, 45), "30 menit") == wib(2026, 2, 25, 8, 15)
    assert due(calendar, wib(2026, 2, 27, 15, 20), "30 menit") == wib(2026, 3, 2, 8, 20)
    # outside the range the ordinary hours apply
    assert due(calendar, wib(2026, 11, 24, 15, 45), "30 menit") == wib(2026, 11, 25, 7, 45)


def test_working_days_clamp_into_a_shorter_ramadan_day() -> None:
    calendar = WorkingCalendar(ramadan=[RAMADAN_2026])
    # Fri 13 Feb 2026; 16 Feb cuti bersama Imlek, 17 Feb Imlek; Wed 18 Feb is Ramadan (08.00-15.00)
    assert due(calendar, wib(2026, 2, 13, 15, 45), "1 Hari") == wib(2026, 2, 18, 15, 0)
    assert due(calendar, wib(2026, 2, 13, 7, 40), "1 Hari") == wib(2026, 2, 18, 8, 0)


def test_a_bad_ramadan_range_is_refused() -> None:
    with pytest.raises(ValueError):
        WorkingCalendar(ramadan=[(date(2026, 3, 19), date(2026, 2, 18))])


def test_a_calendar_without_working_days_fails_instead_of_looping() -> None:
    everything_off = [date(2026, 11, 24) + timedelta(days=n) for n in range(500)]
    calendar = WorkingCalendar(extra_days_off=everything_off)
    with pytest.raises(ValueError):
        due(calendar, wib(2026, 11, 24, 10, 0), "30 menit")


@pytest.mark.parametrize("calendar", [DEFAULT, AlwaysOpenCalendar()], ids=["kerja", "24x7"])
def test_naive_datetimes_are_refused(calendar: DeadlineCalendar) -> None:
    naive = datetime(2026, 11, 24, 10, 0)
    for call in (lambda: calendar.due(naive, parse_waktu("30 menit")),
                 lambda: calendar.is_working_time(naive),
                 lambda: calendar.next_working_start(naive)):
        with pytest.raises(ValueError):
            call()


def test_thirty_days_is_counted_day_by_day_not_minute_by_minute() -> None:
    calendar = WorkingCalendar()
    calls = 0
    original = calendar._span

    def counting(day: date):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return original(day)

    calendar._span = counting  # type: ignore[method-assign]
    calendar.due(wib(2026, 11, 24, 10, 0), parse_waktu("30 Hari"))
    calendar.due(wib(2026, 11, 24, 10, 0), parse_waktu("240 jam"))
    assert calls < 120


# ---------------------------------------------------------------- 24x7 and the factory


def test_always_open_adds_the_nominal_duration() -> None:
    calendar = AlwaysOpenCalendar()
    saturday_night = wib(2026, 11, 28, 22, 0)
    assert due(calendar, saturday_night, "1 Hari") == wib(2026, 11, 29, 22, 0)
    assert due(calendar, saturday_night, "1 hari kerja") == wib(2026, 11, 29, 22, 0)
    assert due(calendar, saturday_night, "30 menit") == wib(2026, 11, 28, 22, 30)
    assert due(calendar, saturday_night, "30 menit").tzinfo is UTC
    assert calendar.is_working_time(saturday_night)
    assert calendar.is_working_day(date(2026, 12, 25))
    assert calendar.next_working_start(saturday_night) == saturday_night


def test_build_calendar() -> None:
    kerja = build_calendar("kerja", WIB, cuti_bersama=[date(2026, 11, 25)],
                           extra_days_off=[date(2026, 11, 26)], extra_working_days=[date(2026, 11, 28)])
    assert isinstance(kerja, WorkingCalendar)
    assert not kerja.is_working_day(date(2026, 11, 25))
    assert not kerja.is_working_day(date(2026, 11, 26))
    assert kerja.is_working_day(date(2026, 11, 28))
    assert isinstance(build_calendar("24x7", WIB), AlwaysOpenCalendar)
    with pytest.raises(ValueError, match="bebas"):
        build_calendar("bebas", WIB)


def test_both_calendars_satisfy_the_protocol() -> None:
    assert isinstance(DEFAULT, DeadlineCalendar)
    assert isinstance(AlwaysOpenCalendar(), DeadlineCalendar)


def test_a_due_instant_reads_well_in_indonesian() -> None:
    result = due(DEFAULT, wib(2026, 11, 24, 10, 0), "30 menit")
    assert waktu_lengkap(result, WIB) == "Selasa, 24 November 2026 pukul 10.30 WIB"


def test_the_module_is_pure() -> None:
    forbidden = {"telegram", "sqlalchemy", "apscheduler", "jinja2"}
    tree = ast.parse(pathlib.Path(wc.__file__).read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & forbidden


# ---------------------------------------------------------------- properties

PROPERTY = settings(max_examples=200, deadline=None, derandomize=True, database=None)

CONFIGURED = WorkingCalendar(
    ramadan=[(date(2025, 3, 1), date(2025, 3, 30)), RAMADAN_2026, (date(2027, 2, 8), date(2027, 3, 9))],
    extra_working_days=[date(2026, 11, 28), date(2026, 12, 24), date(2027, 1, 2)],
    extra_days_off=[date(2026, 11, 25), date(2027, 6, 7)],
)
CALENDARS = [DEFAULT, CONFIGURED]
EXTRA_WORKING = CONFIGURED.extra_working_days

starts = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31),
                      timezones=st.sampled_from([WIB, UTC, WITA]))
MAX_BY_UNIT = {"detik": 200_000, "menit": 5_000, "jam": 200, "hari": 60, "hari_kerja": 60}
units = st.sampled_from(sorted(MAX_BY_UNIT))
calendars = st.sampled_from(CALENDARS)


@st.composite
def waktus(draw: st.DrawFn) -> Waktu:
    unit = draw(units)
    amount = draw(st.integers(1, MAX_BY_UNIT[unit]))
    return Waktu(amount, unit, f"{amount} {unit.replace('_', ' ')}")  # type: ignore[arg-type]


def ends_a_working_day(calendar: WorkingCalendar, instant: datetime) -> bool:
    return (not calendar.is_working_time(instant)
            and calendar.is_working_time(instant - timedelta(microseconds=1)))


@PROPERTY
@given(calendar=calendars, start=starts, waktu=waktus())
def test_due_is_never_before_the_start(calendar: WorkingCalendar, start: datetime, waktu: Waktu) -> None:
    result = calendar.due(start, waktu)
    assert result > start
    assert result.tzinfo is UTC


@PROPERTY
@given(calendar=calendars, start=starts, unit=units, data=st.data())
def test_due_is_monotonic_in_the_duration(calendar: WorkingCalendar, start: datetime, unit: str,
                                          data: st.DataObject) -> None:
    a = data.draw(st.integers(1, MAX_BY_UNIT[unit]))
    b = data.draw(st.integers(a, MAX_BY_UNIT[unit]))
    earlier = calendar.due(start, Waktu(a, unit, ""))  # type: ignore[arg-type]
    later = calendar.due(start, Waktu(b, unit, ""))  # type: ignore[arg-type]
    assert earlier <= later


@PROPERTY
@given(calendar=calendars, start=starts, waktu=waktus())
def test_due_is_in_working_time_on_a_working_day(calendar: WorkingCalendar, start: datetime,
                                                 waktu: Waktu) -> None:
    result = calendar.due(start, waktu)
    assert calendar.is_working_time(result) or ends_a_working_day(calendar, result)
    day = result.astimezone(WIB).date()
    assert calendar.is_working_day(day)
    assert calendar.holiday_name(day) is None
    assert day.weekday() < 5 or day in calendar.extra_working_days


@PROPERTY
@given(calendar=calendars, start=starts, a=st.integers(1, 3_000), b=st.integers(1, 3_000))
def test_working_time_adds_up(calendar: WorkingCalendar, start: datetime, a: int, b: int) -> None:
    first = calendar.due(start, Waktu(a, "menit", ""))
    assert calendar.due(first, Waktu(b, "menit", "")) == calendar.due(start, Waktu(a + b, "menit", ""))


@PROPERTY
@given(calendar=calendars, instant=starts)
def test_next_working_start_is_the_first_working_instant(calendar: WorkingCalendar,
                                                         instant: datetime) -> None:
    result = calendar.next_working_start(instant)
    assert result >= instant
    assert calendar.is_working_time(result)
    assert (result == instant) == calendar.is_working_time(instant)
    if result > instant:
        assert not calendar.is_working_time(result - timedelta(microseconds=1))


@PROPERTY
@given(start=starts, waktu=waktus())
def test_always_open_due_is_start_plus_duration(start: datetime, waktu: Waktu) -> None:
    assert AlwaysOpenCalendar().due(start, waktu) == start + waktu.as_timedelta()


@PROPERTY
@given(amount=st.integers(1, wc.MAX_AMOUNT),
       word=st.sampled_from(["detik", "menit", "jam", "hari", "hari kerja"]),
       spaces=st.sampled_from([" ", "  ", "\t", " \u00a0"]), upper=st.booleans())
def test_parse_waktu_reads_any_amount_and_spelling(amount: int, word: str, spaces: str,
                                                   upper: bool) -> None:
    spelled = word.upper() if upper else word.title()
    waktu = parse_waktu(f"{spaces}{amount}{spaces}{spelled.replace(' ', spaces)}{spaces}")
    assert (waktu.amount, waktu.unit) == (amount, word.replace(" ", "_"))
