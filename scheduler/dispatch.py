"""The outbox dispatcher: sends what the services wrote, with retries, once per row.

Delivery is at least once, and the window for a second copy is as small as we can make it:
each row is marked sent in its own transaction the moment Telegram's answer arrives (never per
batch), and a send waits for its answer longer than Telegram is ever seen to take (the setting
`ESAKIP_SEND_TIMEOUT_SECONDS`, raised to three times the slowest answer seen), so a send that
times out is retried only with a timeout longer than any latency seen. Only a message whose
answer is lost (the process killed, or the connection cut, between Telegram accepting it and
that commit) can arrive twice: at most one per such failure and dispatcher.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.exc import DBAPIError
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ContextTypes

from bot.presentation.keyboards import markup
from bot.services.antrian_notifier import TOPIC as QUEUE_TOPIC
from bot.services.container import Services
from bot.services.outbox import TOPIC as OUTBOX_TOPIC, Delivery
from bot.storage.lease import process_holder
from bot.telegram_errors import ApiErrorKind, classify

log = logging.getLogger(__name__)


class Dispatcher:
    BATCH = 100
    #: Latencies remembered for the timeout (the slowest of these counts), and the cap.
    LATENCY_WINDOW = 200
    MAX_TIMEOUT = 300.0
    #: The least time between two refreshes of the Tim SAKIP queue messages. A burst of receipts
    #: then costs one render and one edit per member every few seconds instead of one per press
    #: (Telegram also slows a bot that edits one message more than about once a second).
    QUEUE_GAP = timedelta(seconds=3)

    def __init__(self, svc: Services, bot: Bot | None = None, *, queue_gap: timedelta = QUEUE_GAP) -> None:
        self.svc = svc
        self.bot = bot  # the outbox's own rate-limited bot, when it has one
        self.queue_gap = queue_gap
        self._queues_refreshed: datetime | None = None  # the clock when the queues were last refreshed
        self._running = asyncio.Lock()
        self._seen = -1  # Database.commits(OUTBOX_TOPIC) when this dispatcher last claimed
        self._queues_seen = -1  # Database.commits(QUEUE_TOPIC) when it last refreshed the queues
        self._queues_failed = False  # the last refresh raised: the next run tries again
        self._latencies: deque[float] = deque(maxlen=self.LATENCY_WINDOW)
        self.holder = process_holder()
        self._claim_failed = False

    def has_news(self) -> bool:
        """Whether this process wrote outbox rows since the last claim, or marked a Tim SAKIP
        queue stale since the last refresh and may refresh it now (cheap: no query)."""
        return self.svc.db.commits(OUTBOX_TOPIC) != self._seen or self._queues_due()

    def _queues_due(self) -> bool:
        """A queue was marked stale (or the last refresh failed) and the gap since the last
        refresh has passed; until it has, the marks wait (the next tick or update looks again)."""
        if self.svc.db.commits(QUEUE_TOPIC) == self._queues_seen and not self._queues_failed:
            return False
        last, now = self._queues_refreshed, self.svc.clock.now()
        return last is None or not last <= now < last + self.queue_gap  # a clock set back: due

    @property
    def timeout(self) -> float:
        """Seconds to wait for one answer: the setting, or three times the slowest answer seen
        lately when that is longer, so a timeout (and the retry after it) means an answer lost,
        not a slow one."""
        slowest = max(self._latencies, default=0.0)
        return min(max(self.svc.settings.send_timeout_seconds, 3 * slowest), self.MAX_TIMEOUT)

    @property
    def lease(self) -> timedelta:
        """How long a claimed row stays this dispatcher's: longer than any one send can take."""
        return timedelta(seconds=max(60.0, 3 * self.timeout + 10))

    async def dispatch_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Send until nothing is due, one run at a time in this process (a run already going
        picks up what was written meanwhile, so a second one just returns)."""
        if self._running.locked():
            return
        async with self._running:
            while await self.run_once(self.bot or context.bot) == self.BATCH or self.has_news():
                if self._claim_failed:
                    return  # the database is away: the next tick tries again

    async def _record(self, work, *args):  # type: ignore[no-untyped-def]
        """A unit of work off the event loop, run again if the database connection was lost."""
        return await asyncio.to_thread(self.svc.db.retrying, work, *args)

    async def run_once(self, bot: Bot, limit: int = BATCH) -> int:
        """Bring the stale queues up to date, then send one batch of due rows; returns how many
        rows were attempted."""
        await self._refresh_queues()
        written = self.svc.db.commits(OUTBOX_TOPIC)  # read before the claim, which sees these rows
        try:
            deliveries = await self._record(self.svc.outbox.claim, self.svc.clock.now(), limit, self.holder,
                                            self.lease)
        except DBAPIError as exc:  # the database is away: the next run tries again
            log.warning("outbox claim failed: %s", str(exc.orig).splitlines()[0])
            self._claim_failed = True
            return 0
        self._claim_failed = False
        self._seen = written  # only once claimed: a failed claim leaves the news for the next run
        leased = self.svc.clock.now()  # the claim's lease runs from about here
        for delivery in deliveries:
            if await self._still_ours(delivery, leased):
                await self._deliver(bot, delivery)
        return len(deliveries)

    async def _still_ours(self, delivery: Delivery, leased: datetime) -> bool:
        """Whether the row is still this dispatcher's to send. Within the first half of the
        claim's lease no other dispatcher can have it (a lease is taken over only once it ran
        out, or from a holder that is dead); later in a long batch, the lease is renewed in the
        database first, and a row another dispatcher took meanwhile is left to it."""
        now = self.svc.clock.now()
        if leased <= now < leased + self.lease / 2:
            return True
        return bool(await self._record(self.svc.outbox.take, delivery.id, now, self.holder, self.lease))

    async def _refresh_queues(self) -> None:
        """The queues transitions marked stale, rendered once however many touched them since
        (at start, `_queues_seen` is -1: what a stopped process left is refreshed too), at
        most once per `queue_gap`."""
        if not self._queues_due():
            return
        self._queues_seen, self._queues_refreshed = self.svc.db.commits(QUEUE_TOPIC), self.svc.clock.now()
        try:
            await self._record(self.svc.antrian.refresh_stale)
            self._queues_failed = False
        except Exception:  # noqa: BLE001  (a queue message never holds up the rest of the outbox)
            log.exception("queue refresh failed; it is tried again at the next run")
            self._queues_failed = True

    async def _deliver(self, bot: Bot, d: Delivery) -> None:
        store, now, record = self.svc.outbox, self.svc.clock.now, self._record
        loop = asyncio.get_running_loop()
        timeout = self.timeout
        started = loop.time()
        try:
            message_id, file_id = await self._send(bot, d, timeout)
        except RetryAfter as exc:
            retry = exc.retry_after
            seconds = retry.total_seconds() if hasattr(retry, "total_seconds") else float(retry)
            await record(store.mark_retry, d.id, now(), f"429: {exc.message}", seconds)
        except Forbidden as exc:
            await record(store.mark_failed, d.id, f"403: {exc.message}")
            await record(store.mark_unreachable, d.chat_id, now())
        except BadRequest as exc:
            if classify(exc) is ApiErrorKind.NOT_MODIFIED:
                await record(store.mark_sent, d.id, now(), d.edit_message_id)
            elif d.kind == "edit" and classify(exc) is ApiErrorKind.MESSAGE_GONE:
                await record(store.mark_cancelled, d.id, "pesan sudah dihapus")  # nothing left to edit
                if d.purpose == "antrian":  # a deleted queue message comes back as a new one
                    await record(self.svc.antrian.lost, d.id)
            else:
                log.warning("outbox %s rejected: %s", d.id, exc.message)
                await record(store.mark_failed, d.id, f"400: {exc.message}", now())
        except TimedOut as exc:
            # The answer did not come within a timeout longer than any answer seen: presumably
            # lost with its request, so it is sent again (at least once).
            log.warning("outbox %s: no answer within %.0f s; will retry", d.id, timeout)
            await record(store.mark_retry, d.id, now(), f"TimedOut after {timeout:.0f} s: {exc.message}")
        except (NetworkError, TelegramError) as exc:  # 5xx and dropped connections are NetworkErrors
            await record(store.mark_retry, d.id, now(), f"{type(exc).__name__}: {exc.message}")
        else:
            self._latencies.append(loop.time() - started)
            if message_id is None and d.kind == "edit":
                await record(store.mark_cancelled, d.id, "pesan sumber tidak terkirim")
                return
            await record(store.mark_sent, d.id, now(), message_id)  # first: the answer is here
            if file_id is not None:
                await record(self.svc.documents.remember_telegram_file, d.payload["document_id"], file_id)

    async def _send(self, bot: Bot, d: Delivery, timeout: float) -> tuple[int | None, str | None]:
        """Send one row; (message id, file id to remember for a document uploaded now)."""
        payload = d.payload
        if d.kind == "message":
            sent = await bot.send_message(d.chat_id, payload["text"], parse_mode=ParseMode.HTML,
                                          reply_markup=markup(payload.get("reply_markup")),
                                          read_timeout=timeout, write_timeout=timeout)
            return sent.message_id, None
        if d.kind == "edit":
            if d.edit_message_id is None:
                return None, None
            if payload.get("caption") is True:  # a document message (the letter with its button)
                await bot.edit_message_caption(chat_id=d.chat_id, message_id=d.edit_message_id,
                                               caption=payload["text"], parse_mode=ParseMode.HTML,
                                               reply_markup=markup(payload.get("reply_markup")),
                                               read_timeout=timeout, write_timeout=timeout)
            else:
                await bot.edit_message_text(payload["text"], chat_id=d.chat_id, parse_mode=ParseMode.HTML,
                                            message_id=d.edit_message_id,
                                            reply_markup=markup(payload.get("reply_markup")),
                                            read_timeout=timeout, write_timeout=timeout)
            return d.edit_message_id, None
        if d.kind == "document":
            return await self._send_document(bot, d, timeout)
        raise ValueError(f"unknown outbox kind {d.kind!r}")

    async def _send_document(self, bot: Bot, d: Delivery, timeout: float) -> tuple[int, str | None]:
        doc = self.svc.documents.file_of(d.payload["document_id"])
        file_id, filename = doc.telegram_file_id, doc.filename
        document = file_id or Path(doc.path).read_bytes()
        sent = await bot.send_document(
            d.chat_id, document, filename=None if file_id else filename,
            caption=d.payload.get("caption"), parse_mode=ParseMode.HTML,
            reply_markup=markup(d.payload.get("reply_markup")), read_timeout=timeout, write_timeout=timeout,
        )
        uploaded = sent.document.file_id if not file_id and sent.document is not None else None
        return sent.message_id, uploaded
