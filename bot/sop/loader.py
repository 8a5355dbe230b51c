"""Load an SOP definition from YAML and validate it; a bad file gives one clear error per
problem, with its file, line and key (bot/sop/checks.py, worded in templates/errors/sop.yaml).
The file's shape is bot/sop/schema.py; this module reads files and builds the definitions."""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from bot import error_text
from bot.sop import checklist_file
from bot.sop.checks import Report, check_escalation, check_flow, describe
from bot.sop.definition import (
    AlertPolicy,
    Escalation,
    EscalationPolicy,
    Pejabat,
    SopDefinition,
    SopIdentity,
    StepDefinition,
)
from bot.sop.schema import AlertsRaw, EskalasiPeranRaw, EskalasiRaw, SopRaw, parse_jam
from bot.sop.source import read
from bot.working_calendar import parse_waktu

BUNDLED_SOP = "sop-esakip.yaml"


class SopFileError(Exception):
    """The SOP file is unusable; the message names the file, the line, the step and the key.

    `errors` holds every error found, one line each (`esakip-bot sop check` prints them all)."""

    def __init__(self, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or [message]


def _error(code: str, **params: object) -> SopFileError:
    return SopFileError(error_text.render(code, params))


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
            raise _error("sop.unreadable", source=source, reason=exc.strerror) from None
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
                raise _error("sop.folder_empty", folder=path)
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
            raise _error("sop.name_taken", source=sop.source, name=sop.name, other=seen[sop.name])
        seen[sop.name] = sop.source
    return sops


def parse_sop(text: str, source: str = "<teks>") -> SopDefinition:
    try:
        data, lines = read(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or " ".join(str(exc).split())
        if mark is not None:
            raise _error("sop.yaml_invalid_at", source=source, line=mark.line + 1, problem=problem) from None
        raise _error("sop.yaml_invalid", source=source, problem=problem) from None
    if not isinstance(data, dict):
        raise _error("sop.not_a_mapping_file", source=source)
    report = Report(source, lines)
    try:
        raw = SopRaw.model_validate(data)
    except ValidationError as exc:
        describe(report, data, exc)
        errors = report.errors
        more = error_text.render("sop.more_errors", {"n": len(errors) - 1}) if len(errors) > 1 else ""
        raise SopFileError(errors[0] + more, errors) from None
    check_flow(raw, report)
    check_escalation(raw, report)
    if report.errors:
        raise SopFileError(report.errors[0], report.errors)
    return _to_definition(raw, text, source)


def _escalation(raw: EskalasiPeranRaw | None, default_after: timedelta | None = None) -> Escalation | None:
    if raw is None:
        return None
    after = parse_waktu(raw.ringkasan_setelah).as_timedelta() if raw.ringkasan_setelah else default_after
    return Escalation(tuple(raw.segera), tuple(raw.ringkasan), after or Escalation().ringkasan_setelah)


def _escalation_policy(raw: EskalasiRaw) -> EscalationPolicy:
    return EscalationPolicy(
        digest_at=parse_jam(raw.ringkasan_pagi),
        ack_pause=parse_waktu(raw.jeda_sedang_dikerjakan).as_timedelta(),
        roles={role: _escalation(entry) or Escalation() for role, entry in raw.peran.items()},
    )


def _policy(raw: AlertsRaw | None) -> AlertPolicy | None:
    if raw is None:
        return None
    return AlertPolicy(
        reminders_before=tuple(parse_waktu(v).as_timedelta() for v in raw.reminders_before),
        escalate_every=parse_waktu(raw.escalate_every).as_timedelta(),
        max_escalations=raw.max_escalations,
        digest=raw.digest,
    )


def _to_definition(raw: SopRaw, text: str, source: str) -> SopDefinition:
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
