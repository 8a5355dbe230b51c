"""The incoming letter's use-case: who may register it, until when, and what is stored."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.services.errors import Conflict, InvalidInput
from bot.services.incoming import parse_tanggal_surat
from bot.storage import models as m
from bot.workflow import ActionKind as A

from .conftest import PEOPLE

NOMOR, PENGIRIM = "000.8/412/Org/XI/2026", "Kepala Biro Organisasi Setda Provinsi Kalimantan Tengah"


def tg(who: str) -> int:
    return PEOPLE[who][0]


def rows(svc) -> list[m.SuratMasuk]:  # type: ignore[no-untyped-def]
    with svc.db.transaction(write=False) as s:
        return list(s.scalars(select(m.SuratMasuk)))


def test_the_sekda_or_an_admin_registers_it_and_may_correct_it_before_step_1(svc):
    view = svc.cycles.start(tg("sekda"))
    for who in ("asisten", "kabag", "tim1", "disdik"):
        with pytest.raises(Conflict, match="oleh Sekretaris Daerah atau Administrator"):
            svc.incoming.record(tg(who), view.cycle_id, NOMOR, date(2026, 11, 20), PENGIRIM, None)
    svc.incoming.record(tg("sekda"), view.cycle_id, NOMOR, date(2026, 11, 20), PENGIRIM, None)
    letter = svc.incoming.record(tg("admin"), view.cycle_id, " 000.8/413/Org/XI/2026 ", date(2026, 11, 21),
                                 PENGIRIM, None)
    assert letter.nomor == "000.8/413/Org/XI/2026" and letter.scan_name is None
    [row] = rows(svc)  # one per cycle: the correction replaced it
    assert (row.nomor, row.tanggal) == ("000.8/413/Org/XI/2026", date(2026, 11, 21))
    svc.cycles.act(tg("sekda"), view.id, A.FORWARD)
    with pytest.raises(Conflict, match="sebelum Langkah 1 didisposisikan"):
        svc.incoming.check(tg("sekda"), view.cycle_id)
    with pytest.raises(Conflict, match="sebelum Langkah 1 didisposisikan"):
        svc.incoming.record(tg("sekda"), view.cycle_id, NOMOR, date(2026, 11, 20), PENGIRIM, None)
    with svc.db.transaction(write=False) as s:
        actions = s.scalars(select(m.AuditLog.action).where(m.AuditLog.action == "incoming_letter")).all()
    assert len(actions) == 2


@pytest.mark.parametrize(("text", "problem"), [
    ("31-02-2026", "tidak dikenali"), ("kemarin", "tidak dikenali"), ("25-11-2026", "belum tiba"),
    ("20-11-1026", "terlalu lama"),
])
def test_a_bad_date_is_refused_with_a_reason(text, problem):
    with pytest.raises(InvalidInput, match=problem):
        parse_tanggal_surat(text, date(2026, 11, 24))


def test_the_date_as_people_type_it():
    for text in ("20-11-2026", "20/11/2026", "20 November 2026", "2026-11-20"):
        assert parse_tanggal_surat(text, date(2026, 11, 24)) == date(2026, 11, 20)
