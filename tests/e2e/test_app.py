"""The application's edges: `run` against 409 Conflict and a bad token, the error handler,
and a token that never reaches the logs."""

from __future__ import annotations

import logging

import pytest

from bot.app import StopRunning, run
from bot.fakegram import FakeTelegram
from bot.logs import RedactToken, configure_logging
from bot.services.container import build_services
from bot.simulation import TOKEN


@pytest.fixture
def services(tmp_path):
    from bot.config import Settings
    from bot.storage.migrate import upgrade

    def make(double: FakeTelegram):
        settings = Settings(_env_file=None, bot_token=TOKEN, bot_api_url=double.base_url,
                            bot_file_url=double.base_file_url,
                            database_url=f"sqlite:///{tmp_path / 'app.db'}", data_dir=tmp_path / "data")
        svc = build_services(settings)
        upgrade(svc.db)
        return svc

    return make


async def test_a_second_poller_ends_run_with_one_clear_line(services):
    async with FakeTelegram(token=TOKEN) as double:
        double.conflict_on_get_updates = True
        with pytest.raises(StopRunning, match="409 Conflict"):
            await run(services(double), TOKEN)


async def test_an_invalid_token_ends_run_with_one_clear_line(services):
    async with FakeTelegram(token=TOKEN) as double:
        with pytest.raises(StopRunning, match="Token bot tidak sah"):
            await run(services(double), "999:SALAH")


async def test_an_unexpected_error_is_logged_and_the_user_told_briefly(sim, caplog, monkeypatch):
    def broken(telegram_id):
        raise RuntimeError("koneksi basis data terputus: password=rahasia")

    monkeypatch.setattr(sim.svc.cycles, "open_tasks_for", broken)
    with caplog.at_level(logging.ERROR, logger="bot.app"):
        await sim.say("kabag", "/tugas")
    text = sim.last_text("kabag")
    assert "terjadi gangguan" in text and "rahasia" not in text and "Traceback" not in text
    assert any("error while handling an update" in r.message for r in caplog.records)


def test_the_token_never_reaches_the_logs(capsys):
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    handler = logging.StreamHandler()
    root.handlers = [handler]
    try:
        configure_logging(TOKEN)
        assert any(isinstance(f, RedactToken) for f in handler.filters)
        assert logging.getLogger("httpx").level == logging.WARNING
        logging.getLogger("telegram.ext").warning("POST http://127.0.0.1/bot%s/getUpdates failed", TOKEN)
        err = capsys.readouterr().err
        assert TOKEN not in err and "bot<token>/getUpdates" in err
    finally:
        root.handlers, root.level = saved
