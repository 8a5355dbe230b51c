"""Check request parameters against the spec and convert them to plain Python values.

Telegram accepts parameters as a query string, ``application/x-www-form-urlencoded``,
``application/json`` or ``multipart/form-data``. In the form encodings every value is a
string (python-telegram-bot sends strings unchanged and JSON-dumps everything else), so a
string is accepted for a non-String type when it parses as that type. Validation is strict
where Telegram is lenient in one way: unknown fields inside objects are reported too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from bot.fakegram.spec import ApiSpec, Field, MethodSpec

ATTACH_PREFIX = "attach://"
_INTEGER = re.compile(r"^[+-]?\d+$")
_ARRAY_PREFIX = "Array of "


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file part of a multipart request."""

    part_name: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a value does not fit the spec; ``path`` like ``reply_markup.inline_keyboard[0]``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def describe(value: object) -> str:
    """A short, human-readable account of a value for error messages."""
    if isinstance(value, bool):
        return f"Boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"Integer {value}"
    if isinstance(value, float):
        return f"Float {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"String {shown!r}"
    if isinstance(value, list):
        return f"Array of {len(value)} items"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, UploadedFile):
        return f"uploaded file {value.filename!r}"
    return type(value).__name__


#: Parameters Telegram ignores where a method has no such field, and that python-telegram-bot
#: sends anyway: with Defaults(parse_mode=...) every method built on Bot._send_message carries
#: parse_mode, editMessageReplyMarkup included. Dropped instead of refused; any other unknown
#: parameter is still a violation.
TOLERATED_EXTRAS = frozenset({"parse_mode"})


