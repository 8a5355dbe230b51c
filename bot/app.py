"""The composition root: builds the Application, registers every handler and job, runs it."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import sys
from datetime import timedelta
from typing import Any

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, InvalidToken, TelegramError
from telegram.ext import (AIORateLimiter, Application, ApplicationBuilder, ContextTypes, Defaults,
                          ExtBot, JobQueue, TypeHandler, Updater)

from bot import messages
from bot.aiohttp_request import AiohttpRequest
from bot.presentation import labels
from bot.reply_retry import RetryingRateLimiter
from bot.services.container import Services
from bot.storage.lease import RENEW_SECONDS, AdvisoryLease, LeaseHeld, RowLease, run_lease
from bot.webapp import hooks as board
from bot.workflow import DomainError
from conversations.context import BotContext, install as install_services
from scheduler.dispatch import Dispatcher
from scheduler.sweep import Sweep

log = logging.getLogger(__name__)

#: Messages per second the outbox sends at most (Telegram allows about 30 per bot).
OUTBOX_RATE = 28

#: The menu of a chat before its user is known (its wording: labels.yaml `commands`).
DEFAULT_COMMANDS = [BotCommand(name, labels.label("commands", name)) for name in ("start", "bantuan")]


def build_application(svc: Services, *, token: str, jobs: bool = True, dispatch_interval: float = 2.0,
                      queue_gap: timedelta = Dispatcher.QUEUE_GAP) -> Application:
    """The bot: handlers, error handler and (when `jobs`) the sweep and the outbox dispatcher
    (`queue_gap`: scheduler.dispatch.Dispatcher.QUEUE_GAP)."""
    from conversations import (acting, alerts, antrian, checklist, cycle, drafting, fallback, guard, notes,
                               official_letter, on_behalf, onboarding, reassign, recap, submission, tasks,
                               teguran, verify)

    settings = svc.settings
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.bot_api_url)
        .base_file_url(settings.bot_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz))
        # Replies to the person who acted are not throttled here (Telegram's 30/s is per bot, but
        # these are a few per update); the outbox, which broadcasts, has a bot of its own below.
        # They are retried on transient errors (bot/reply_retry.py), as they bypass the outbox.
        .rate_limiter(RetryingRateLimiter(overall_max_rate=0, max_retries=2))
        .request(AiohttpRequest())  # bot/aiohttp_request.py: half the event loop's CPU was httpx
        .get_updates_request(AiohttpRequest(connection_pool_size=1))
        .context_types(ContextTypes(context=BotContext))
        .build()
    )
    install_services(application, svc)
    application.add_handler(guard.build_handler(), group=-1)
    for handler in [
        *onboarding.build_handlers(),
        notes.build_handler(),
        *checklist.build_handlers(),
        drafting.build_handler(),
        submission.build_handler(),
        on_behalf.build_handler(),
        official_letter.build_handler(),
        acting.build_handler(),
        reassign.build_handler(),
        *tasks.build_handlers(),
        *antrian.build_handlers(),
        *cycle.build_handlers(),
        *recap.build_handlers(),
        *alerts.build_handlers(),
        *verify.build_handlers(),
        *teguran.build_handlers(),
        *fallback.build_handlers(),
    ]:
        application.add_handler(handler)
    application.add_error_handler(_on_error)
    dispatcher, sweep = Dispatcher(svc, outbox_bot(svc, token), queue_gap=queue_gap), Sweep(svc)
    application.bot_data["dispatcher"] = dispatcher
    if jobs:
        queue = job_queue(application)
        queue.run_repeating(dispatcher.dispatch_job, interval=dispatch_interval, first=0.5, name="outbox_dispatch")

        async def deliver_now(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
            """When this process wrote outbox rows since the dispatcher last claimed (this update,
            or a sweep before it), deliver them now instead of at the next tick."""
            if dispatcher.has_news():
                context.application.create_task(dispatcher.dispatch_job(context))

        application.add_handler(TypeHandler(Update, deliver_now), group=100)
        queue.run_repeating(sweep.sweep_job, interval=settings.sweep_seconds, first=1, name="deadline_sweep")
    return application


def job_queue(application: Application[Any, Any, Any, Any, Any, Any]) -> JobQueue[Any]:
    """The Application's job queue (python-telegram-bot[job-queue], a dependency)."""
    if application.job_queue is None:
        raise RuntimeError("python-telegram-bot was installed without its job queue ([job-queue])")
    return application.job_queue


