"""`/verifikasi <kode>`: is this a letter the bot recorded as signed, and which one?

A code proves only that the document is the one approved in the bot; it is not a certified
electronic signature (TTE), which goes through SRIKANDI and BSrE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.storage import Database, get_row
from bot.storage import models as m

QR_PREFIX = "ESAKIP-LMD"


@dataclass(frozen=True)
class Verified:
    kode: str
    nomor: str | None
    hal: str
    tahun: int
    cycle_id: int
    signed_at: datetime
    signer: str
    sha256: str


def read_code(text: str) -> str:
    """The code in what was typed or scanned: 'k7qx-m2d9 pa' or 'ESAKIP-LMD:K7QXM2D9PA:ab12...'."""
    value = text.strip()
    if value.upper().startswith(QR_PREFIX + ":"):
        value = value.split(":")[1]
    return "".join(ch for ch in value.upper() if ch.isalnum())


class Verification:
    def __init__(self, db: Database) -> None:
        self.db = db

    def verify(self, text: str) -> Verified | None:
        code = read_code(text)
        if not code or len(code) > 32:
            return None
        with self.db.transaction(write=False) as s:
            doc = s.scalar(select(m.Document).where(m.Document.verification_code == code,
                                                    m.Document.signed_at.is_not(None)))
            if doc is None or doc.signed_at is None:
                return None
            cycle = get_row(s, m.Cycle, doc.cycle_id)
            signer = s.get(m.User, doc.signed_by) if doc.signed_by else None
            hal = str(cycle.letter.get("hal", ""))
            if doc.kind == "surat_teguran":  # a Surat Teguran to one OPD (bot/services/teguran.py)
                from bot.documents import wording

                hal = wording.hal("surat_teguran", cycle.tahun)
            return Verified(kode=code, nomor=doc.nomor or cycle.letter.get("nomor"), hal=hal, tahun=cycle.tahun, cycle_id=cycle.id,
                            signed_at=doc.signed_at, signer=signer.nama if signer else "-", sha256=doc.sha256)
