"""Load an SOP definition from YAML and validate it; a bad file gives one clear error."""

from __future__ import annotations

import hashlib
import os
import re
from datetime import time, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from bot.roles import Peran

from bot.sop import checklist_file
from bot.sop.definition import (
    AlertPolicy,
    Escalation,
    EscalationPolicy,
    Pejabat,
    SopDefinition,
    SopIdentity,
    StepDefinition,
    StepKind,
)
from bot.working_calendar import WaktuError, parse_waktu
from bot.workflow.kinds import DOCUMENTS, KINDS, FanOut

BUNDLED_SOP = "sop-esakip.yaml"


class _Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true/false. (YAML 1.1 would read the seed's column "no" as False.)"""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class SopFileError(Exception):
    """The SOP file is unusable; the message names the file, the step and the field.

    `errors` holds every error found, one line each (`esakip-bot sop check` prints them all)."""

    def __init__(self, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or [message]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _PejabatRaw(_Strict):
    jabatan: str
    nama: str
    pangkat: str
    nip: str


class _IdentityRaw(_Strict):
    nomor: str
    nama: str
    unit: str
    disahkan_oleh: _PejabatRaw
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


class _AlertsRaw(_Strict):
    reminders_before: list[str] = []
    escalate_every: str
    max_escalations: int = 3
    digest: bool = False

    @field_validator("reminders_before")
    @classmethod
    def _valid_list(cls, values: list[str]) -> list[str]:
        for value in values:
            _check_waktu(value)
        return values

    @field_validator("escalate_every")
    @classmethod
    def _valid_every(cls, value: str) -> str:
        return _check_waktu(value)


class _EskalasiPeranRaw(_Strict):
    """Who is told when a step of one role runs late (per role, or one step's override)."""

    segera: list[Peran] = []
    ringkasan: list[Peran] = []
    ringkasan_setelah: str | None = None

    @field_validator("ringkasan_setelah")
    @classmethod
    def _valid_after(cls, value: str | None) -> str | None:
        return _check_waktu(value) if value is not None else None


class _EskalasiRaw(_Strict):
    ringkasan_pagi: str = "07.30"
    jeda_sedang_dikerjakan: str = "24 jam"
    peran: dict[Peran, _EskalasiPeranRaw] = {}

    @field_validator("ringkasan_pagi")
    @classmethod
    def _valid_hour(cls, value: str) -> str:
        _parse_jam(value)
        return value

    @field_validator("jeda_sedang_dikerjakan")
    @classmethod
    def _valid_pause(cls, value: str) -> str:
        return _check_waktu(value)


def _parse_jam(value: str) -> time:
    match = re.fullmatch(r"([01]?\d|2[0-3])[.:]([0-5]\d)", str(value).strip())
    if not match:
        raise ValueError(f"jam '{value}' tidak sah; tulis JJ.MM, misalnya 07.30")
    return time(int(match[1]), int(match[2]))


def _check_waktu(value: str) -> str:
    try:
        parse_waktu(value)
    except WaktuError as exc:
        raise ValueError(str(exc)) from None
    return value


#: Longest step name: it follows "Langkah N — " on one line of a phone screen.
MAX_NAMA = 60


class _StepRaw(_Strict):
    no: int
    nama: str
    kegiatan: str
    pelaksana: Peran
    kelengkapan: str = ""
    waktu: str | None
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
    alerts: _AlertsRaw | None = None
    eskalasi: _EskalasiPeranRaw | None = None
    berkas: list[str] | None = None
    checklist: checklist_file.ChecklistRaw | None = None

    @field_validator("berkas")
    @classmethod
    def _known_documents(cls, values: list[str] | None) -> list[str] | None:
        for value in values or ():
            if value not in DOCUMENTS:
                raise ValueError(f"berkas '{value}' tidak dikenal; pilihan: {', '.join(DOCUMENTS)}")
        return values

    @field_validator("kegiatan", "output")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("tidak boleh kosong")
        return value.strip()

    @field_validator("nama")
    @classmethod
    def _short_name(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("tidak boleh kosong")
        if len(value) > MAX_NAMA:
            raise ValueError(f"nama langkah paling banyak {MAX_NAMA} karakter (sekarang {len(value)})")
        return value

    @field_validator("waktu")
    @classmethod
    def _valid_waktu(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse_waktu(value)
            except WaktuError as exc:
                raise ValueError(str(exc)) from None
        return value

    @field_validator("fan_out")
    @classmethod
    def _valid_fan_out(cls, value: str | None) -> str | None:
        if value not in (None, "per_opd"):
            raise ValueError("hanya 'per_opd' yang dikenal")
        return value


class _SopRaw(_Strict):
    name: str
    version: int
    judul: str = ""
    perihal: str = ""
    contoh: bool = False  # an example, to be replaced by the regency's own SOP
    starters: list[Peran] = []
    identity: _IdentityRaw
    roles: dict[Peran, str]
    eskalasi: _EskalasiRaw = _EskalasiRaw()
    steps: list[_StepRaw]

    @field_validator("name")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z][a-z0-9_-]{0,39}", value):
            raise ValueError("nama SOP: huruf kecil, angka, '-' atau '_', paling banyak 40 karakter")
        return value


def load_sop(path: Path | str | None = None) -> SopDefinition:
    """Load the SOP at `path`, or the bundled E-SAKIP SOP when no path is given."""
    if path is None:
        source = f"<bundled>/{BUNDLED_SOP}"
        text = resources.files("bot.data").joinpath(BUNDLED_SOP).read_text(encoding="utf-8")
    else:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise SopFileError(f"Berkas SOP {source}: tidak dapat dibaca ({exc.strerror})") from None
    return parse_sop(text, source)


def sop_paths(spec: Path | str | None) -> list[Path] | None:
    """The files `ESAKIP_SOP_FILE` names: one file, several separated by commas (or the
    platform's path separator), or folders (every *.yaml/*.yml in them, by name). None: the
    bundled SOP."""
    if spec is None or not str(spec).strip():
        return None
    parts = [p.strip() for chunk in str(spec).split(",") for p in chunk.split(os.pathsep)]
    paths: list[Path] = []
    for part in filter(None, parts):
        path = Path(part)
        if path.is_dir():
            found = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
            if not found:
                raise SopFileError(f"Folder SOP {path}: tidak ada berkas .yaml di dalamnya")
            paths.extend(found)
        else:
            paths.append(path)
    return paths


def load_sops(spec: Path | str | None = None) -> list[SopDefinition]:
    """Every SOP `spec` names (see sop_paths), in order; the first is the deployment's primary.
    Two files with the same `name` are refused."""
    paths = sop_paths(spec)
    sops = [load_sop(None)] if paths is None else [load_sop(path) for path in paths]
    seen: dict[str, str] = {}
    for sop in sops:
        if sop.name in seen:
            raise SopFileError(f"Berkas SOP {sop.source}: isian 'name': nama '{sop.name}' sudah dipakai "
                               f"oleh {seen[sop.name]}")
        seen[sop.name] = sop.source
    return sops


def parse_sop(text: str, source: str = "<teks>") -> SopDefinition:
    try:
        data = yaml.load(text, Loader=_Yaml12Loader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as exc:
        raise SopFileError(f"Berkas SOP {source}: YAML tidak sah: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict):
        raise SopFileError(f"Berkas SOP {source}: isi berkas harus berupa pemetaan (mapping)")
    try:
        raw = _SopRaw.model_validate(data)
    except ValidationError as exc:
        errors = _describe(source, data, exc)
        more = f" (dan {len(errors) - 1} kesalahan lain)" if len(errors) > 1 else ""
        raise SopFileError(errors[0] + more, errors) from None
    errors = _check_flow(raw, source) + _check_escalation(raw, source)
    if errors:
        raise SopFileError(errors[0], errors)
    return _to_definition(raw, text, source)


def _describe(source: str, data: dict[str, Any], exc: ValidationError) -> list[str]:
    found = []
    for err in exc.errors():
        loc = list(err["loc"])
        where = "bagian " + ".".join(str(p) for p in loc) if loc else "akar berkas"
        if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
            steps = data.get("steps") or []
            step = steps[loc[1]] if loc[1] < len(steps) and isinstance(steps[loc[1]], dict) else {}
            no = step.get("no", f"ke-{loc[1] + 1}")
            field = ".".join(str(p) for p in loc[2:]) or "(langkah)"
            where = f"langkah {no}, isian '{field}'"
        found.append(f"Berkas SOP {source}: {where}: {_message(err)}")
    return found


def _message(err: Any) -> str:
    """Pydantic's message in Indonesian for the common cases (validators already speak it)."""
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "missing":
        return "isian wajib ada"
    if kind == "extra_forbidden":
        return "isian tidak dikenal"
    if kind == "enum":
        return f"nilai tidak dikenal; pilihan: {str(ctx.get('expected', '')).replace(' or ', ' atau ')}"
    if kind in ("int_parsing", "int_type"):
        return "harus berupa bilangan bulat"
    if kind in ("string_type",):
        return "harus berupa teks"
    if kind in ("list_type",):
        return "harus berupa daftar"
    if kind in ("dict_type", "model_type"):
        return "harus berupa pemetaan (mapping)"
    if kind == "bool_parsing":
        return "harus true atau false"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return str(err["msg"])


def _fail(source: str, no: int, field: str, message: str) -> str:
    return f"Berkas SOP {source}: langkah {no}, isian '{field}': {message}"


def _check_flow(raw: _SopRaw, source: str) -> list[str]:
    """Every error of the flow (numbering, targets, branches, fan-out), one line each."""
    numbers = [step.no for step in raw.steps]
    if not numbers:
        return [f"Berkas SOP {source}: isian 'steps': tidak ada langkah"]
    errors = []
    for index, step in enumerate(raw.steps, start=1):
        if step.no != index:
            errors.append(_fail(source, step.no, "no", f"nomor langkah harus berurutan; diharapkan {index}"))
    valid = set(numbers)
    for step in raw.steps:
        spec = KINDS[step.kind]
        if step.pelaksana not in raw.roles:
            errors.append(_fail(source, step.no, "pelaksana", f"peran '{step.pelaksana}' tidak ada di 'roles'"))
        if step.receipt_by is not None and step.receipt_by not in raw.roles:
            errors.append(_fail(source, step.no, "receipt_by", f"peran '{step.receipt_by}' tidak ada di 'roles'"))
        if step.next is not None and step.next not in valid:
            errors.append(_fail(source, step.no, "next", f"langkah {step.next} tidak ada"))
        needed = spec.branches
        if set(step.branches) != set(needed):
            expected = ", ".join(needed) if needed else "tidak ada"
            errors.append(_fail(source, step.no, "branches", f"untuk jenis {step.kind} cabang harus: {expected}"))
        for name, target in step.branches.items():
            if target not in valid:
                errors.append(_fail(source, step.no, f"branches.{name}", f"langkah {target} tidak ada"))
        if step.window_from_letter and step.kind is not StepKind.VERIFICATION:
            errors.append(_fail(source, step.no, "window_from_letter", "hanya untuk langkah jenis verification"))
        if problem := checklist_file.check(step.kind, step.checklist):
            errors.append(_fail(source, step.no, "checklist", problem))
        if step.fan_out and spec.fan_out is FanOut.NEVER:
            errors.append(_fail(source, step.no, "fan_out", f"jenis {step.kind} tidak dapat per Perangkat Daerah"))
        if spec.fan_out is FanOut.REQUIRED and not step.fan_out:
            errors.append(_fail(source, step.no, "fan_out", f"jenis {step.kind} harus 'per_opd'"))
        if not needed and step.next is None and not spec.may_end:
            errors.append(_fail(source, step.no, "next", "langkah ini harus menunjuk langkah berikutnya"))
    kinds = {step.kind for step in raw.steps}
    fan = {k for k, spec in KINDS.items() if spec.fan_out is FanOut.REQUIRED}
    if kinds & fan and not fan <= kinds:
        errors.append(
            f"Berkas SOP {source}: isian 'kind': distribusi, pengisian dan verifikasi per "
            "Perangkat Daerah harus ada bersama-sama"
        )
    return errors


def _check_escalation(raw: _SopRaw, source: str) -> list[str]:
    """A delay is never reported to the one who is late."""
    errors = []
    for role, entry in raw.eskalasi.peran.items():
        for key in ("segera", "ringkasan"):
            if role in getattr(entry, key):
                errors.append(f"Berkas SOP {source}: bagian eskalasi.peran.{role.value}, isian '{key}': "
                              f"peran {role.value} tidak dapat menjadi atasannya sendiri")
    for step in raw.steps:
        if step.eskalasi is None:
            continue
        own = {step.pelaksana, *([step.receipt_by] if step.receipt_by else [])}
        for key in ("segera", "ringkasan"):
            for role in getattr(step.eskalasi, key):
                if role in own:
                    errors.append(_fail(source, step.no, f"eskalasi.{key}",
                                        f"peran {role.value} adalah pelaksana langkah ini sendiri"))
    return errors


def _escalation(raw: _EskalasiPeranRaw | None, default_after: timedelta | None = None) -> Escalation | None:
    if raw is None:
        return None
    after = parse_waktu(raw.ringkasan_setelah).as_timedelta() if raw.ringkasan_setelah else default_after
    return Escalation(tuple(raw.segera), tuple(raw.ringkasan), after or Escalation().ringkasan_setelah)


def _escalation_policy(raw: _EskalasiRaw) -> EscalationPolicy:
    return EscalationPolicy(
        digest_at=_parse_jam(raw.ringkasan_pagi),
        ack_pause=parse_waktu(raw.jeda_sedang_dikerjakan).as_timedelta(),
        roles={role: _escalation(entry) or Escalation() for role, entry in raw.peran.items()},
    )


def _policy(raw: _AlertsRaw | None) -> AlertPolicy | None:
    if raw is None:
        return None
    return AlertPolicy(
        reminders_before=tuple(parse_waktu(v).as_timedelta() for v in raw.reminders_before),
        escalate_every=parse_waktu(raw.escalate_every).as_timedelta(),
        max_escalations=raw.max_escalations,
        digest=raw.digest,
    )


def _to_definition(raw: _SopRaw, text: str, source: str) -> SopDefinition:
    ident = raw.identity
    identity = SopIdentity(
        nomor=ident.nomor,
        nama=ident.nama,
        unit=ident.unit,
        disahkan_oleh=Pejabat(**ident.disahkan_oleh.model_dump()),
        dasar_hukum=tuple(ident.dasar_hukum),
        keterkaitan=tuple(ident.keterkaitan),
        peringatan=tuple(ident.peringatan),
        pencatatan=tuple(ident.pencatatan),
        tanggal_pembuatan=ident.tanggal_pembuatan,
        tanggal_revisi=ident.tanggal_revisi,
        tanggal_efektif=ident.tanggal_efektif,
        kualifikasi_pelaksana=tuple(ident.kualifikasi_pelaksana),
        peralatan_perlengkapan=tuple(ident.peralatan_perlengkapan),
    )
    steps = tuple(
        StepDefinition(
            no=s.no,
            nama=s.nama,
            kegiatan=s.kegiatan,
            pelaksana=s.pelaksana,
            kelengkapan=s.kelengkapan,
            waktu=parse_waktu(s.waktu) if s.waktu else None,
            output=s.output,
            keterangan=s.keterangan,
            kind=s.kind,
            next=s.next,
            branches=dict(s.branches),
            fan_out=s.fan_out == "per_opd",
            receipt_by=s.receipt_by,
            due_from_letter=s.due_from_letter,
            window_from_letter=s.window_from_letter,
            assumptions=tuple(s.assumptions),
            alerts=_policy(s.alerts),
            eskalasi=_escalation(s.eskalasi),
            berkas=tuple(s.berkas) if s.berkas is not None else None,
            checklist=checklist_file.to_checklist(s.checklist),
        )
        for s in raw.steps
    )
    return SopDefinition(
        name=raw.name,
        version=raw.version,
        identity=identity,
        roles={str(k): v for k, v in raw.roles.items()},
        steps=steps,
        starters=tuple(raw.starters),
        judul=raw.judul,
        perihal=raw.perihal,
        contoh=raw.contoh,
        eskalasi=_escalation_policy(raw.eskalasi),
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text=text,
        source=source,
    )
