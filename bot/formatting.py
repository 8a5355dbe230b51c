"""Indonesian dates, times and durations for people to read (pure; no Babel needed)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from bot import error_text

#: The regency's zone and the default of ESAKIP_TIMEZONE; code takes the deployment's zone from
#: the settings (passed in), never this constant.
WIB = ZoneInfo("Asia/Jakarta")

HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
BULAN_ROMAWI = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

_ZONE_ABBR = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA",
              "Asia/Jayapura": "WIT"}


def zone_abbr(tz: tzinfo) -> str:
    """'WIB', 'WITA', 'WIT' for Indonesia's zones; the zone's name otherwise."""
    return _ZONE_ABBR.get(str(tz), str(tz))


class NoZone(ValueError):
    """An instant was to be shown to people without saying in which zone."""


def zone(tz: tzinfo | None, value: datetime) -> tzinfo:
    """The zone to show `value` in: the deployment's, passed in (NoZone when none was)."""
    if tz is None:
        raise NoZone(f"no time zone given to show {value.isoformat()}")
    return tz


def local(value: datetime, tz: tzinfo | None) -> datetime:
    """`value` in the deployment's zone `tz`."""
    return value.astimezone(zone(tz, value))


def tanggal(value: date | datetime, tz: tzinfo | None = None) -> str:
    """'24 November 2026' (no leading zero, month in full); an instant needs the zone `tz`."""
    if isinstance(value, datetime):
        value = local(value, tz).date()
    return f"{value.day} {BULAN[value.month - 1]} {value.year}"


def hari_tanggal(value: date | datetime, tz: tzinfo | None = None) -> str:
    """'Selasa, 24 November 2026'."""
    if isinstance(value, datetime):
        value = local(value, tz).date()
    return f"{HARI[value.weekday()]}, {tanggal(value)}"


def jam(value: datetime, tz: tzinfo | None) -> str:
    """'pukul 10.30 WIB' (WITA, WIT: the zone's abbreviation)."""
    where = zone(tz, value)
    return f"pukul {value.astimezone(where):%H.%M} {zone_abbr(where)}"


def waktu_lengkap(value: datetime, tz: tzinfo | None) -> str:
    """'Selasa, 24 November 2026 pukul 10.30 WIB'."""
    return f"{hari_tanggal(value, tz)} {jam(value, tz)}"


def tanggal_jam(value: datetime, tz: tzinfo | None) -> str:
    """'24 November 2026 pukul 10.30 WIB'."""
    return f"{tanggal(value, tz)} {jam(value, tz)}"


def durasi(delta: timedelta) -> str:
    """A duration in words: '45 menit', '2 jam 5 menit', '3 hari 4 jam'. Negative is treated as its size."""
    seconds = abs(int(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} hari")
    if hours:
        parts.append(f"{hours} jam")
    if minutes and not days:
        parts.append(f"{minutes} menit")
    if not parts:
        parts.append(f"{secs} detik" if secs else "0 menit")
    return " ".join(parts)


def angka(value: float) -> str:
    """A number as Indonesian writes it, with a decimal comma: '2,5', '20'."""
    return f"{value:g}".replace(".", ",")


def ukuran(size: int) -> str:
    """A file's size as people read it: '0,2 KB', '350 KB', '1,4 MB' (decimal comma)."""
    value, unit = (size / 1024 ** 2, "MB") if size >= 1024 ** 2 else (size / 1024, "KB")
    shown = max(value, 0.1) if size else 0.0
    return f"{shown:.{1 if 0 < shown < 10 else 0}f} {unit}".replace(".", ",")


def nip(value: str | None) -> str:
    """NIP written with spaces: '19771027 200312 1 005'. Anything not 18 digits is returned as is."""
    if not value:
        return ""
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) != 18:
        return value
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def parse_tanggal(text: str) -> date:
    """Read a date as people type it: '31-12-2026', '31/12/2026', '2026-12-31', '31 Desember 2026'."""
    import re

    value = " ".join(text.strip().split())
    match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", value)
    if match:
        return date(int(match[3]), int(match[2]), int(match[1]))
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if match:
        return date(int(match[1]), int(match[2]), int(match[3]))
    match = re.fullmatch(r"(\d{1,2}) ([A-Za-z]+) (\d{4})", value)
    if match:
        months = {name.lower(): i for i, name in enumerate(BULAN, start=1)}
        month = months.get(match[2].lower())
        if month:
            return date(int(match[3]), month, int(match[1]))
    raise ValueError(error_text.render("letters.tanggal_unreadable", {"text": text}))