class Validator:
    """Validates and normalises the parameters of one request at a time."""

    def __init__(self, spec: ApiSpec) -> None:
        self.spec = spec

    def validate(
        self, method: MethodSpec, params: dict[str, Any], uploads: dict[str, UploadedFile]
    ) -> tuple[dict[str, Any], list[Problem]]:
        """Return the normalised parameters and every problem found (empty when valid)."""
        self._uploads = uploads
        self._used_uploads: set[str] = set()
        problems: list[Problem] = []
        values = {k: v for k, v in params.items() if v is not None}
        for name, upload in uploads.items():
            if name in method.fields and name not in values:
                values[name] = upload
                self._used_uploads.add(name)
        normalised: dict[str, Any] = {}
        for name, value in values.items():
            field = method.fields.get(name)
            if field is None and name in TOLERATED_EXTRAS:
                continue
            if field is None:
                problems.append(Problem("", f"unknown parameter {name!r}"))
                continue
            normalised[name], found = self._check(value, field.types, name)
            problems.extend(found)
        for name in method.required:
            if name not in values:
                problems.append(Problem("", f"missing required parameter {name!r}"))
        for name in sorted(set(uploads) - self._used_uploads):
            problems.append(Problem("", f"uploaded file part {name!r} is not used by any parameter"))
        return normalised, problems

    def check_value(self, value: Any, types: tuple[str, ...], path: str = "") -> list[Problem]:
        """Problems of one value against alternative spec types (e.g. a method's result)."""
        self._uploads, self._used_uploads = {}, set()
        return self._check(value, types, path)[1]

    # -- one value against a list of alternative types -------------------------------------

    def _check(self, value: Any, types: tuple[str, ...], path: str) -> tuple[Any, list[Problem]]:
        if "InputFile" in types and isinstance(value, str) and value.startswith(ATTACH_PREFIX):
            return self._check_one(value, "InputFile", path)  # never a file_id
        attempts: list[tuple[str, list[Problem]]] = []
        for type_name in sorted(types, key=lambda t: t == "String"):  # String last
            normalised, problems = self._check_one(value, type_name, path)
            if not problems:
                return normalised, []
            attempts.append((type_name, problems))
        if len(attempts) == 1:
            return value, attempts[0][1]
        if not isinstance(value, dict | list | str) or all(
            ps[0].message.startswith("expected ") for _, ps in attempts
        ):
            return value, [Problem(path, f"expected {' or '.join(types)}, got {describe(value)}")]
        # An object that fits none of the alternatives: explain the closest one, i.e. the one
        # whose problems are deepest (it got furthest), then the one with the fewest problems.
        closest, problems = max(
            attempts, key=lambda a: (max(len(p.path) for p in a[1]), -len(a[1]))
        )
        detail = "; ".join(str(p) for p in problems)
        return value, [Problem(path, f"fits none of {', '.join(types)}; as {closest}: {detail}")]

    def _check_one(self, value: Any, type_name: str, path: str) -> tuple[Any, list[Problem]]:
        wrong = [Problem(path, f"expected {type_name}, got {describe(value)}")]
        if type_name == "String":
            return (value, []) if isinstance(value, str) else (value, wrong)
        if type_name == "Integer":
            if isinstance(value, int) and not isinstance(value, bool):
                return value, []
            if isinstance(value, str) and _INTEGER.match(value.strip()):
                return int(value), []
            return value, wrong
        if type_name == "Float":
            return self._check_float(value, wrong)
        if type_name == "Boolean":
            if isinstance(value, bool):
                return value, []
            if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
                return value.lower() in ("true", "1"), []
            return value, wrong
        if type_name == "InputFile":
            return self._check_input_file(value, path, wrong)
        if type_name.startswith(_ARRAY_PREFIX):
            return self._check_array(value, type_name[len(_ARRAY_PREFIX):], path, wrong)
        return self._check_object(value, type_name, path, wrong)

    @staticmethod
    def _check_float(value: Any, wrong: list[Problem]) -> tuple[Any, list[Problem]]:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value), []
        if isinstance(value, str):
            try:
                return float(value), []
            except ValueError:
                pass
        return value, wrong

    def _check_input_file(self, value: Any, path: str, wrong: list[Problem]) -> tuple[Any, list[Problem]]:
        if isinstance(value, UploadedFile):
            return value, []
        if isinstance(value, str) and value.startswith(ATTACH_PREFIX):
            part = value[len(ATTACH_PREFIX):]
            if part in self._uploads:
                self._used_uploads.add(part)
                return self._uploads[part], []
            return value, [Problem(path, f"{value!r} refers to no uploaded file part")]
        return value, wrong

    def _check_array(
        self, value: Any, item_type: str, path: str, wrong: list[Problem]
    ) -> tuple[Any, list[Problem]]:
        value = _decode_json(value, list)
        if not isinstance(value, list):
            return value, wrong
        items: list[Any] = []
        problems: list[Problem] = []
        for index, item in enumerate(value):
            normalised, found = self._check(item, (item_type,), f"{path}[{index}]")
            items.append(normalised)
            problems.extend(found)
        return items, problems

    def _check_object(
        self, value: Any, type_name: str, path: str, wrong: list[Problem]
    ) -> tuple[Any, list[Problem]]:
        spec = self.spec.type(type_name)
        if spec is None:
            return value, [Problem(path, f"the spec has no type {type_name!r}")]
        if spec.is_union:
            return self._check(value, spec.subtypes, path)
        value = _decode_json(value, dict)
        if not isinstance(value, dict):
            return value, wrong
        if not spec.fields:  # placeholder types such as CallbackGame
            return value, []
        return self._check_fields(value, spec.fields, type_name, path)

    def _check_fields(
        self, value: dict[str, Any], fields: dict[str, Field], type_name: str, path: str
    ) -> tuple[dict[str, Any], list[Problem]]:
        normalised: dict[str, Any] = {}
        problems: list[Problem] = []
        for key, item in value.items():
            if item is None:
                continue
            field = fields.get(key)
            if field is None:
                problems.append(Problem(path, f"unknown field {key!r} in {type_name}"))
                continue
            normalised[key], found = self._check(item, field.types, f"{path}.{key}")
            problems.extend(found)
        for field in fields.values():
            if field.required and value.get(field.name) is None:
                problems.append(Problem(path, f"{type_name} needs field {field.name!r}"))
        return normalised, problems


def _decode_json(value: Any, expected: type) -> Any:
    """A JSON-serialised string decoded when it holds the expected container, else the value."""
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
        if isinstance(decoded, expected):
            return decoded
    return value