def updater(application: Application[Any, Any, Any, Any, Any, Any]) -> Updater:
    """The Application's updater (ApplicationBuilder always makes one unless told not to)."""
    if application.updater is None:
        raise RuntimeError("the Application was built without an updater")
    return application.updater


def outbox_bot(svc: Services, token: str) -> ExtBot:
    """The bot the outbox sends with: a margin under Telegram's 30 messages/s, 429s retried, and
    a send timeout (ESAKIP_SEND_TIMEOUT_SECONDS) that Telegram's latency does not reach."""
    timeout = svc.settings.send_timeout_seconds
    request = AiohttpRequest(connect_timeout=min(timeout, 10.0), read_timeout=timeout, write_timeout=timeout,
                             pool_timeout=timeout)
    return ExtBot(token, base_url=svc.settings.bot_api_url, base_file_url=svc.settings.bot_file_url,
                  defaults=Defaults(parse_mode=ParseMode.HTML, tzinfo=svc.settings.tz), request=request,
                  rate_limiter=AIORateLimiter(overall_max_rate=OUTBOX_RATE, max_retries=2))


async def open_application(application: Application) -> None:
    """Initialise the Application and the outbox's bot, and set the default command menu.

    (PTB runs post_init/post_shutdown only inside run_polling; we start and stop ourselves.)"""
    try:
        await application.initialize()
    except InvalidToken:
        # PTB skips shutdown of a bot that never finished initialising; close its HTTP clients.
        for bot in (application.bot, application.bot_data["dispatcher"].bot):
            for request in bot._request:  # noqa: SLF001
                await request.shutdown()
        raise
    await application.bot_data["dispatcher"].bot.initialize()
    await application.bot.set_my_commands(DEFAULT_COMMANDS)


async def close_application(application: Application) -> None:
    await application.shutdown()
    await application.bot_data["dispatcher"].bot.shutdown()


