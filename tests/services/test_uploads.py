"""What a form accepts as a file, and the note rule: one place each (bot/services/uploads.py,
bot/services/notes.py), whichever conversation asks."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bot.config import Settings
from bot.services.errors import InvalidInput
from bot.services.notes import MAX_NOTE, check_note
from bot.services.uploads import UploadRejected, Uploads


@pytest.fixture
def uploads(tmp_path) -> Uploads:
    return Uploads(Settings(database_url="sqlite://", data_dir=tmp_path / "data", max_upload_mb=0.001,
                            _env_file=None))


def test_a_type_the_form_does_not_take_is_refused_with_the_types_it_takes(uploads):
    with pytest.raises(UploadRejected, match=r"Jenis berkas \.docx tidak dapat diterima\. Jenis yang diterima: PDF\.") as err:
        uploads.check("surat.docx", 10, "pdf")
    assert err.value.code == "uploads.type" and err.value.params["allowed"] == ["PDF"]
    with pytest.raises(UploadRejected, match=r"\(tanpa ekstensi\).*PDF, JPG, JPEG, PNG"):
        uploads.check("pindaian", 10, "scan")


def test_too_large_is_refused_before_and_after_the_download(uploads, tmp_path):
    with pytest.raises(UploadRejected, match="melebihi batas 0,001 MB"):
        uploads.check("laporan.pdf", 2000, "report")
    with pytest.raises(UploadRejected, match="melebihi batas"):  # Telegram announced no size
        uploads.store(b"x" * 2000, "laporan.pdf", "report")
    assert not (tmp_path / "data" / "unggahan").exists()


def test_a_file_is_kept_by_its_digest_under_a_safe_name(uploads, tmp_path):
    content = b"%PDF-1.4 laporan"
    saved = uploads.store(content, "../../etc/Laporan <Disdik>.PDF", "report")
    digest = hashlib.sha256(content).hexdigest()
    assert saved["sha256"] == digest and saved["size"] == len(content)
    assert saved["mime_type"] == "application/pdf"
    assert "/" not in saved["filename"] and "<" not in saved["filename"]
    assert Path(saved["path"]) == tmp_path / "data" / "unggahan" / f"{digest}.pdf"
    assert Path(saved["path"]).read_bytes() == content


@pytest.mark.parametrize("text", [None, "", "   \n "])
def test_an_empty_note_is_refused(text):
    with pytest.raises(InvalidInput, match="tidak boleh kosong") as err:
        check_note(text)
    assert err.value.code == "notes.empty"


def test_a_note_is_taken_as_typed_up_to_its_limit():
    assert check_note(" Mohon dipercepat. ") == " Mohon dipercepat. "
    assert check_note("x" * MAX_NOTE) == "x" * MAX_NOTE
    with pytest.raises(InvalidInput, match=f"terlalu panjang \\({MAX_NOTE + 1} karakter; paling banyak {MAX_NOTE}\\)"):
        check_note("x" * (MAX_NOTE + 1))
