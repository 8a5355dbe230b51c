"""The application's edges: `run` against 409 Conflict and a bad token, the error handler,
and a token that never reaches the logs."""

from __future__ import annotations

import logging

import pytest

from bot.app import StopRunning, run
from bot.fakegram import FakeTelegram
from bot.logs import RedactToken, configure_logging
from bot.services.container import build_services
from bot.services.directory import bundled_opd
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


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT"])
async def test_run_stops_cleanly_on_a_signal(tmp_path, sig):
    import asyncio
    import os
    import signal
    import sys
    from pathlib import Path

    async with FakeTelegram(token=TOKEN) as double:
        env = {**os.environ, "ESAKIP_BOT_TOKEN": TOKEN, "ESAKIP_BOT_API_URL": double.base_url,
               "ESAKIP_BOT_FILE_URL": double.base_file_url,
               "ESAKIP_DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}", "ESAKIP_DATA_DIR": str(tmp_path)}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", "from bot.cli import main; main()", "run", env=env,
            cwd=Path(__file__).parents[2], stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        try:
            # polling has begun once the webhook was deleted (the first getUpdates is a long poll)
            await double.wait_for(lambda: double.stats.methods["deleteWebhook"] >= 1, timeout=30)
            await asyncio.sleep(1.0)
            process.send_signal(getattr(signal, sig))
            out, err = await asyncio.wait_for(process.communicate(), timeout=30)
        finally:
            if process.returncode is None:  # never leave a bot process behind
                process.kill()
                await process.wait()
    assert process.returncode == 0, err.decode()
    assert b"Traceback" not in err
    assert TOKEN.encode() not in err + out


async def test_a_timed_out_send_is_retried_and_delivered_once(sim):
    from sqlalchemy import select
    from telegram import Bot
    from telegram.request import HTTPXRequest

    from bot.storage import models as m
    from bot.workflow import ActionKind

    await sim.say("sekda", "/mulai 2026")
    sim.double.timeout_delay = 2.0
    sim.double.inject("sendMessage", "timeout", times=1, chat_id=sim.tg("asisten"))
    task = sim.svc.cycles.open_tasks_for(sim.tg("sekda"))[0]
    sim.svc.cycles.act(sim.tg("sekda"), task.id, ActionKind.FORWARD)  # the outbox holds the message
    sim.svc.settings.send_timeout_seconds = 0.5  # shorter than the double holds the answer back
    impatient = Bot(TOKEN, base_url=sim.double.base_url, base_file_url=sim.double.base_file_url,
                    request=HTTPXRequest(read_timeout=0.5))
    async with impatient:
        dispatcher = sim.app.bot_data["dispatcher"]
        await dispatcher.run_once(impatient)
        with sim.svc.db.transaction(write=False) as s:
            row = s.scalars(select(m.Outbox).where(m.Outbox.chat_id == sim.tg("asisten"))).one()
            assert (row.status, row.attempts) == ("pending", 1) and "TimedOut" in row.last_error
        sim.advance(minutes=5)
        await dispatcher.run_once(impatient)
        await sim.double.wait_idle(timeout=10)
    texts = [x.plain_text for x in sim.messages("asisten") if "Langkah 2 dari 12" in x.plain_text]
    assert len(texts) == 1


async def test_messages_to_others_leave_right_after_the_update(services):
    """With the jobs on, what an update wrote to the outbox is delivered at once, not at the
    next dispatcher tick (here there is none); an update that wrote nothing starts no run."""
    from datetime import timedelta

    from bot.app import build_application, close_application, open_application

    async with FakeTelegram(token=TOKEN) as double:
        svc = services(double)
        svc.directory.import_opd(bundled_opd()[:2])
        svc.directory.add_user(1001, "Sekda", "sekda")
        double.add_user(1001, first_name="Sekda")
        app = build_application(svc, token=TOKEN, jobs=True, dispatch_interval=3600)
        for tick in app.job_queue.get_jobs_by_name("outbox_dispatch"):
            tick.schedule_removal()  # so that only the run after the update can deliver
        double.watch(app)
        await open_application(app)
        await app.start()
        assert not app.job_queue.get_jobs_by_name("outbox_dispatch")
        await app.updater.start_polling(poll_interval=0, timeout=timedelta(seconds=1))
        claims = []
        claim = svc.outbox.claim
        svc.outbox.claim = lambda *a, **k: claims.append(1) or claim(*a, **k)
        try:
            await double.send_text(1001, "/mulai 2026")
            found = await double.wait_for(
                lambda: any("Langkah 1 dari 12" in m.plain_text for m in double.messages_for(1001)),
                timeout=10)
            assert found
            await double.wait_idle(timeout=10)
            after_mulai = len(claims)
            await double.send_text(1001, "/tugas")  # writes nothing to the outbox
            await double.wait_idle(timeout=10)
            assert len(claims) == after_mulai  # so no dispatcher run, no write transaction
        finally:
            await app.updater.stop()
            await app.stop()
            await close_application(app)
        double.assert_no_violations()


async def test_an_error_after_a_press_was_answered_is_said_in_the_chat(sim, monkeypatch):
    """Telegram refuses a second answer to a press; the error reply then goes to the chat."""
    from conversations import tasks

    async def answered_then_broken(update, context, task_id, action):  # type: ignore[no-untyped-def]
        await update.callback_query.answer("Sedang diproses…")
        raise RuntimeError("the service failed after the press was answered")

    monkeypatch.setattr(tasks, "act", answered_then_broken)
    await sim.say("sekda", "/mulai 2026")
    await sim.press("sekda", "Disposisikan ke Asisten")
    assert "terjadi gangguan" in sim.last_text("sekda") and "service failed" not in sim.last_text("sekda")
    # the one refused request is the error alert on the already answered press, as Telegram does
    assert sim.double.violations == ["answerCallbackQuery: Bad Request: query is too old and response "
                                     "timeout expired or query ID is invalid"]
    sim.double.violations.clear()
