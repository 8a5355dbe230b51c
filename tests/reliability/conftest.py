from __future__ import annotations

import logging

import pytest

from tests.e2e.conftest import OPDS, sim  # noqa: F401  (the same simulated deployment)

__all__ = ["OPDS", "sim"]


@pytest.fixture
def errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """ERROR records and records with a traceback, logged while the test runs."""
    caplog.set_level(logging.WARNING)

    class View(list):
        def __iter__(self):  # read at the end of the test: what was logged so far
            return iter([r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info])

        def __len__(self) -> int:
            return len(list(iter(self)))

        def __bool__(self) -> bool:
            return len(self) > 0

    return View()
