"""/start with or without an invite token, and /bantuan."""

from __future__ import annotations

import math
from datetime import timedelta

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.ext import BaseHandler, CommandHandler

from bot import messages
from bot.presentation.labels import command
from bot.services.container import Services
from bot.services.directory import UserInfo
from bot.services.invite_attempts import MAX_FAILURES, WINDOW, TooManyAttempts
from bot.services.menus import commands_for
from bot.sop.definition import StepDefinition
from bot.webapp.hooks import set_menu_button
from bot.workflow import DomainError
from conversations.common import call, reply_refusal
from conversations.context import BotContext
from conversations.updates import message_of, user_id


async def set_menu(context: BotContext, user: UserInfo) -> None:
    commands = [BotCommand(name, command(name, user.peran.value)) for name in commands_for(user.peran, context.svc.sops)]
    await context.bot.set_my_commands(commands, scope=BotCommandScopeChat(user.telegram_id))


async def start(update: Update, context: BotContext) -> None:
    svc, token = context.svc, context.args[0] if context.args else None
    user = await (redeem(update, context, token) if token else call(svc.directory.find_user, user_id(update)))
    if user is None:
        if not token:
            await message_of(update).reply_text(messages.render("not_registered", telegram_id=user_id(update)))
        return
    await call(svc.directory.mark_reachable, user.telegram_id)
    if token:  # an operator who registers mid-cycle receives their OPD's open tasks at once
        await call(svc.reach.deliver_open_tasks, user.telegram_id)
    await set_menu(context, user)
    await set_menu_button(context.bot, svc.settings, user.telegram_id)  # the status board, when set
    await message_of(update).reply_text(messages.render("welcome", user=user, peran=user.peran.value,
                                                        langkah=steps_of(svc, user.peran.value)))


async def redeem(update: Update, context: BotContext, token: str) -> UserInfo | None:
    """The person an invite token registers; None (and the reason said) when it does not."""
    tg_user, svc = update.effective_user, context.svc
    nama = " ".join(filter(None, [tg_user.first_name, tg_user.last_name])) if tg_user else ""
    try:
        return await call(svc.directory.redeem_invite, token, user_id(update), nama)
    except TooManyAttempts as exc:
        minutes = max(1, math.ceil((exc.until - svc.clock.now()).total_seconds() / 60))
        await message_of(update).reply_text(messages.render("invite_wait", tz=svc.settings.tz, until=exc.until, gagal=MAX_FAILURES,
                                                            jendela=WINDOW, tunggu=timedelta(minutes=minutes)))
    except DomainError as exc:
        await reply_refusal(update, str(exc))
    return None


async def bantuan(update: Update, context: BotContext) -> None:
    user = await call(context.svc.directory.require_user, user_id(update))
    await message_of(update).reply_text(messages.render("bantuan", user=user, peran=user.peran.value,
                                                        langkah=steps_of(context.svc, user.peran.value)))


def build_handlers() -> list[BaseHandler]:
    return [CommandHandler("start", start), CommandHandler("bantuan", bantuan)]


def steps_of(svc: Services, role: str) -> list[tuple[str, tuple[StepDefinition, ...]]]:
    """The steps in which `role` acts, per SOP of the deployment (those with none left out)."""
    return [(sop.title, steps) for sop in svc.sops if (steps := sop.steps_of(role))]
