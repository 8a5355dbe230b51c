"""The step-10 verification window never closes before the letter's batas waktu (issue 13 item 2)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from bot.sop import load_sop
from bot.sop.definition import StepKind
from bot.working_calendar import AlwaysOpenCalendar, WorkingCalendar
from bot.workflow import Workflow

T0 = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)
DEADLINE = datetime(2027, 1, 11, 9, 0, tzinfo=timezone.utc)  # 16.00 WIB, well past 30 days' filling


def _without_key(sop):
    steps = tuple(replace(s, window_from_letter=False) if s.kind is StepKind.VERIFICATION else s
                  for s in sop.steps)
    return replace(sop, steps=steps)


def test_the_bundled_file_counts_verification_from_the_batas_waktu():
    sop = load_sop()
    assert sop.step_of_kind(StepKind.VERIFICATION).window_from_letter
    wf = Workflow(sop, AlwaysOpenCalendar())
    assert wf.window_closes(T0, DEADLINE) == DEADLINE + timedelta(days=30)
    assert wf.window_closes(T0, None) == T0 + timedelta(days=30)  # no batas waktu: from step 8


def test_working_days_are_counted_after_the_end_of_the_batas_waktu():
    wf = Workflow(load_sop(), WorkingCalendar())
    closes = wf.window_closes(T0, DEADLINE)
    assert closes > DEADLINE + timedelta(days=30)  # 30 working days, weekends skipped


def test_without_the_key_the_batas_waktu_is_still_the_floor():
    wf = Workflow(_without_key(load_sop()), AlwaysOpenCalendar())
    assert wf.window_closes(T0, DEADLINE) == DEADLINE  # 30 days from step 8 would close earlier
    near = T0 + timedelta(days=3)
    assert wf.window_closes(T0, near) == T0 + timedelta(days=30)


def test_the_key_belongs_to_the_verification_step_only():
    import pytest
    from importlib import resources

    from bot.sop import SopFileError, parse_sop

    text = resources.files("bot.data").joinpath("sop-esakip.yaml").read_text(encoding="utf-8")
    wrong = text.replace("    due_from_letter: true\n", "    due_from_letter: true\n    window_from_letter: true\n", 1)
    with pytest.raises(SopFileError, match="langkah 9, isian 'window_from_letter': hanya untuk langkah jenis verification"):
        parse_sop(wrong, "uji.yaml")
