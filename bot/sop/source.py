"""Reading an SOP file's YAML: YAML 1.2 booleans, and the line each key and list item stands on
(so an error names the line the administrator must fix)."""

from __future__ import annotations

import re
from typing import Any

import yaml

#: A place in the file: the keys and list indexes from the top ("steps", 3, "waktu").
Path = tuple[str | int, ...]


class Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true/false. (YAML 1.1 would read the seed's column "no" as False.)"""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def read(text: str) -> tuple[Any, dict[Path, int]]:
    """The file's data and the line (from 1) of every key and list item; yaml.YAMLError when
    the text is not YAML."""
    data = yaml.load(text, Loader=Yaml12Loader)  # noqa: S506 (a SafeLoader)
    lines: dict[Path, int] = {}
    root = yaml.compose(text, Loader=Yaml12Loader)  # noqa: S506
    if root is not None:
        _walk(root, (), lines)
    return data, lines


def _walk(node: yaml.Node, path: Path, lines: dict[Path, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            here = (*path, str(key.value))
            lines.setdefault(here, key.start_mark.line + 1)
            _walk(value, here, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            here = (*path, index)
            lines.setdefault(here, item.start_mark.line + 1)
            _walk(item, here, lines)


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of `path`, or of the nearest enclosing key that is in the file (a missing
    field: the line of its step)."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None
