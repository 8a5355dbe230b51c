"""/rekap, /rekap belum, /rekap terlambat, /rekap KODE, and the buttons under the recap
([Unduh XLSX] [Unduh PDF] [Grafik]). /monitoring and /riwayat live in conversations/reports."""

from __future__ import annotations

from dataclasses import replace

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import callbacks, messages
from bot.reports import exports, text
from bot.reports.model import FILTERS, Recap
from bot.roles import Peran
from bot.services.container import Services
from bot.webapp.hooks import with_board_button
from conversations import reports
from conversations.common import call, read
from conversations.context import BotContext
from conversations.updates import message_of, pressed_message, user_id

#: A recap longer than this many messages is sent as a summary and the XLSX file instead.
MAX_PARTS = 4
#: The buttons under a recap: (label key in labels.yaml `forms`, action).
BUTTONS = [("download_xlsx", "xlsx"), ("download_pdf", "pdf"), ("chart", "chart")]
FORMAT = {"xlsx": "xlsx", "pdf": "pdf", "chart": "png"}


async def asked_cycle(update: Update, svc: Services, args: list[str]) -> tuple[int | None, list[str]]:
    """The cycle /rekap reads: that tahun kinerja's when the first word is a year (/rekap 2025
    DISDIK), else the current one; and the words left."""
    if not (args and len(args[0]) == 4 and args[0].isascii() and args[0].isdigit()):
        return await reports.current_cycle(update, svc), args
    if (cycle_id := await read(svc, svc.recap.cycle_of_year, int(args[0]))) is None:
        await message_of(update).reply_text(messages.render(
            "rekap_tanpa_tahun", tahun=args[0], years=await read(svc, svc.recap.years)))
    return cycle_id, args[1:]


async def rekap(update: Update, context: BotContext) -> None:
    svc = context.svc
    if not await reports.allowed(update, svc, "rekap"):
        return
    cycle_id, args = await asked_cycle(update, svc, list(context.args or []))
    if cycle_id is None:
        return
    asked = " ".join(args).strip()
    if asked and asked.lower() not in FILTERS:
        await send_opd_history(message_of(update), svc, cycle_id, asked)
        return
    await send_recap(message_of(update), svc, await read(svc, svc.recap.build, cycle_id, asked.lower() or None))
    if not asked and (apart := await read(svc, svc.reach.unreached_lines, cycle_id)):  # issue 12: listed apart
        admin = svc.directory.known_peran(user_id(update)) is Peran.ADMIN  # known: the guard let them in
        await message_of(update).reply_text(messages.render("rekap_tanpa_operator", lines=apart, admin=admin))


async def send_opd_history(message: Message, svc: Services, cycle_id: int, asked: str) -> None:
    """/rekap KODE: one Perangkat Daerah's history in this cycle (or how to ask for one)."""
    history = await read(svc, svc.recap.opd_history, cycle_id, asked)
    page = (messages.render("rekap_opd", tz=svc.settings.tz, h=history) if history else
            messages.render("rekap_petunjuk", asked=asked[:40]))
    for part in messages.split(page):
        await message.reply_text(part)


async def send_recap(message: Message, svc: Services, recap: Recap) -> None:
    buttons = with_board_button(reports.keyboard("r", recap.cycle_id, BUTTONS), svc.settings)
    parts = messages.split(text.recap_html(recap))
    if len(parts) > MAX_PARTS:  # too long to read in chat: the totals, and the list as a file
        await message.reply_text(text.recap_html(recap, with_lines=False))
        full = await call(exports.recap_file, svc.recap, recap.cycle_id, "xlsx")
        await reports.send_file(message, replace(full, kind="rekap_lengkap"), recap.at, svc.settings.tz,
                                len(recap.lines), buttons)
        return
    for part in parts[:-1]:
        await message.reply_text(part)
    await message.reply_text(parts[-1], reply_markup=buttons)


async def export(update: Update, context: BotContext) -> None:
    svc = context.svc
    if (data := await reports.pressed(update, svc, "rekap")) is not None:
        if (file := await reports.produce(update, exports.recap_file, svc.recap, data.id, FORMAT[data.action])):
            await reports.send_file(pressed_message(update), file, svc.clock.now(), svc.settings.tz)


def build_handlers() -> list[BaseHandler]:
    return [CommandHandler("rekap", rekap), CallbackQueryHandler(export, pattern=callbacks.pattern("r", *FORMAT)),
            *reports.build_handlers()]
