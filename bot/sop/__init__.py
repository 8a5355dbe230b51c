"""The SOP as data: frozen definitions loaded and validated from YAML."""

from bot.sop.definition import SopDefinition, StepDefinition, StepKind
from bot.sop.loader import SopFileError, load_sop, load_sops, parse_sop, sop_paths

__all__ = ["SopDefinition", "StepDefinition", "StepKind", "SopFileError", "load_sop", "load_sops", "parse_sop", "sop_paths"]
