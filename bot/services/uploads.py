"""Files people upload (a signed letter, a report's attachment, a scanned incoming letter): which
types each form takes, how large a file may be, and where it is kept. The conversation only
downloads the bytes and hands them over; the user's file name is made safe here, once, for
everywhere it goes (archive, documents, audit)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from bot import formatting
from bot.config import Settings
from bot.filenames import safe_filename
from bot.services.errors import InvalidInput

PDF = "application/pdf"
#: What each form accepts (suffix -> mime type).
POLICIES: dict[str, dict[str, str]] = {
    # The signed letter (SRIKANDI) and the letter draft's attachment.
    "pdf": {".pdf": PDF},
    # A report's attachment: the draft LKj as PDF, a spreadsheet, a document, or a photo.
    "report": {
        ".pdf": PDF,
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
    },
    # The scan of an incoming letter.
    "scan": {".pdf": PDF, ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"},
}


class UploadRejected(InvalidInput):
    """Why an uploaded file cannot be taken ("uploads.*")."""


class Uploads:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    def limit(self) -> int:
        return int(self.settings.max_upload_mb * 1024 * 1024)

    def check(self, name: str, size: int | None, policy: str) -> str:
        """The safe file name, if a file so named and of `size` bytes (as Telegram announces it)
        may be uploaded to a form of `policy`; else UploadRejected."""
        name = safe_filename(name, fallback="lampiran")
        allowed = POLICIES[policy]
        suffix = Path(name).suffix.lower()
        if suffix not in allowed:
            raise UploadRejected("uploads.type" if suffix else "uploads.no_suffix",
                                 suffix=suffix, allowed=[s.lstrip(".").upper() for s in allowed])
        if (size or 0) > self.limit:
            raise UploadRejected("uploads.too_large", mb=formatting.angka(self.settings.max_upload_mb))
        return name

    def store(self, content: bytes, name: str, policy: str) -> dict[str, Any]:
        """Keep the downloaded `content` under the data folder (named by its digest); what a
        service needs to record it."""
        name = self.check(name, len(content), policy)
        suffix = Path(name).suffix.lower()
        digest = hashlib.sha256(content).hexdigest()
        folder = Path(self.settings.data_dir) / "unggahan"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{digest}{suffix}"
        path.write_bytes(content)
        return {"path": str(path), "filename": name, "mime_type": POLICIES[policy][suffix],
                "size": len(content), "sha256": digest}
