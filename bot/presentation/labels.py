"""The wording of buttons and outcomes, read once from templates/chat/labels.yaml, and the short
plain-text replies of the conversations (refusals, prompts, answers to a press), from
templates/chat/replies.yaml."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    text = resources.files("templates").joinpath("chat/labels.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return {section: {str(k): str(v) for k, v in (values or {}).items()} for section, values in data.items()}


def button(key: str, **values: str) -> str:
    """A button's text ("Disposisikan ke {target}" with target=...)."""
    return _labels()["buttons"][key].format(**values)


def outcome(key: str | None) -> str:
    """What a task's outcome is called ("Didisposisikan"); an unknown one shows as itself."""
    return _labels()["outcomes"].get(key or "", key or "")


def short_role(label: str) -> str:
    return _labels()["short_roles"].get(label, label)


def target(role_label: str | None) -> str:
    """Whom a "Disposisikan ke ..."/"Kirim ke ..." button names: the next step's role, short
    ("Kabag"), or "langkah berikutnya" when it has none."""
    return short_role(role_label) if role_label else _labels()["targets"]["next_step"]


def form_button(key: str, **values: object) -> str:
    """A form's or a report's button text ("Kirim laporan")."""
    return _labels()["forms"][key].format(**values)


def command(name: str, peran: str) -> str:
    """A command's description in `peran`'s menu (a role may word it its own way: "tugas.kepala_opd")."""
    commands = _labels()["commands"]
    return commands.get(f"{name}.{peran}") or commands[name]


@lru_cache(maxsize=1)
def _replies() -> dict[str, str]:
    text = resources.files("templates").joinpath("chat/replies.yaml").read_text(encoding="utf-8")
    return {str(k): str(v) for k, v in yaml.safe_load(text).items()}


def reply(key: str, **values: object) -> str:
    """A short plain-text sentence a conversation says ("Dibatalkan."); an unknown key fails."""
    return _replies()[key].format(**values)


def keys(section: str) -> frozenset[str]:
    return frozenset(_labels()[section])


def section(name: str) -> dict[str, str]:
    """A whole section of labels.yaml, by key (the status board's `board_steps`, `board_roles`)."""
    return dict(_labels()[name])


def label(section: str, key: str) -> str:
    """A label of another section of labels.yaml (the Surat Teguran's buttons: "teguran")."""
    return _labels()[section][key]
