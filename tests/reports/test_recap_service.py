"""The recap service on the 40-OPD scenario: totals, attention order, filters, one OPD's history."""

from __future__ import annotations

import pytest

from bot import messages
from bot.reports import text
from bot.workflow import OpdStatus

from .conftest import settings_for
from .scenario import (AWAITING, EXPECTED, EXPECTED_BELUM, EXPECTED_TERLAMBAT, HALF_WAY, NEVER_RECEIVED,
                       ONLY_RECEIVED, RECEIVED_LATE, RETURNED, RETURNED_THEN_VERIFIED, SUBMITTED_LATE,
                       drive_to_half_way, opd_rows)

KODE = [row.kode for row in opd_rows()]


def kodes(indexes) -> set[str]:  # type: ignore[no-untyped-def]
    return {KODE[i] for i in indexes}


def totals(recap) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {c.label: c.count for c in recap.counts}


def test_totals_of_a_half_finished_cycle(half):
    svc, cycle_id = half
    recap = svc.recap.build(cycle_id)
    assert totals(recap) == EXPECTED and recap.total == 40 == len(recap.lines)
    assert recap.status == "open" and recap.current_steps == (8, 9, 10)
    assert recap.letter_deadline is not None and recap.next_due is not None and recap.next_due > HALF_WAY
    assert len(recap.submissions) == 25  # first reports only: 15 + 8 + 2, resubmissions not counted
    assert len(recap.verifications) == 17


def test_attention_first_latest_first_verified_last(half):
    svc, cycle_id = half
    lines = svc.recap.build(cycle_id).lines
    assert {line.kode for line in lines[:5]} == kodes(NEVER_RECEIVED)  # late since 25 November
    assert all(line.late_by for line in lines[:18]) and not any(line.late_by for line in lines[18:])
    lateness = [line.late_by for line in lines[:18]]
    assert lateness == sorted(lateness, reverse=True)
    assert all(line.status is OpdStatus.TERVERIFIKASI for line in lines[-17:])
    assert [line.urutan for line in lines[-15:]] == sorted(line.urutan for line in lines[-15:])


def test_each_line_says_when_and_how_late(half):
    svc, cycle_id = half
    by_kode = {line.kode: line for line in svc.recap.build(cycle_id).lines}
    assert {k for k, line in by_kode.items() if line.received_late_by} == kodes(RECEIVED_LATE)
    assert {k for k, line in by_kode.items() if line.submitted_late_by} == kodes(SUBMITTED_LATE)
    assert {k for k, line in by_kode.items() if line.returns} == kodes(RETURNED) | kodes(RETURNED_THEN_VERIFIED)
    waiting = by_kode[KODE[AWAITING[-1]]]
    assert waiting.verdict == "menunggu" and waiting.remaining and not waiting.opd_turn
    returned = by_kode[KODE[RETURNED[0]]]
    assert returned.verdict == "tidak_sesuai" and returned.last_note.startswith("Target IKU")
    assert returned.step == 9 and returned.opd_turn and returned.days_left < -3
    filling = by_kode[KODE[ONLY_RECEIVED[-1]]]
    assert filling.received_by.startswith("Operator") and filling.submitted_at is None
    verified = by_kode[KODE[RETURNED_THEN_VERIFIED[0]]]
    assert verified.verdict == "sesuai" and verified.verified_by == "Rina Wulandari" and verified.due_at is None


def test_filters(half):
    svc, cycle_id = half
    belum = svc.recap.build(cycle_id, "belum")
    assert {line.kode for line in belum.lines} == kodes(NEVER_RECEIVED) | kodes(ONLY_RECEIVED) | kodes(RETURNED)
    assert len(belum.lines) == EXPECTED_BELUM and belum.total == 40 and totals(belum) == EXPECTED
    late = svc.recap.build(cycle_id, "terlambat")
    assert len(late.lines) == EXPECTED_TERLAMBAT
    assert {line.kode for line in late.lines} == (kodes(NEVER_RECEIVED) | kodes(ONLY_RECEIVED) | kodes(RETURNED)
                                                   | kodes(SUBMITTED_LATE))
    with pytest.raises(ValueError):
        svc.recap.build(cycle_id, "semua")


