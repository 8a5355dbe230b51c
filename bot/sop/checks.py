"""What is wrong with an SOP file, one line per error, for the Bagian Organisasi administrator:
the file, the line, the step or section and the key, then what to fix, in the wording of
templates/errors/sop.yaml. Pydantic's findings (the shape) and the flow's (numbering, targets,
branches, fan-out, escalation) read alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from bot import error_text
from bot.sop.definition import StepKind
from bot.sop.schema import SopRaw
from bot.sop.source import Path, line_of
from bot.workflow.kinds import KINDS, FanOut

#: Pydantic's error types and the code of their wording (a validator's own message is kept).
PYDANTIC = {
    "missing": "sop.missing", "extra_forbidden": "sop.extra", "int_parsing": "sop.not_int",
    "int_type": "sop.not_int", "string_type": "sop.not_text", "list_type": "sop.not_list",
    "dict_type": "sop.not_mapping", "model_type": "sop.not_mapping", "bool_parsing": "sop.not_bool",
}


@dataclass
class Report:
    """The errors found in one file, each placed at its line."""

    source: str
    lines: dict[Path, int]
    errors: list[str] = field(default_factory=list)

    def add(self, path: Path, where: str, message: str) -> None:
        line = line_of(self.lines, path)
        params = {"source": self.source, "where": where, "message": message, "line": line}
        self.errors.append(error_text.render("sop.at_line" if line else "sop.at", params))

    def step(self, index: int, no: int | str, key: str, code: str, **params: object) -> None:
        """An error in the key `key` of the step at `index` of the list (numbered `no`)."""
        path: Path = ("steps", index, *(int(p) if p.isdigit() else p for p in key.split(".")))
        self.add(path, error_text.render("sop.in_step", {"no": no, "key": key}),
                 error_text.render(code, params))

    def section(self, path: Path, code: str, key: str | None = None, **params: object) -> None:
        """An error in a section outside the steps (`key`: the key inside it, if any)."""
        dotted = ".".join(str(p) for p in path)
        if not path:
            where = error_text.render("sop.in_key", {"key": key})
        elif key:
            where = error_text.render("sop.in_section_key", {"path": dotted, "key": key})
        else:
            where = error_text.render("sop.in_section", {"path": dotted})
        self.add((*path, *([key] if key else [])), where, error_text.render(code, params))


def describe(report: Report, data: dict[str, Any], exc: ValidationError) -> None:
    """Pydantic's errors, placed: a step's by its number and key, the rest by their section."""
    for err in exc.errors():
        loc = tuple(err["loc"])
        message = _message(err)
        if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
            steps = data.get("steps") or []
            step = steps[loc[1]] if loc[1] < len(steps) and isinstance(steps[loc[1]], dict) else {}
            no = step.get("no", error_text.render("sop.step_ordinal", {"n": loc[1] + 1}))
            key = ".".join(str(p) for p in loc[2:]) or error_text.render("sop.the_step")
            where = error_text.render("sop.in_step", {"no": no, "key": key})
        elif loc:
            where = error_text.render("sop.in_section", {"path": ".".join(str(p) for p in loc)})
        else:
            where = error_text.render("sop.at_root")
        report.add(loc, where, message)


def _message(err: Any) -> str:
    """Pydantic's message in Indonesian for the common cases (validators already speak it)."""
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "enum":
        choices = str(ctx.get("expected", "")).replace(" or ", " " + error_text.render("sop.or") + " ")
        return error_text.render("sop.enum", {"choices": choices})
    if kind in PYDANTIC:
        return error_text.render(PYDANTIC[kind])
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return str(err["msg"])


def check_flow(raw: SopRaw, report: Report) -> None:
    """Every error of the flow (numbering, targets, branches, fan-out), one line each."""
    if not raw.steps:
        report.section((), "sop.no_steps", key="steps")
        return
    valid = {step.no for step in raw.steps}
    for index, step in enumerate(raw.steps):
        if step.no != index + 1:
            report.step(index, step.no, "no", "sop.no_out_of_order", expected=index + 1)
    for index, step in enumerate(raw.steps):
        spec = KINDS[step.kind]

        def fail(key: str, code: str, **params: object) -> None:
            report.step(index, step.no, key, code, **params)  # noqa: B023 (called at once)

        if step.pelaksana not in raw.roles:
            fail("pelaksana", "sop.role_not_in_roles", peran=step.pelaksana.value)
        if step.receipt_by is not None and step.receipt_by not in raw.roles:
            fail("receipt_by", "sop.role_not_in_roles", peran=step.receipt_by.value)
        if step.next is not None and step.next not in valid:
            fail("next", "sop.no_such_step", target=step.next)
        if set(step.branches) != set(spec.branches):
            if spec.branches:
                fail("branches", "sop.branches_must_be", kind=step.kind.value, expected=list(spec.branches))
            else:
                fail("branches", "sop.branches_none", kind=step.kind.value)
        for name, target in step.branches.items():
            if target not in valid:
                fail(f"branches.{name}", "sop.no_such_step", target=target)
        if step.window_from_letter and step.kind is not StepKind.VERIFICATION:
            fail("window_from_letter", "sop.window_only_verification")
        if step.checklist is not None and step.kind is not StepKind.VERIFICATION:
            fail("checklist", "checklist.only_verification")
        if step.fan_out and spec.fan_out is FanOut.NEVER:
            fail("fan_out", "sop.fan_out_never", kind=step.kind.value)
        if spec.fan_out is FanOut.REQUIRED and not step.fan_out:
            fail("fan_out", "sop.fan_out_required", kind=step.kind.value)
        if not spec.branches and step.next is None and not spec.may_end:
            fail("next", "sop.next_required")
    kinds = {step.kind for step in raw.steps}
    fan = {k for k, spec in KINDS.items() if spec.fan_out is FanOut.REQUIRED}
    if kinds & fan and not fan <= kinds:
        report.section((), "sop.fan_out_together", key="kind")


def check_escalation(raw: SopRaw, report: Report) -> None:
    """A delay is never reported to the one who is late."""
    for role, entry in raw.eskalasi.peran.items():
        for key in ("segera", "ringkasan"):
            if role in getattr(entry, key):
                report.section(("eskalasi", "peran", role.value), "sop.own_superior", key=key, peran=role.value)
    for index, step in enumerate(raw.steps):
        if step.eskalasi is None:
            continue
        own = {step.pelaksana, *([step.receipt_by] if step.receipt_by else [])}
        for key in ("segera", "ringkasan"):
            for role in getattr(step.eskalasi, key):
                if role in own:
                    report.step(index, step.no, f"eskalasi.{key}", "sop.own_step", peran=role.value)
