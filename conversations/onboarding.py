"""/start with or without an invite token, and /bantuan."""

from __future__ import annotations

import math
from datetime import timedelta

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.ext import BaseHandler, CommandHandler, ContextTypes

from bot import messages
from bot.roles import Peran
from bot.services.container import Services
from bot.services.directory import UserInfo
from bot.services.invite_attempts import MAX_FAILURES, WINDOW, TooManyAttempts
from bot.webapp.hooks import set_menu_button
from bot.workflow import DomainError
from conversations.common import call

OFFICIAL_COMMANDS = [("tugas", "Tugas saya"), ("rekap", "Rekap pengisian per Perangkat Daerah"),
                     ("bantuan", "Petunjuk penggunaan")]
MONITORING = ("monitoring", "Formulir monitoring pelaksanaan SOP")
RIWAYAT = ("riwayat", "Riwayat kejadian siklus")
ATAS_NAMA = ("atasnama", "Catat atas nama Perangkat Daerah tanpa operator")
PLH = ("plh", "Penunjukan Plh./Plt.")
COMMANDS: dict[Peran, list[tuple[str, str]]] = {
    Peran.SEKDA: [("mulai", "Mulai siklus pengisian E-SAKIP"), *OFFICIAL_COMMANDS[:2], PLH, OFFICIAL_COMMANDS[2]],
    Peran.ADMIN: [("mulai", "Mulai siklus pengisian E-SAKIP"), ("rekap", "Rekap pengisian"),
                  MONITORING, RIWAYAT, PLH, ATAS_NAMA, ("bantuan", "Petunjuk penggunaan")],
    Peran.ASISTEN: OFFICIAL_COMMANDS,
    Peran.KABAG: [*OFFICIAL_COMMANDS[:2], MONITORING, OFFICIAL_COMMANDS[2]],
    Peran.TIM_SAKIP: [*OFFICIAL_COMMANDS[:2], MONITORING, RIWAYAT, ATAS_NAMA, OFFICIAL_COMMANDS[2]],
    Peran.OPD: [("tugas", "Tugas saya"), ("bantuan", "Petunjuk penggunaan")],
    Peran.KEPALA_OPD: [("tugas", "Tugas Perangkat Daerah"), ("bantuan", "Petunjuk penggunaan")],
    Peran.TATA_USAHA: [("mulai", "Catat surat masuk (mulai siklus)"), ("tugas", "Tugas saya"),
                       ("bantuan", "Petunjuk penggunaan")],
    Peran.PELAKSANA: [("tugas", "Tugas saya"), ("bantuan", "Petunjuk penggunaan")],
}
COMMON = [("verifikasi", "Periksa keaslian surat dengan kode verifikasi"),
          ("batal", "Batalkan isian yang sedang berjalan")]


async def set_menu(context: ContextTypes.DEFAULT_TYPE, user: UserInfo) -> None:
    commands = [BotCommand(c, d) for c, d in [*COMMANDS[user.peran], *COMMON]]
    await context.bot.set_my_commands(commands, scope=BotCommandScopeChat(user.telegram_id))


def build_handlers(svc: Services) -> list[BaseHandler]:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        tg_user, message = update.effective_user, update.effective_message
        token = context.args[0] if context.args else None
        if token:
            nama = " ".join(filter(None, [tg_user.first_name, tg_user.last_name]))
            try:
                user = await call(svc.directory.redeem_invite, token, tg_user.id, nama)
            except TooManyAttempts as exc:
                minutes = max(1, math.ceil((exc.until - svc.clock.now()).total_seconds() / 60))
                await message.reply_text(messages.render("invite_wait", tz=svc.settings.tz, until=exc.until, gagal=MAX_FAILURES,
                                                         jendela=WINDOW, tunggu=timedelta(minutes=minutes)))
                return
            except DomainError as exc:
                await message.reply_text(messages.render("refusal", text=str(exc)))
                return
        else:
            user = await call(svc.directory.find_user, tg_user.id)
            if user is None:
                await message.reply_text(messages.render("not_registered", telegram_id=tg_user.id))
                return
        await call(svc.directory.mark_reachable, user.telegram_id)
        if token:  # an operator who registers mid-cycle receives their OPD's open tasks at once
            await call(svc.reach.deliver_open_tasks, user.telegram_id)
        await set_menu(context, user)
        await set_menu_button(context.bot, svc.settings, user.telegram_id)  # the status board, when set
        await message.reply_text(messages.render("welcome", user=user, peran=user.peran.value,
                                                 langkah=steps_of(svc, user.peran.value)))

    async def bantuan(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = await call(svc.directory.require_user, update.effective_user.id)
        await update.effective_message.reply_text(
            messages.render("bantuan", user=user, peran=user.peran.value,
                            langkah=steps_of(svc, user.peran.value)))

    return [CommandHandler("start", start), CommandHandler("bantuan", bantuan)]


def steps_of(svc: Services, role: str) -> list[tuple[str, tuple]]:
    """The steps in which `role` acts, per SOP of the deployment (those with none left out)."""
    sops = svc.catalog.sops if svc.catalog is not None else (svc.sop,)
    return [(sop.title, steps) for sop in sops if (steps := sop.steps_of(role))]
