"""Perangkat Daerah, users and invites, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.services.directory import CsvImportError, bundled_opd, hash_token, parse_opd_csv
from bot.services.errors import Conflict, InvalidInput, NotFound
from bot.storage import models as m


def test_bundled_lamandau_list_loads_once(db, clock, tmp_path):
    from bot.services.directory import Directory

    directory = Directory(db, clock)
    rows = bundled_opd()
    assert len(rows) >= 30 and rows[0].kode == "SETDA"
    assert directory.import_opd(rows, only_if_empty=True) == len(rows)
    assert directory.import_opd(rows, only_if_empty=True) == 0
    assert [r.kode for r in directory.list_opd()][:3] == ["SETDA", "SETWAN", "INSP"]


def test_csv_reports_every_bad_row_with_its_line_and_imports_nothing():
    text = ("# komentar\nkode,nama,singkatan\nA,Dinas A,DA\n,Tanpa Kode,X\nB,,Y\n"
            "A,Ganda,Z\nC D,Spasi,S\nE,Dinas E,E,lebih\n")
    with pytest.raises(CsvImportError) as info:
        parse_opd_csv(text)
    assert info.value.problems == [
        "baris 4: kode dan nama wajib diisi",
        "baris 5: kode dan nama wajib diisi",
        "baris 6: kode A sudah ada di baris 3",
        "baris 7: kode 'C D' tidak sah (huruf, angka, - _ . ; paling panjang 32)",
        "baris 8: kolom berlebih",
    ]
    with pytest.raises(CsvImportError, match="baris judul"):
        parse_opd_csv("id,name\n1,x\n")


def test_user_add_validates_role_and_opd(svc):
    with pytest.raises(ValueError, match="pilihan yang sah: sekda, asisten"):
        svc.directory.add_user(5, "X", "bupati")
    with pytest.raises(InvalidInput, match="Kode yang sah: DISDIK, DINSOS, KEC-DELANG"):
        svc.directory.add_user(5, "X", "opd", "DISHUB")
    with pytest.raises(InvalidInput, match="wajib menyebut Perangkat Daerah"):
        svc.directory.add_user(5, "X", "opd")
    with pytest.raises(InvalidInput, match="tidak terikat"):
        svc.directory.add_user(5, "X", "kabag", "DISDIK")
    with pytest.raises(Conflict, match="sudah terdaftar"):
        svc.directory.add_user(1001, "Lagi", "sekda")
    user = svc.directory.add_user(5, "<b>Ani</b>", "kepala_opd", "disdik")
    assert user.opd_kode == "DISDIK" and user.opd_nama == "Dinas Pendidikan"


def test_remove_deactivates_and_keeps_history(svc):
    svc.directory.remove_user(2001)
    assert svc.directory.find_user(2001) is None
    assert any(u.telegram_id == 2001 and not u.aktif for u in svc.directory.list_users())
    with pytest.raises(NotFound):
        svc.directory.remove_user(777)


def test_is_registered_remembers_a_yes_for_a_while_and_never_a_no(svc, monkeypatch):
    import bot.services.directory as directory

    now = [1000.0]
    monkeypatch.setattr(directory.time, "monotonic", lambda: now[0])
    assert not svc.directory.is_registered(4242)
    svc.directory.add_user(4242, "Baru", "kabag")
    assert svc.directory.is_registered(4242)  # a no was not remembered: in at once
    assert svc.directory.known_registered(4242)
    with svc.db.transaction() as s:  # removed by another process (the CLI): not seen here...
        s.scalar(select(m.User).where(m.User.telegram_id == 4242)).aktif = False
    assert svc.directory.is_registered(4242)
    now[0] += directory.REGISTERED_TTL  # ...until the yes is too old
    assert not svc.directory.known_registered(4242) and not svc.directory.is_registered(4242)
    svc.directory.add_user(4343, "Lain", "kabag")
    assert svc.directory.is_registered(4343)
    svc.directory.remove_user(4343)  # removed in this process: forgotten at once
    assert not svc.directory.is_registered(4343)


def test_invite_is_hashed_single_use_and_expires(svc, clock):
    issued = svc.directory.create_invite("opd", "DINSOS")
    assert len(issued.token) >= 32 and issued.expires_at == clock.now() + timedelta(days=7)
    with svc.db.transaction(write=False) as s:
        stored = s.scalar(select(m.Invite))
        assert stored.token_hash == hash_token(issued.token) and issued.token not in stored.token_hash
    user = svc.directory.redeem_invite(issued.token, 3333, "Operator Baru")
    assert (user.peran.value, user.opd_kode) == ("opd", "DINSOS")
    with pytest.raises(Conflict, match="sudah digunakan"):
        svc.directory.redeem_invite(issued.token, 4444, "Orang Lain")
    with pytest.raises(NotFound, match="tidak dikenal"):
        svc.directory.redeem_invite("palsu", 4444, "Orang Lain")
    late = svc.directory.create_invite("tim_sakip")
    clock.advance(days=7, seconds=1)
    with pytest.raises(Conflict, match="kedaluwarsa"):
        svc.directory.redeem_invite(late.token, 4444, "Terlambat")


def test_audit_log_is_append_only(svc):
    with svc.db.transaction(write=False) as s:
        assert s.scalars(select(m.AuditLog.action)).all()[:1] == ["opd_import"]
    with pytest.raises(PermissionError):
        with svc.db.transaction() as s:
            row = s.scalars(select(m.AuditLog)).first()
            row.action = "diubah"
            s.flush()
