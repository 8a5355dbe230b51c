"""Reports as plain text for the terminal: the chat messages without their HTML (instants in the
report's zone, `tz`)."""

from __future__ import annotations

from bot import messages
from bot.reports import wording
from bot.reports.audit import AuditTrail
from bot.reports.model import Monitoring, Recap

#: How many names the recap's "perlu perhatian" line lists before "dan N lainnya".
ATTENTION_LIMIT = 5


def recap_html(recap: Recap, with_lines: bool = True) -> str:
    """The /rekap message (Telegram HTML)."""
    return messages.render("rekap", tz=recap.tz, r=recap, with_lines=with_lines, limit=ATTENTION_LIMIT)


def recap_text(recap: Recap) -> str:
    return wording.plain(recap_html(recap), keep_blank=True)


def monitoring_text(mon: Monitoring) -> str:
    return wording.plain(messages.render("monitoring", tz=mon.tz, mon=mon), keep_blank=True)


def trail_text(trail: AuditTrail) -> str:
    return wording.plain(messages.render("riwayat", tz=trail.tz, t=trail, shown=len(trail.events)), keep_blank=True)
