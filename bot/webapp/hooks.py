"""Where the board meets the bot: started and stopped with the Application, the menu button of
each registered user, and the "Buka papan status" button under /rekap.

Without `ESAKIP_WEBAPP_PORT` no server runs; without `ESAKIP_WEBAPP_URL` the chat is unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, MenuButtonWebApp, WebAppInfo
from telegram.error import TelegramError
from telegram.ext import Application

from bot.config import Settings
from bot.presentation import labels
from bot.services.board import MIN_GAP_SECONDS, BoardService
from bot.webapp.server import BoardApp, BoardServer

if TYPE_CHECKING:
    from bot.services.container import Services

log = logging.getLogger(__name__)

#: Whether the running bot builds the board's snapshots in a child process (bot/webapp/rebuild.py);
#: bench/run_variant.py board-in-thread puts the rebuild back in the bot's own threads.
SEPARATE_PROCESS = True


def board_service(svc: Services) -> BoardService:
    # A rebuild waits at most a sixth of the refresh interval (5 s at most); the page polls that much
    # sooner (BoardApp.poll_seconds), so a write shows on an open board within the interval.
    gap = min(MIN_GAP_SECONDS, svc.settings.webapp_refresh_seconds / 6)
    return BoardService(svc.db, svc.clock, svc.sop, min_gap=gap)


def board_server(svc: Services, token: str, host: str | None = None, port: int | None = None, *,
                 separate_process: bool = False) -> BoardServer:
    """The board's server; `separate_process`: snapshots are built in a child process
    (bot/webapp/rebuild.py), as the running bot does."""
    settings = svc.settings
    app = BoardApp(board_service(svc), settings, token, svc.clock, separate_process=separate_process)
    return BoardServer(app, host or settings.webapp_host, port if port is not None else settings.webapp_port or 0)


@contextlib.asynccontextmanager
async def running(application: Application, svc: Services, token: str) -> AsyncIterator[BoardServer | None]:
    """The board served on the Application's event loop for as long as the block runs (when
    ESAKIP_WEBAPP_PORT is set), and the menu buttons set in the background."""
    server = None
    if svc.settings.webapp_port is not None:
        try:
            server = await board_server(svc, token, separate_process=SEPARATE_PROCESS).start()
        except OSError as exc:  # the bot matters more than its board: run on, and say why
            log.error("the status board could not start on %s:%s: %s", svc.settings.webapp_host,
                      svc.settings.webapp_port, exc)
    if svc.settings.webapp_url:
        application.create_task(install_menu_buttons(application.bot, svc), name="board_menu_buttons")
    try:
        yield server
    finally:
        if server is not None:
            await server.stop()


async def install_menu_buttons(bot: Bot, svc: Services) -> int:
    """Give every registered user who may open the board a menu button for it; returns how many."""
    users = await asyncio.to_thread(board_service(svc).menu_users)
    done = 0
    for telegram_id in users:
        done += await set_menu_button(bot, svc.settings, telegram_id)
    log.info("status board: menu button set for %d of %d users", done, len(users))
    return done


async def set_menu_button(bot: Bot, settings: Settings, telegram_id: int) -> bool:
    """The board in this user's chat menu (when ESAKIP_WEBAPP_URL is set); False when Telegram
    refused (for example a person who never opened the chat)."""
    if not settings.webapp_url:
        return False
    try:
        await bot.set_chat_menu_button(chat_id=telegram_id, menu_button=MenuButtonWebApp(
            labels.label("board", "menu"), WebAppInfo(settings.webapp_url)))
    except TelegramError as exc:
        log.info("status board: no menu button for %s (%s)", telegram_id, exc)
        return False
    return True


def with_board_button(markup: InlineKeyboardMarkup, settings: Settings) -> InlineKeyboardMarkup:
    """`markup` with a row that opens the board, when ESAKIP_WEBAPP_URL is set."""
    if not settings.webapp_url:
        return markup
    row = [InlineKeyboardButton(labels.label("board", "open"), web_app=WebAppInfo(settings.webapp_url))]
    return InlineKeyboardMarkup([*markup.inline_keyboard, row])