async def _on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error; tell the user briefly, without internals: as an alert on a press, or in
    the chat when the handler had already answered the press ("disiapkan…" before an export)."""
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            if update.callback_query is not None:
                with contextlib.suppress(BadRequest):  # Telegram refuses a second answer
                    await update.callback_query.answer(labels.reply("error_alert"), show_alert=True)
                    return
            await context.bot.send_message(update.effective_chat.id, messages.render("error"))
        except TelegramError:
            log.warning("could not tell the user about the error")


def freeze_startup_heap() -> None:
    """Keep what start-up built (modules, handlers, ORM mappers: about 120,000 objects that live
    as long as the process) out of the garbage collector's full passes, which walked them all
    and stopped the event loop for 50-95 ms once in every 10-second run of bench_updates.py."""
    gc.collect()
    gc.freeze()


#: How long (seconds) a thread may keep the interpreter while another waits for it (CPython's
#: default is 5 ms). Whenever a worker thread computes (a status board rebuild, the dispatcher's
#: claims, a sweep) and the event loop wakes for a reply from Telegram, the loop waited up to the
#: whole interval before it could go on, at each wake: an update that sends three messages could
#: lose 15 ms that way (docs/BENCHMARKS.md, "2026-12-02 (session 5)").
SWITCH_INTERVAL = 0.001


def share_interpreter_finely() -> None:
    """Let the event loop have the interpreter back within SWITCH_INTERVAL of asking."""
    sys.setswitchinterval(SWITCH_INTERVAL)


class StopRunning(DomainError):
    """Raised to end `run` with one clear line: a code of templates/errors/run.yaml."""


#: A 409 Conflict this soon after polling began means this process is the newcomer: it gives up.
#: Later, another instance started with the same token: this one backs off and goes on. (Telegram
#: answers 409 to the *older* poller first; the newcomer's own 409 follows when the older one polls
#: again, which python-telegram-bot does after 1 second.)
NEWCOMER_SECONDS = 5.0


async def hold_lease(svc: Services, lease: RowLease | AdvisoryLease, lost: asyncio.Event) -> None:
    """Renew the lease every RENEW_SECONDS; set `lost` when another process has taken it."""
    while True:
        await asyncio.sleep(RENEW_SECONDS)
        try:
            if not await asyncio.to_thread(lease.renew, svc.clock.now()):
                lost.set()
                return
        except Exception as exc:  # noqa: BLE001  (the database is away: try again next time)
            log.warning("could not renew the lease: %s", str(exc).splitlines()[0])


async def run(svc: Services, token: str) -> None:
    """Long polling until SIGINT/SIGTERM. A second `run` on the same database refuses before it
    polls; a 409 Conflict ends a newcomer and only makes a serving process back off; an invalid
    token ends it cleanly."""
    lease = run_lease(svc.db)
    try:
        await asyncio.to_thread(lease.acquire, svc.clock.now())
    except LeaseHeld as exc:
        raise StopRunning("run.second_run", who=str(exc)) from None
    try:
        for line in await asyncio.to_thread(sop_drift, svc):
            log.warning("%s", line)
        await _serve(svc, token, lease)
    finally:
        await asyncio.to_thread(_release_quietly, lease)


def sop_drift(svc: Services) -> list[str]:
    """One line per open cycle that runs on an older text of its SOP file than the one loaded
    ("Siklus 3 berjalan dengan SOP versi 1; berkas SOP kini versi 2")."""
    if svc.catalog is None:
        return []
    with svc.db.transaction(write=False) as s:
        return [d.text for d in svc.catalog.drift(s)]


def _release_quietly(lease: RowLease | AdvisoryLease) -> None:
    try:
        lease.release()
    except Exception as exc:  # noqa: BLE001  (it expires by itself)
        log.warning("could not release the lease: %s", str(exc).splitlines()[0])


async def _serve(svc: Services, token: str, lease: RowLease | AdvisoryLease) -> None:
    application = build_application(svc, token=token)
    stop = asyncio.Event()
    reason: list[StopRunning] = []
    loop = asyncio.get_running_loop()
    polling_since: list[float] = []

    def on_poll_error(error: TelegramError) -> None:
        if isinstance(error, InvalidToken):
            reason.append(StopRunning("run.token_invalid"))
            stop.set()
        elif isinstance(error, Conflict) and "webhook" in error.message.lower():
            reason.append(StopRunning("run.webhook_active"))
            stop.set()
        elif isinstance(error, Conflict) and loop.time() - polling_since[0] < NEWCOMER_SECONDS:
            reason.append(StopRunning("run.conflict"))
            stop.set()
        elif isinstance(error, Conflict):
            log.warning("another process polled with this token (409 Conflict); backing off and "
                        "going on. Only one `esakip-bot run` per token may run: stop the other one.")
        else:
            log.warning("polling error: %s", error)

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await open_application(application)
    except InvalidToken:
        raise StopRunning("run.token_rejected") from None
    lost = asyncio.Event()
    renewing = asyncio.create_task(hold_lease(svc, lease, lost))
    lost_wait = asyncio.create_task(lost.wait())
    try:
        polling_since.append(loop.time())
        await updater(application).start_polling(error_callback=on_poll_error, drop_pending_updates=False,
                                                timeout=timedelta(seconds=30))
        await application.start()
        freeze_startup_heap()
        share_interpreter_finely()
        async with board.running(application, svc, token):  # the status board (bot/webapp), when set
            log.info("the bot is running; press Ctrl+C to stop")
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait([stopping, lost_wait], return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
        if lost.is_set():
            reason.append(StopRunning("run.lease_lost"))
    finally:
        renewing.cancel()
        lost_wait.cancel()
        if updater(application).running:
            await updater(application).stop()
        if application.running:
            await application.stop()
        await close_application(application)
    if reason:
        raise reason[0]
