"""The documents the bot sends (letters, forms, archives): where the outbox finds a document's
file, and the Telegram file id it remembers once a document was uploaded (sent again by id)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update

from bot.storage import Database
from bot.storage import models as m


@dataclass(frozen=True)
class DocumentFile:
    telegram_file_id: str | None  # set once Telegram has the file
    path: str
    filename: str


class Documents:
    def __init__(self, db: Database) -> None:
        self.db = db

    def file_of(self, document_id: int) -> DocumentFile:
        with self.db.transaction(write=False) as s:
            doc = s.get(m.Document, document_id)
            if doc is None:
                raise LookupError(f"document {document_id} not found")
            return DocumentFile(doc.telegram_file_id, doc.file_path, doc.filename)

    def remember_telegram_file(self, document_id: int, file_id: str) -> None:
        with self.db.transaction() as s:
            s.execute(update(m.Document).where(m.Document.id == document_id).values(telegram_file_id=file_id))
