"""The outbox dispatcher: sends what the services wrote, with retries, once per row."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from sqlalchemy import update
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from bot.services.container import Services
from bot.services.outbox import TOPIC as OUTBOX_TOPIC, Delivery
from bot.storage import models as m
from bot.telegram_errors import ApiErrorKind, classify

log = logging.getLogger(__name__)


def markup(data: dict | None) -> InlineKeyboardMarkup | None:
    rows = (data or {}).get("inline_keyboard") or []
    if not rows:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(**button) for button in row] for row in rows])


class Dispatcher:
    BATCH = 100

    def __init__(self, svc: Services, bot: Bot | None = None) -> None:
        self.svc = svc
        self.bot = bot  # the outbox's own rate-limited bot, when it has one
        self._running = asyncio.Lock()
        self._seen = -1  # Database.commits(OUTBOX_TOPIC) when this dispatcher last claimed

    def has_news(self) -> bool:
        """Whether this process wrote outbox rows since the last claim (cheap: no query)."""
        return self.svc.db.commits(OUTBOX_TOPIC) != self._seen

    async def dispatch_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Send until nothing is due, one run at a time in this process (a run already going
        picks up what was written meanwhile, so a second one just returns)."""
        if self._running.locked():
            return
        async with self._running:
            while await self.run_once(self.bot or context.bot) == self.BATCH or self.has_news():
                pass

    async def run_once(self, bot: Bot, limit: int = BATCH) -> int:
        """Send one batch of due rows; returns how many were attempted."""
        written = self.svc.db.commits(OUTBOX_TOPIC)  # read before the claim, which sees these rows
        deliveries = await asyncio.to_thread(self.svc.outbox.claim, self.svc.clock.now(), limit)
        self._seen = written  # only once claimed: a failed claim leaves the news for the next run
        for delivery in deliveries:
            await self._deliver(bot, delivery)
        return len(deliveries)

    async def _deliver(self, bot: Bot, d: Delivery) -> None:
        store, now = self.svc.outbox, self.svc.clock.now
        record = asyncio.to_thread  # database writes stay off the event loop
        try:
            message_id = await self._send(bot, d)
        except RetryAfter as exc:
            retry = exc.retry_after
            seconds = retry.total_seconds() if hasattr(retry, "total_seconds") else float(retry)
            await record(store.mark_retry, d.id, now(), f"429: {exc.message}", retry_after=seconds)
        except Forbidden as exc:
            await record(store.mark_failed, d.id, f"403: {exc.message}")
            await record(store.mark_unreachable, d.chat_id, now())
        except BadRequest as exc:
            if classify(exc) is ApiErrorKind.NOT_MODIFIED:
                await record(store.mark_sent, d.id, now(), d.edit_message_id)
            else:
                log.warning("outbox %s rejected: %s", d.id, exc.message)
                await record(store.mark_failed, d.id, f"400: {exc.message}", now())
        except (NetworkError, TelegramError) as exc:  # timeouts and 5xx are NetworkErrors
            await record(store.mark_retry, d.id, now(), f"{type(exc).__name__}: {exc.message}")
        else:
            if message_id is None and d.kind == "edit":
                await record(store.mark_cancelled, d.id, "pesan sumber tidak terkirim")
            else:
                await record(store.mark_sent, d.id, now(), message_id)

    async def _send(self, bot: Bot, d: Delivery) -> int | None:
        payload = d.payload
        if d.kind == "message":
            sent = await bot.send_message(d.chat_id, payload["text"], parse_mode=ParseMode.HTML,
                                          reply_markup=markup(payload.get("reply_markup")))
            return sent.message_id
        if d.kind == "edit":
            if d.edit_message_id is None:
                return None
            await bot.edit_message_text(payload["text"], chat_id=d.chat_id, parse_mode=ParseMode.HTML,
                                        message_id=d.edit_message_id,
                                        reply_markup=markup(payload.get("reply_markup")))
            return d.edit_message_id
        if d.kind == "document":
            return await self._send_document(bot, d)
        raise ValueError(f"unknown outbox kind {d.kind!r}")

    async def _send_document(self, bot: Bot, d: Delivery) -> int:
        with self.svc.db.transaction(write=False) as s:
            doc = s.get(m.Document, d.payload["document_id"])
            file_id, path, filename = doc.telegram_file_id, doc.file_path, doc.filename
        document = file_id or Path(path).read_bytes()
        sent = await bot.send_document(
            d.chat_id, document, filename=None if file_id else filename,
            caption=d.payload.get("caption"), parse_mode=ParseMode.HTML,
            reply_markup=markup(d.payload.get("reply_markup")),
        )
        if not file_id and sent.document is not None:
            with self.svc.db.transaction() as s:
                s.execute(update(m.Document).where(m.Document.id == d.payload["document_id"])
                          .values(telegram_file_id=sent.document.file_id))
        return sent.message_id
