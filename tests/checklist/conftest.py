from tests.e2e.conftest import sim  # noqa: F401  (the Simulation fixture of the end-to-end tests)
