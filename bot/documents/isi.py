"""The body of the Surat Pemberitahuan: the standard text (templates/documents/isi_surat.html),
part by part, and Tim SAKIP's changes to any part."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache

from markupsafe import Markup

#: The parts of the body in order; "tambahan" has no standard text (empty unless typed).
BAGIAN = ("dasar", "pembuka", "rincian", "narahubung", "tambahan", "penutup")
LABEL = {"dasar": "Dasar", "pembuka": "Pembuka", "rincian": "Rincian", "narahubung": "Narahubung",
         "tambahan": "Tambahan", "penutup": "Penutup"}


@dataclass(frozen=True)
class KonteksIsi:
    """What the standard text depends on."""

    tahun_kinerja: int
    batas_waktu_pengisian: date
    portal: str = ""
    narahubung_nama: str = ""
    narahubung_telepon: str = ""


@dataclass(frozen=True)
class Paragraf:
    bagian: str
    teks: str  # "" when the part is left out
    diubah: bool  # typed by Tim SAKIP rather than the standard text

    @property
    def label(self) -> str:
        return LABEL[self.bagian]


@cache
def _template():  # type: ignore[no-untyped-def]
    from bot.templating import base_environment

    return base_environment("documents").get_template("isi_surat.html")


def baku(k: KonteksIsi, bagian: str) -> str:
    """The standard text of one part, as plain text ("" when it is left out)."""
    html = _template().render(bagian=bagian, k=k)
    return " ".join(Markup(html).unescape().split())


def susun(k: KonteksIsi, ubahan: Mapping[str, str] | None = None) -> list[Paragraf]:
    """Every part, standard or changed (`ubahan`: part → typed text, "" to leave it out)."""
    ubahan = ubahan or {}
    return [Paragraf(b, _lines(ubahan[b]), True) if b in ubahan else Paragraf(b, baku(k, b), False)
            for b in BAGIAN]


def teks_isi(k: KonteksIsi, ubahan: Mapping[str, str] | None = None) -> list[str]:
    """The body's paragraphs as printed: parts left out are dropped, a typed part with line
    breaks becomes several paragraphs."""
    return [line for p in susun(k, ubahan) for line in p.teks.splitlines() if line]


def _lines(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
