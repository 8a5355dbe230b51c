"""Five kill -9 of a real `esakip-bot run` while the outbox delivers (the soak runs 100)."""

from __future__ import annotations

from tests.reliability.kill_storm import allowed_kills_with_duplicates, storm


async def test_kill_nine_loses_nothing_and_sends_at_most_one_twice_per_kill(tmp_path):
    report = await storm(tmp_path, kills=5, command="run")
    assert report.lost == 0, report
    assert report.statuses == {"sent": report.messages}, report
    assert all(n <= 1 for n in report.per_kill), report
    assert report.kills_with_duplicates <= allowed_kills_with_duplicates(report.kills), report
    assert report.tracebacks == 0 and report.violations == 0, report
