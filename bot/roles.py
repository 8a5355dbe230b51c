"""The roles (peran) of the SOP and of the bot's own administration."""

from __future__ import annotations

from enum import StrEnum

from bot import error_text


class Peran(StrEnum):
    SEKDA = "sekda"
    ASISTEN = "asisten"
    KABAG = "kabag"
    TIM_SAKIP = "tim_sakip"
    OPD = "opd"
    KEPALA_OPD = "kepala_opd"
    ADMIN = "admin"
    # Roles of the SOP Pelayanan Administrasi Surat Masuk (bot/data/sop-surat-masuk.yaml).
    TATA_USAHA = "tata_usaha"
    PELAKSANA = "pelaksana"

    @property
    def label(self) -> str:
        return PERAN_LABEL[self]

    @property
    def needs_opd(self) -> bool:
        return self in (Peran.OPD, Peran.KEPALA_OPD)


PERAN_LABEL: dict[Peran, str] = {
    Peran.SEKDA: "Sekretaris Daerah",
    Peran.ASISTEN: "Asisten Administrasi Umum",
    Peran.KABAG: "Kepala Bagian Organisasi",
    Peran.TIM_SAKIP: "Tim SAKIP Kabupaten",
    Peran.OPD: "Operator Perangkat Daerah",
    Peran.KEPALA_OPD: "Kepala Perangkat Daerah",
    Peran.ADMIN: "Administrator",
    Peran.TATA_USAHA: "Pengadministrasi Umum (Tata Usaha)",
    Peran.PELAKSANA: "Pelaksana Bagian",
}


def parse_peran(value: str) -> Peran:
    """Parse a role name; the error lists the valid values."""
    try:
        return Peran(value.strip().lower())
    except ValueError:
        raise ValueError(error_text.render("directory.peran_unknown", {"value": value, "valid": [p.value for p in Peran]})) from None
