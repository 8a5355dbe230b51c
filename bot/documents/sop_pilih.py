"""Which SOP file a command means: `--sop NAME` among the files the settings name, or `--file`.

`ESAKIP_SOP_FILE` names one file today (none: the bundled E-SAKIP SOP); a folder, or several
files separated by commas or the path separator, are read too, so that a deployment with more
than one SOP works the same. A SOP is named by its `name` in the file or by the file's stem
(with or without the "sop-" prefix). A name the settings do not hold is looked up among the
SOP files bundled with the bot (`bot/data/sop-*.yaml`), so that each can be printed as is.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from bot.sop import SopDefinition, load_sop


def configured_files(setting: object) -> list[Path | None]:
    """The SOP files the setting names (None: the bundled SOP)."""
    if setting is None or setting == "":
        return [None]
    values = setting if isinstance(setting, (list, tuple)) else [setting]
    files: list[Path | None] = []
    for value in values:
        for part in str(value).replace(",", os.pathsep).split(os.pathsep):
            path = Path(part.strip())
            if not part.strip():
                continue
            if path.is_dir():
                files += sorted(p for p in path.glob("*.yaml") if p.is_file())
            else:
                files.append(path)
    return files or [None]


def _names(path: Path | None, sop: SopDefinition) -> set[str]:
    names = {sop.name.lower()}
    if path is not None:
        names |= {path.stem.lower(), path.stem.lower().removeprefix("sop-")}
    return names


def choose(settings: object, name: str | None, file: Path | None) -> tuple[Path | None, SopDefinition]:
    """The file and its definition; ValueError (one line, Indonesian) when none fits."""
    if file is not None:
        return file, load_sop(file)
    setting = getattr(settings, "sop_files", None) or getattr(settings, "sop_file", None)
    loaded = [(path, load_sop(path)) for path in configured_files(setting)]
    if name is None:
        if len(loaded) == 1:
            return loaded[0]
        raise ValueError("ada lebih dari satu SOP; pilih dengan --sop: " + ", ".join(s.name for _, s in loaded))
    wanted = name.strip().lower()
    for path, sop in loaded:
        if wanted in _names(path, sop):
            return path, sop
    known = {sop.name for _, sop in loaded}
    bundled = [(path, load_sop(path)) for path in bundled_files()]
    bundled = [(path, sop) for path, sop in bundled if sop.name not in known]
    for path, sop in bundled:
        if wanted in _names(path, sop):
            return path, sop
    names = [sop.name for _, sop in loaded + bundled]
    raise ValueError(f"SOP '{name}' tidak dikenal; SOP yang tersedia: " + ", ".join(names))


def bundled_files() -> list[Path]:
    """The SOP files that come with the bot."""
    return sorted(Path(str(resources.files("bot.data"))).glob("sop-*.yaml"))
