"""What every CLI module shares: one clear error line, the settings, the services. (In a module of
its own so that the sub-commands, e.g. bot/cli_sop.py, need not import bot/cli.py, which imports
them.)"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer

from bot.cli_words import say
from bot.config import Settings, SettingsError, load_settings
from bot.workflow import DomainError

T = TypeVar("T")


def fail(message: str) -> None:
    """Print the error line (templates/cli/output.yaml `common.failed`) and exit with code 1."""
    typer.secho(say("common.failed", message=message), err=True, fg=typer.colors.RED)
    raise typer.Exit(1)


def fail_as(key: str, /, **params: object) -> None:
    """`fail` with the line `key` of templates/cli/output.yaml."""
    fail(say(key, **params))


@contextmanager
def clear_errors() -> Iterator[None]:
    """Known errors become one line; anything else still shows a traceback (a bug to report)."""
    from sqlalchemy.exc import OperationalError

    from bot.sop import SopFileError

    try:
        yield
    except (SettingsError, SopFileError, DomainError, ValueError) as exc:
        fail(str(exc))
    except OperationalError as exc:
        fail_as("common.database_unusable", reason=str(exc.orig).splitlines()[0])


def settings() -> Settings:
    with clear_errors():
        return load_settings()
    raise AssertionError("unreachable")


def services(migrate: bool = True):  # type: ignore[no-untyped-def]
    from bot.services.container import build_services
    from bot.storage.migrate import upgrade

    with clear_errors():
        svc = build_services(settings())
        if migrate:
            upgrade(svc.db)
        return svc
    raise AssertionError("unreachable")


def call(use: Callable[[Any], T]) -> T:
    """Run one use-case on the services (`use(svc)`); a known error becomes one line."""
    svc = services()
    with clear_errors():
        return use(svc)
    raise AssertionError("unreachable")
