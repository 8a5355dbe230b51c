"""How late something is, in the words officials use: working days past a deadline."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.working_calendar import DeadlineCalendar


def working_days_late(calendar: DeadlineCalendar, due: datetime, now: datetime) -> int:
    """The working days after the deadline's own day, up to and including today (0: late by
    hours, the same day). A batas waktu ending Wednesday 16.00 is 1 hari kerja late on Thursday."""
    day, today = due.astimezone(calendar.tz).date() + timedelta(days=1), now.astimezone(calendar.tz).date()
    count = 0
    while day <= today:
        count += calendar.is_working_day(day)
        day += timedelta(days=1)
    return count
