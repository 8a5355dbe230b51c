"""The shape of an SOP file, as pydantic models that refuse what they do not know (the raw
file, before bot/sop/loader.py turns it into frozen definitions). Validators speak to the
Bagian Organisasi administrator, in the wording of templates/errors/sop.yaml."""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator

from bot import error_text
from bot.roles import Peran
from bot.sop.checklist_file import ChecklistRaw
from bot.sop.definition import StepKind
from bot.working_calendar import WaktuError, parse_waktu
from bot.workflow.kinds import DOCUMENTS


def _says(code: str, **params: object) -> ValueError:
    return ValueError(error_text.render(code, params))


def parse_jam(value: str) -> time:
    match = re.fullmatch(r"([01]?\d|2[0-3])[.:]([0-5]\d)", str(value).strip())
    if not match:
        raise _says("sop.jam_invalid", value=value)
    return time(int(match[1]), int(match[2]))


def check_waktu(value: str) -> str:
    try:
        parse_waktu(value)
    except WaktuError as exc:
        raise ValueError(str(exc)) from None
    return value


def _checked_jam(value: str) -> str:
    parse_jam(value)
    return value


#: A duration as the SOP writes it ("30 menit", "5 hari kerja"), and an hour ("07.30").
Waktu = Annotated[str, AfterValidator(check_waktu)]
Jam = Annotated[str, AfterValidator(_checked_jam)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PejabatRaw(_Strict):
    jabatan: str
    nama: str
    pangkat: str
    nip: str


class IdentityRaw(_Strict):
    nomor: str
    nama: str
    unit: str
    disahkan_oleh: PejabatRaw
    dasar_hukum: list[str]
    keterkaitan: list[str] = []
    peringatan: list[str] = []
    pencatatan: list[str] = []
    # Printed only by the SOP document (`esakip-bot sop dokumen`); free text, "-" when absent.
    tanggal_pembuatan: str | None = None
    tanggal_revisi: str | None = None
    tanggal_efektif: str | None = None
    kualifikasi_pelaksana: list[str] = []
    peralatan_perlengkapan: list[str] = []


class AlertsRaw(_Strict):
    reminders_before: list[Waktu] = []
    escalate_every: Waktu
    max_escalations: int = 3
    digest: bool = False



class EskalasiPeranRaw(_Strict):
    """Who is told when a step of one role runs late (per role, or one step's override)."""

    segera: list[Peran] = []
    ringkasan: list[Peran] = []
    ringkasan_setelah: Waktu | None = None


class EskalasiRaw(_Strict):
    ringkasan_pagi: Jam = "07.30"
    jeda_sedang_dikerjakan: Waktu = "24 jam"
    peran: dict[Peran, EskalasiPeranRaw] = {}


#: Longest step name: it follows "Langkah N — " on one line of a phone screen.
MAX_NAMA = 60


class StepRaw(_Strict):
    no: int
    nama: str
    kegiatan: str
    pelaksana: Peran
    kelengkapan: str = ""
    waktu: Waktu | None
    output: str
    keterangan: str = ""
    kind: StepKind
    next: int | None = None
    branches: dict[str, int] = {}
    fan_out: str | None = None
    receipt_by: Peran | None = None
    due_from_letter: bool = False
    window_from_letter: bool = False
    assumptions: list[str] = []
    alerts: AlertsRaw | None = None
    eskalasi: EskalasiPeranRaw | None = None
    berkas: list[str] | None = None
    checklist: ChecklistRaw | None = None  # verification: bot/sop/checklist_file.py

    @field_validator("berkas")
    @classmethod
    def _known_documents(cls, values: list[str] | None) -> list[str] | None:
        for value in values or ():
            if value not in DOCUMENTS:
                raise _says("sop.berkas_unknown", value=value, choices=list(DOCUMENTS))
        return values

    @field_validator("kegiatan", "output")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise _says("sop.blank")
        return value.strip()

    @field_validator("nama")
    @classmethod
    def _short_name(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise _says("sop.blank")
        if len(value) > MAX_NAMA:
            raise _says("sop.nama_too_long", limit=MAX_NAMA, length=len(value))
        return value

    @field_validator("fan_out")
    @classmethod
    def _valid_fan_out(cls, value: str | None) -> str | None:
        if value not in (None, "per_opd"):
            raise _says("sop.fan_out_unknown")
        return value


class SopRaw(_Strict):
    name: str
    version: int
    judul: str = ""
    perihal: str = ""
    contoh: bool = False  # an example, to be replaced by the regency's own SOP
    starters: list[Peran] = []
    identity: IdentityRaw
    roles: dict[Peran, str]
    eskalasi: EskalasiRaw = EskalasiRaw()
    steps: list[StepRaw]

    @field_validator("name")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z][a-z0-9_-]{0,39}", value):
            raise _says("sop.name_invalid")
        return value
