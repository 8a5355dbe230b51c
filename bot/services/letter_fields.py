"""The fields of a cycle's letter as Tim SAKIP fills them in the step-4 form (plain values only).

They are stored in the cycle (``cycles.letter``) when a draft is submitted, so a returned draft
reopens with every field of the last submission, whoever of Tim SAKIP opens it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot import error_text, formatting
from bot.documents.isi import BAGIAN

HEAD_FIELDS = ("nomor", "tanggal", "sifat", "batas", "hal")
#: Every field the form can change: the heading, then each part of the body.
FIELDS = HEAD_FIELDS + BAGIAN
SIFAT = ("Biasa", "Segera", "Penting", "Rahasia")
#: Typed for a part of the body: back to the standard text / leave the part out.
BAKU, HAPUS = "-", "hapus"
MAX_PARAGRAF = 1000
MAX_ISI = 2000


@dataclass(frozen=True)
class LetterFields:
    nomor: str
    tanggal: date
    sifat: str
    hal: str
    batas_waktu_pengisian: date
    #: Parts of the body Tim SAKIP changed: part → text ("" leaves the part out).
    isi: dict[str, str] = field(default_factory=dict)
    #: A file Tim SAKIP attached in the form: {filename, path, sha256, size, mime_type}.
    berkas: dict[str, Any] | None = None

    @property
    def paragraf_tambahan(self) -> str:
        return self.isi.get("tambahan", "")

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "nomor": self.nomor, "tanggal": self.tanggal.isoformat(), "sifat": self.sifat,
            "hal": self.hal, "batas_waktu_pengisian": self.batas_waktu_pengisian.isoformat(),
            "isi": dict(self.isi),
        }
        if self.berkas:
            data["berkas"] = dict(self.berkas)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LetterFields:
        isi = {k: str(v) for k, v in dict(data.get("isi") or {}).items() if k in BAGIAN}
        if data.get("paragraf_tambahan") and "tambahan" not in isi:  # stored before 0002_letters
            isi["tambahan"] = str(data["paragraf_tambahan"])
        return cls(
            nomor=str(data.get("nomor") or ""), tanggal=date.fromisoformat(str(data["tanggal"])),
            sifat=str(data.get("sifat") or "Penting"), hal=str(data["hal"]),
            batas_waktu_pengisian=date.fromisoformat(str(data["batas_waktu_pengisian"])),
            isi=isi, berkas=dict(data["berkas"]) if data.get("berkas") else None,
        )

    @staticmethod
    def parse_field(name: str, text: str | None, current: dict[str, Any] | None = None) -> dict[str, Any]:
        """Validate one typed field; returns the dict update or raises ValueError to show."""
        value = " ".join((text or "").split())
        if name in BAGIAN:
            return {"isi": _parse_bagian(name, text, dict((current or {}).get("isi") or {}))}
        if not value:
            raise ValueError(error_text.render("letters.field_blank"))
        if name == "nomor":
            if len(value) > 100:
                raise ValueError(error_text.render("letters.nomor_too_long", {"limit": 100}))
            return {"nomor": "" if value.lower() in ("-", "otomatis") else value}
        if name == "hal":
            if len(value) > 300:
                raise ValueError(error_text.render("letters.hal_too_long", {"limit": 300}))
            return {"hal": value}
        if name == "sifat":
            match = [s for s in SIFAT if s.lower() == value.lower()]
            if not match:
                raise ValueError(error_text.render("letters.sifat_unknown", {"choices": list(SIFAT)}))
            return {"sifat": match[0]}
        if name in ("tanggal", "batas"):
            parsed = formatting.parse_tanggal(value)
            key = "tanggal" if name == "tanggal" else "batas_waktu_pengisian"
            return {key: parsed.isoformat()}
        raise ValueError(error_text.render("letters.field_unknown", {"name": name}))

    def problem(self, today: date, body: list[str] | None = None) -> str | None:
        """Why the draft cannot be submitted yet (`today`: the deployment's local date; `body`: the
        paragraphs as they will print)."""
        if self.batas_waktu_pengisian <= today:
            return error_text.render("workflow.deadline_not_after_today")
        if self.batas_waktu_pengisian <= self.tanggal:
            return error_text.render("letters.deadline_not_after_letter")
        batas = formatting.tanggal(self.batas_waktu_pengisian)
        if body is not None and not any(batas in p for p in body):
            return error_text.render("letters.body_lacks_deadline", {"batas": batas})
        return None


def _parse_bagian(name: str, text: str | None, isi: dict[str, str]) -> dict[str, str]:
    raw = (text or "").strip()
    if raw == BAKU:  # the standard text ("tambahan" has none: the part is left out)
        isi.pop(name, None)
        return isi
    if raw.lower() == HAPUS:
        isi[name] = ""
        return isi
    if not raw:
        raise ValueError(error_text.render("letters.field_blank"))
    if len(raw) > MAX_PARAGRAF:
        raise ValueError(error_text.render("letters.paragraph_too_long", {"limit": _ribuan(MAX_PARAGRAF)}))
    isi[name] = raw
    if sum(len(v) for v in isi.values()) > MAX_ISI:
        raise ValueError(error_text.render("letters.body_too_long", {"limit": _ribuan(MAX_ISI)}))
    return isi


def _ribuan(n: int) -> str:
    """1200 as "1.200" (the Indonesian thousands separator)."""
    return f"{n:,}".replace(",", ".")
