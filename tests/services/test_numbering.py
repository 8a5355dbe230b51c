"""Letter numbers: gap-free per year, never shared under concurrent use, pattern configurable."""

from __future__ import annotations

import threading

import pytest

from bot.config import SettingsError, load_settings
from bot.services.numbering import peek_next, take_next


def test_numbers_are_gap_free_and_per_year(db):
    with db.transaction() as s:
        assert [take_next(s, "surat", 2026) for _ in range(3)] == [1, 2, 3]
        assert take_next(s, "surat", 2027) == 1
    with db.transaction(write=False) as s:
        assert peek_next(s, "surat", 2026) == 4
    with pytest.raises(RuntimeError):
        with db.transaction() as s:
            take_next(s, "surat", 2026)
            raise RuntimeError("the signing failed")
    with db.transaction() as s:
        assert take_next(s, "surat", 2026) == 4  # a rolled-back number is given again


def test_concurrent_takers_never_share_a_number(db):
    taken: list[int] = []
    barrier = threading.Barrier(4)

    def taker() -> None:
        barrier.wait()
        for _ in range(5):
            with db.transaction() as s:
                taken.append(take_next(s, "surat", 2030))

    threads = [threading.Thread(target=taker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(taken) == list(range(1, 21))


def test_number_pattern_is_validated(monkeypatch):
    monkeypatch.setenv("ESAKIP_NOMOR_SURAT", "B/{seq}/000.8/SETDA-ORG/{bulan}/{tahun}")
    assert load_settings(_env_file=None).nomor_surat.startswith("B/{seq}")
    monkeypatch.setenv("ESAKIP_NOMOR_SURAT", "000.8/{urut}/{tahun}")
    with pytest.raises(SettingsError, match="ESAKIP_NOMOR_SURAT"):
        load_settings(_env_file=None)
