"""Which SOP file a command means: `--sop NAME` among the files the settings name, or `--file`.

`ESAKIP_SOP_FILE` names one file, several (commas), or a folder, read as the bot reads it
(`bot.sop.sop_paths`); unset, the bundled E-SAKIP SOP. A SOP is named by its `name` in the
file or by the file's stem (with or without the "sop-" prefix). A name the settings do not hold is looked up among the
SOP files bundled with the bot (`bot/data/sop-*.yaml`), so that each can be printed as is.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from bot.services.errors import InvalidInput
from bot.sop import SopDefinition, load_sop, sop_paths


def configured_files(setting: object) -> list[Path | None]:
    """The SOP files the setting names, as the bot reads them (`bot.sop.sop_paths`); None
    stands for the bundled SOP when the setting is empty."""
    paths = sop_paths(str(setting) if setting not in (None, "") else None)
    return list(paths) if paths else [None]


def _names(path: Path | None, sop: SopDefinition) -> set[str]:
    names = {sop.name.lower()}
    if path is not None:
        names |= {path.stem.lower(), path.stem.lower().removeprefix("sop-")}
    return names


def choose(settings: object, name: str | None, file: Path | None) -> tuple[Path | None, SopDefinition]:
    """The file and its definition; InvalidInput (sop.choose_*) when none fits or the name is needed."""
    if file is not None:
        return file, load_sop(file)
    setting = getattr(settings, "sop_file", None)
    loaded = [(path, load_sop(path)) for path in configured_files(setting)]
    if name is None:
        if len(loaded) == 1:
            return loaded[0]
        raise InvalidInput("sop.choose_among", names=[s.name for _, s in loaded])
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
    raise InvalidInput("sop.choose_unknown", name=name, names=names)


def bundled_files() -> list[Path]:
    """The SOP files that come with the bot."""
    return sorted(Path(str(resources.files("bot.data"))).glob("sop-*.yaml"))
