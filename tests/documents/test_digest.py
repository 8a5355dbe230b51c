"""The content digest printed on a signed letter, and the verification code."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime

import pytest

from bot import documents as d
from bot.documents.digest import ALPHABET, canonical_content
from tests.documents.conftest import SEKDA, surat

KOP = d.Kop(pemerintah="PEMERINTAH KABUPATEN LAMANDAU", instansi="SEKRETARIAT DAERAH",
            alamat="Kompleks Perkantoran Bukit Hibul", telepon="(0532) 2071020",
            faks="(0532) 2071078", website="www.setda.lamandaukab.go.id",
            email="Setda@lamandaukab.go.id")


def fixed_letter() -> d.SuratPemberitahuan:
    return d.SuratPemberitahuan(
        nomor="000.8/1/SETDA-ORG/XI/2026", tanggal=date(2026, 11, 24), sifat="Penting",
        lampiran="-", hal="Pengisian", kepada=["Dinas Sosial"], batas_waktu_pengisian=date(2026, 12, 31),
        tahun_kinerja=2026, penandatangan=SEKDA, isi=["Isi surat."], kop=KOP)


def test_digest_is_pinned() -> None:
    """Changing the serialization breaks the check of every letter already signed: bump
    DIGEST_VERSION and keep the old one verifiable instead of editing this value."""
    assert d.content_digest(fixed_letter()) == PINNED


def test_signing_does_not_change_the_digest() -> None:
    draft = surat(["Dinas Sosial", "Dinas Pendidikan"], draft=True)
    signed = surat(["Dinas Sosial", "Dinas Pendidikan"], draft=False)
    assert signed.verifikasi is not None
    assert d.content_digest(draft) == d.content_digest(signed) == signed.verifikasi.sha256


def test_digest_follows_the_content() -> None:
    base = fixed_letter()
    seen = {d.content_digest(base)}
    for change in ({"nomor": "000.8/2/SETDA-ORG/XI/2026"}, {"kepada": ["Dinas Sosial", "Inspektorat"]},
                   {"batas_waktu_pengisian": date(2026, 12, 30)}, {"isi": ["Isi surat.", "x"]},
                   {"penandatangan": replace(SEKDA, nip="197710272003121006")}):
        seen.add(d.content_digest(replace(base, **change)))
    assert len(seen) == 6


def test_lists_and_tuples_serialize_alike() -> None:
    assert d.content_digest(replace(fixed_letter(), kepada=("Dinas Sosial",))) == \
        d.content_digest(fixed_letter())


def test_canonical_content_is_sorted_compact_json() -> None:
    raw = canonical_content(fixed_letter())
    data = json.loads(raw)
    assert data["jenis"] == "SuratPemberitahuan" and data["versi"] == 2
    assert "verifikasi" not in data["isi"] and "draft" not in data["isi"]
    assert data["isi"]["tanggal"] == "2026-11-24"
    assert raw == json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def test_naive_datetimes_are_refused() -> None:
    receipt = d.TandaTerima(nomor_surat="1", tanggal_surat=date(2026, 11, 24), hal="h", opd="o",
                            diterima_oleh_nama="n", diterima_oleh_jabatan="j",
                            diterima_pada=datetime(2026, 11, 25, 8, 0))
    with pytest.raises(ValueError):
        d.content_digest(receipt)


def test_verification_codes_are_short_and_unambiguous() -> None:
    codes = {d.make_verification_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 10 and set(c) <= set(ALPHABET) for c in codes)
    assert not set("01IO") & set("".join(codes))
    assert len(ALPHABET) == len(set(ALPHABET)) == 32


def test_typed_codes_are_normalized() -> None:
    assert d.normalize_code(" k7qx-m2d9 pa ") == "K7QXM2D9PA"


def test_verification_payload() -> None:
    assert d.verification_payload("K7QXM2D9PA") == "ESAKIP-LMD:K7QXM2D9PA"
    assert d.verification_payload("K7QXM2D9PA", "ab" * 32) == "ESAKIP-LMD:K7QXM2D9PA:" + "ab" * 8


#: Version 2 (addressees with their jabatan, the body as paragraphs, the signer's "selaku").
#: Version 1 letters stay verifiable: /verifikasi looks the code up and compares the stored
#: file's SHA-256; no digest printed on a letter is ever recomputed.
PINNED = "d1a0d271e27a29dc056112d4398b5a9509411de99ebf7ee34e7d483624d0391f"
