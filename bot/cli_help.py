"""`esakip-bot --help` in one language: typer's frame (the usage line, the panel titles, the
help option, the kinds of values) in Indonesian, as templates/cli/help.yaml words it, like the
commands' own texts. Every app of the command line is a `Cli`, whose groups and commands are
ours."""

from __future__ import annotations

import re
from typing import Any

import typer
import typer.rich_utils as rich_utils
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from bot import cli_words


def words() -> dict[str, Any]:
    return cli_words.words("help")


def _frame() -> None:
    """typer's panel titles and notes (module settings it reads when it renders help)."""
    w = words()
    for name, key in (("OPTIONS_PANEL_TITLE", "options"), ("ARGUMENTS_PANEL_TITLE", "arguments"),
                      ("COMMANDS_PANEL_TITLE", "commands"), ("REQUIRED_LONG_STRING", "required"),
                      ("DEFAULT_STRING", "default"), ("ENVVAR_STRING", "envvar"),
                      ("DEPRECATED_STRING", "deprecated"), ("ERRORS_PANEL_TITLE", "error"),
                      ("ABORTED_TEXT", "aborted"), ("RICH_HELP", "try_help")):
        setattr(rich_utils, name, w[key])


def _value_kinds(command: Any, ctx: Any) -> None:
    """Name the kind of value each option takes in Indonesian ("<angka>"); a flag takes none."""
    kinds = words()["types"]
    for param in command.get_params(ctx):
        if isinstance(param, TyperArgument):  # its name is its metavar; typer shows its type apart
            bare = param.display_type(ctx).strip("<>")
            label = f"<{kinds.get(bare, bare)}>"
            param.display_type_rich = lambda ctx, label=label: label  # type: ignore[method-assign, misc]
            continue
        if not isinstance(param, TyperOption) or param.metavar is not None:
            continue
        if param.is_flag:
            param.metavar = ""
            continue
        bare = param.display_type(ctx).strip("<>")
        param.metavar = f"<{kinds.get(bare, bare)}>"


class _Indonesian:
    """The usage line and the help option of a command or group, in Indonesian."""

    __slots__ = ()

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=words()["usage"])

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = words()["help_option"]
        return option

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)  # type: ignore[misc]
        except typer.TyperException as exc:  # a usage error (typer exports no narrower class)
            raise _translated(exc) from None

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _value_kinds(self, ctx)
        super().format_help(ctx, formatter)  # type: ignore[misc]


class IndonesianCommand(_Indonesian, TyperCommand):
    __slots__ = ()


class IndonesianGroup(_Indonesian, TyperGroup):
    __slots__ = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _frame()
        self.subcommand_metavar = words()["subcommand_metavar"]


    def resolve_command(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().resolve_command(*args, **kwargs)
        except typer.TyperException as exc:  # a usage error (typer exports no narrower class)
            raise _translated(exc) from None


def _translated(exc: typer.TyperException) -> typer.TyperException:
    """The usage error worded in Indonesian (templates/cli/help.yaml `errors`), when it is one
    of the known ones."""
    english = exc.format_message()
    for pattern, indonesian in words()["errors"]:
        if re.match(pattern, english):
            text = re.sub(pattern, indonesian, english)
            exc.format_message = lambda: text  # type: ignore[method-assign, misc]
            break
    return exc


class Cli(typer.Typer):
    """A typer app whose groups and commands have the Indonesian frame: every app of the
    command line is one (`Cli(help=...)` in bot/cli*.py)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", IndonesianGroup)
        kwargs.setdefault("options_metavar", words()["options_metavar"])
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs.setdefault("cls", IndonesianCommand)
        return super().command(*args, **kwargs)
