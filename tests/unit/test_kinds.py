"""The registry of step kinds: complete, worded, and read by the engine for any SOP file."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.presentation import labels
from bot.roles import Peran
from bot.sop import SopFileError, parse_sop
from bot.sop.definition import StepKind
from bot.working_calendar import AlwaysOpenCalendar
from bot.workflow import ActionKind as A, Actor, CycleClosed, CycleStatus, FileRequired, Workflow
from bot.workflow.kinds import BUTTONS, KINDS, outcomes

T0 = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)
SEKDA, KABAG, TIM = Actor(1, Peran.SEKDA), Actor(3, Peran.KABAG), Actor(4, Peran.TIM_SAKIP)

HEAD = """
name: kecil
version: 1
identity:
  nomor: SOP/1/2026
  nama: SOP Kecil
  unit: Bagian Organisasi
  disahkan_oleh: {jabatan: Sekretaris Daerah, nama: X, pangkat: Y, nip: "1"}
  dasar_hukum: [PermenPANRB 35/2012]
roles: {sekda: Sekretaris Daerah, kabag: Kepala Bagian Organisasi, tim_sakip: Tim SAKIP}
steps:
"""


def step(no: int, kind: str, pelaksana: str, **more: object) -> str:
    extra = "".join(f"\n    {k}: {v}" for k, v in more.items())
    return (f"  - no: {no}\n    nama: Langkah {kind}\n    kegiatan: Kegiatan {no}\n    pelaksana: {pelaksana}\n"
            f"    waktu: 30 menit\n    output: Hasil {no}\n    kind: {kind}{extra}\n")


def test_every_kind_has_buttons_for_its_actions_and_wording_for_all():
    assert set(KINDS) == set(StepKind)
    for spec in KINDS.values():
        for kind in (spec, spec.receipt) if spec.receipt else (spec,):
            pressed = {b.action for row in kind.buttons for b in row if b.action is not None}
            assert pressed == set(kind.action_kinds), kind.kind
    assert {b.label for b in BUTTONS.values()} <= labels.keys("buttons")
    assert set(outcomes()) <= labels.keys("outcomes")
    assert all(len(f"t:{code}:{10**17}".encode()) <= 64 for code in BUTTONS)


def test_archive_honours_next_and_the_last_step_closes_the_cycle():
    sop = parse_sop(HEAD + step(1, "disposition", "sekda", next=2) + step(2, "archive", "tim_sakip", next=3)
                    + step(3, "recap", "kabag", next=4) + step(4, "archive", "tim_sakip"))
    wf = Workflow(sop, AlwaysOpenCalendar())
    s = wf.start(2026, ["A"], SEKDA, T0).state
    s = wf.act(s, 1, A.FORWARD, SEKDA, T0).state
    t = wf.act(s, 2, A.ARCHIVE, TIM, T0 + timedelta(minutes=1))
    assert t.state.status is CycleStatus.OPEN and t.state.open_tasks()[0].step == 3
    s = wf.act(t.state, 3, A.CONFIRM_RECAP, KABAG, T0 + timedelta(minutes=2)).state
    t = wf.act(s, 4, A.ARCHIVE, TIM, T0 + timedelta(minutes=3))
    assert t.state.status is CycleStatus.CLOSED and isinstance(t.effects[-1], CycleClosed)


def test_an_sop_without_distribution_or_verification_runs():
    sop = parse_sop(HEAD + step(1, "registration", "tim_sakip", next=2) + step(2, "disposition", "sekda", next=3)
                    + step(3, "follow_up", "tim_sakip", next=4)
                    + step(4, "decision", "kabag", branches="{ya: 5, tidak: 3}") + step(5, "archive", "tim_sakip"))
    wf = Workflow(sop, AlwaysOpenCalendar())
    s = wf.start(2026, [], SEKDA, T0).state
    assert not wf.recap_opened(s)
    with pytest.raises(FileRequired):
        wf.act(s, 1, A.REGISTER, TIM, T0)
    s = wf.act(s, 1, A.REGISTER, TIM, T0, payload={"attachment": {"path": "x"}}).state
    s = wf.act(s, 2, A.FORWARD, SEKDA, T0, note="Tindak lanjuti").state
    assert s.task(3).instruction == "Tindak lanjuti"
    s = wf.act(s, 3, A.REPORT, TIM, T0, note="Sudah dijawab").state
    s = wf.act(s, 4, A.RETURN, KABAG, T0, note="Lengkapi").state
    assert s.task(5).step == 3 and s.task(5).instruction == "Lengkapi"
    s = wf.act(s, 5, A.REPORT, TIM, T0, note="Dilengkapi").state
    s = wf.act(s, 6, A.APPROVE, KABAG, T0).state
    assert s.window_closes_at is None
    assert wf.act(s, 7, A.ARCHIVE, TIM, T0).state.status is CycleStatus.CLOSED


def test_a_broken_file_reports_every_error_on_its_own_line_with_its_line_number():
    """A missing key (step 3's next) is placed at the line its step starts on."""
    text = HEAD + step(1, "disposition", "asisten", next=9) + step(2, "decision", "kabag", branches="{ya: 1}") \
        + step(3, "follow_up", "kabag", fan_out="per_opd")
    with pytest.raises(SopFileError) as caught:
        parse_sop(text, "salah.yaml")
    errors = caught.value.errors
    assert errors == [
        "Berkas SOP salah.yaml, baris 15: langkah 1, isian 'pelaksana': peran 'asisten' tidak ada di 'roles'",
        "Berkas SOP salah.yaml, baris 19: langkah 1, isian 'next': langkah 9 tidak ada",
        "Berkas SOP salah.yaml, baris 27: langkah 2, isian 'branches': untuk jenis decision cabang harus: ya, tidak",
        "Berkas SOP salah.yaml, baris 35: langkah 3, isian 'fan_out': jenis follow_up tidak dapat per Perangkat Daerah",
        "Berkas SOP salah.yaml, baris 28: langkah 3, isian 'next': langkah ini harus menunjuk langkah berikutnya",
    ]