def test_a_closed_cycle(closed):
    svc, cycle_id = closed
    recap = svc.recap.build(cycle_id)
    assert recap.status == "closed" and recap.closed_at and recap.current_steps == ()
    assert totals(recap)["Terverifikasi"] == 17 and totals(recap)["Tidak selesai"] == 23
    assert not any(line.late_by or line.due_at for line in recap.lines)
    assert len(svc.recap.build(cycle_id, "belum").lines) == EXPECTED_BELUM
    late = {line.kode for line in svc.recap.build(cycle_id, "terlambat").lines}
    assert late == kodes(RECEIVED_LATE) | kodes(SUBMITTED_LATE)
    assert svc.recap.current_cycle_id() == cycle_id


def test_one_opd_history(half):
    svc, cycle_id = half
    returned = opd_rows()[RETURNED[0]]
    history = svc.recap.opd_history(cycle_id, returned.singkatan.lower())
    assert history is not None and history.line.kode == returned.kode
    # received, reported, returned, then escalated when the filling deadline passed
    assert [e.action for e in history.trail.events] == ["task_confirm_receipt", "task_submit", "task_tidak_sesuai",
                                                  "escalation"]
    assert history.trail.events[2].note.startswith("Target IKU") and history.trail.events[2].actor == "Agus Prasetyo"
    assert history.trail.events[3].step == 9 and history.trail.events[3].actor == "sistem"
    page = messages.render("rekap_opd", tz=svc.settings.tz, h=history)
    assert returned.nama in page and "tidak sesuai" in page and "Catatan" in page
    never = svc.recap.opd_history(cycle_id, KODE[NEVER_RECEIVED[0]].lower())
    assert {e.action for e in never.trail.events} == {"escalation"}
    assert svc.recap.opd_history(cycle_id, "TIDAK-ADA") is None


def test_the_chat_text_is_split_on_lines_and_never_cut(half):
    svc, cycle_id = half
    html = text.recap_html(svc.recap.build(cycle_id))
    parts = messages.split(html)
    assert len(parts) >= 2 and all(len(p) <= messages.MAX_TEXT for p in parts)
    assert "\n".join(parts) == html
    assert html.count("\n1. ") == 1 and "\n40. " in html
    plain = text.recap_text(svc.recap.build(cycle_id, "belum"))
    assert "Belum melapor: 18 dari 40 Perangkat Daerah" in plain and "<b>" not in plain


def test_who_may_see_which_report(half):
    from bot.services.errors import NotRegistered

    from .scenario import OFFICIALS, operator

    svc, _ = half
    assert svc.recap.may_view(OFFICIALS["asisten"][0], "rekap")
    assert not svc.recap.may_view(OFFICIALS["asisten"][0], "monitoring")
    assert svc.recap.may_view(OFFICIALS["kabag"][0], "monitoring")
    assert not svc.recap.may_view(OFFICIALS["kabag"][0], "riwayat")
    assert svc.recap.may_view(OFFICIALS["admin"][0], "riwayat")
    assert not svc.recap.may_view(operator(0), "rekap")
    with pytest.raises(NotRegistered):
        svc.recap.may_view(424242, "rekap")


def test_the_same_figures_on_every_engine(db, clock, tmp_path):
    """The scenario driven on SQLite and on PostgreSQL (when one is running)."""
    from bot.services.container import build_services

    svc = build_services(settings_for(db.url, tmp_path / "data"), clock=clock, db=db)
    cycle_id = drive_to_half_way(svc, clock)
    recap = svc.recap.build(cycle_id)
    assert totals(recap) == EXPECTED
    assert len(svc.recap.build(cycle_id, "belum").lines) == EXPECTED_BELUM
    assert len(svc.recap.build(cycle_id, "terlambat").lines) == EXPECTED_TERLAMBAT
    mon = svc.recap.monitoring(cycle_id)
    assert [s.penilaian for s in mon.steps][5] == "tidak_baik"
    assert len(svc.recap.audit_trail(cycle_id).events) > 100
