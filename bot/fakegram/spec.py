"""The Bot API specification (methods, parameters, types) loaded from the bundled JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

SPEC_PACKAGE = "bot.data"
SPEC_FILE = "telegram/bot-api-10.1.json"

#: Scalar type names used by the spec, besides the object types.
SCALARS = frozenset({"Integer", "String", "Boolean", "Float"})


@dataclass(frozen=True, slots=True)
class Field:
    """One parameter of a method or one field of a type."""

    name: str
    types: tuple[str, ...]
    required: bool
    description: str


@dataclass(frozen=True, slots=True)
class Entry:
    """A named entry of the spec with its fields: a type's fields or a method's parameters."""

    name: str
    fields: dict[str, Field]

    @property
    def required(self) -> list[str]:
        return [f.name for f in self.fields.values() if f.required]


@dataclass(frozen=True, slots=True)
class TypeSpec(Entry):
    """An object type: either a record with fields or a union of subtypes."""

    subtypes: tuple[str, ...]

    @property
    def is_union(self) -> bool:
        return bool(self.subtypes)


@dataclass(frozen=True, slots=True)
class MethodSpec(Entry):
    """A Bot API method and its parameters."""

    returns: tuple[str, ...]


def _fields(raw: list[dict[str, Any]] | None) -> dict[str, Field]:
    return {
        f["name"]: Field(f["name"], tuple(f["types"]), bool(f["required"]), f.get("description", ""))
        for f in raw or []
    }


class ApiSpec:
    """Look-ups into the Bot API description; method names are case-insensitive like Telegram's."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.version: str = raw["version"]
        self.release_date: str = raw.get("release_date", "")
        self.methods: dict[str, MethodSpec] = {
            name: MethodSpec(name, _fields(m.get("fields")), tuple(m.get("returns", ())))
            for name, m in raw["methods"].items()
        }
        self.types: dict[str, TypeSpec] = {
            name: TypeSpec(name, _fields(t.get("fields")), tuple(t.get("subtypes", ())))
            for name, t in raw["types"].items()
        }
        self._by_lower = {name.lower(): spec for name, spec in self.methods.items()}

    def method(self, name: str) -> MethodSpec | None:
        """The method called ``name`` (any letter case), or None if the API has no such method."""
        return self._by_lower.get(name.lower())

    def type(self, name: str) -> TypeSpec | None:
        return self.types.get(name)

    def update_kinds(self) -> list[str]:
        """The optional fields of Update, i.e. the values allowed in ``allowed_updates``."""
        return [f for f in self.types["Update"].fields if f != "update_id"]


@lru_cache(maxsize=1)
def load_spec() -> ApiSpec:
    """The bundled Bot API specification (parsed once per process)."""
    text = resources.files(SPEC_PACKAGE).joinpath(SPEC_FILE).read_text(encoding="utf-8")
    return ApiSpec(json.loads(text))
