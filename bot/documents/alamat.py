"""Whom a letter to a Perangkat Daerah names: the OPD list's jabatan_pimpinan, else this rule."""

from __future__ import annotations

#: How the Sekretariat Daerah's own units are addressed by a letter of the Sekda (he never
#: writes to himself as "Kepala Sekretariat Daerah").
SETDA_INTERNAL = "Para Asisten dan Kepala Bagian lingkup Sekretariat Daerah"


def pimpinan(opd: str) -> str:
    """The default addressee of a Perangkat Daerah: 'Dinas Sosial' → 'Kepala Dinas Sosial'."""
    name = " ".join(opd.split())
    if name.startswith(("Kepala ", "Camat ", "Sekretaris ", "Inspektur", "Direktur ", "Para ")):
        return name
    if name == "Sekretariat Daerah":
        return SETDA_INTERNAL
    if name.startswith("Kecamatan "):
        return "Camat " + name.removeprefix("Kecamatan ")
    if name == "Sekretariat DPRD":
        return "Sekretaris DPRD"
    if name == "Inspektorat":
        return "Inspektur"
    return "Kepala " + name
