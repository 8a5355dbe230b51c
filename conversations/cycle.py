"""/mulai: the Sekda (or an admin, or whoever the SOP file names) starts a cycle. With several
SOPs the bot first asks which; for an SOP that reports per Perangkat Daerah it then asks the
tahun kinerja (buttons, the default highlighted), unless typed: `/mulai 2026`. After it, the
incoming letter the cycle answers may be attached (conversations/incoming.py) or skipped, unless
the SOP registers the letter as a step itself."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import callbacks, messages
from bot.presentation.keyboards import button, markup
from bot.presentation.labels import form_button, reply
from bot.services import tahun as years
from bot.services.container import Services
from bot.services.cycles import reports_yearly
from bot.services.errors import InvalidInput
from bot.services.views import TaskView
from bot.sop import SopDefinition
from bot.sop.definition import StepKind
from bot.workflow import DomainError
from conversations import incoming
from conversations.common import call, edit_or_ignore, refuse
from conversations.context import BotContext
from conversations.updates import message_of, pressed, user_id

NS = "mu"


def year_markup(svc: Services, index: int) -> InlineKeyboardMarkup | None:
    now = svc.clock.now()
    default = years.default_tahun(now, svc.settings.tz)
    row = [{**button(form_button("tahun_kinerja", tahun=y), "yr", y * 100 + index, ns=NS),
            **({"style": "primary"} if y == default else {})} for y in years.offered(now, svc.settings.tz)]
    return markup({"inline_keyboard": [row]})


async def start(update: Update, svc: Services, index: int, tahun: int | None) -> None:
    sop = svc.sops[index]
    try:
        view = await call(svc.cycles.start, user_id(update), tahun, sop.name)
    except DomainError as exc:
        await refuse(update, str(exc))
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
        await edit_or_ignore(update.callback_query, messages.render(
            "mulai_pilih", sops=svc.sops, chosen=sop, tahun=view.tahun if reports_yearly(sop) else None))
    await say_started(update, svc, sop, view)
    await call(svc.reach.notify_unreached, view.cycle_id, "mulai")  # OPDs with no operator (issue 12)


async def say_started(update: Update, svc: Services, sop: SopDefinition, view: TaskView) -> None:
    offer = not sop.has_kind(StepKind.REGISTRATION)
    starter = await call(svc.directory.find_user, user_id(update))
    own = starter is not None and starter.peran == view.role  # his own task follows
    await message_of(update).reply_text(
        messages.render("cycle_started", tz=svc.settings.tz, task=view, offer_incoming=offer, kinerja=reports_yearly(sop), own=own),
        reply_markup=incoming.offer_markup(view.cycle_id) if offer else None)


async def ask_year(update: Update, svc: Services, index: int) -> None:
    text = messages.render("mulai_tahun", sop=svc.sops[index], default=years.default_tahun(svc.clock.now(), svc.settings.tz))
    if update.callback_query is not None:
        await update.callback_query.answer()
        await edit_or_ignore(update.callback_query, text, year_markup(svc, index))
    else:
        await message_of(update).reply_text(text, reply_markup=year_markup(svc, index))


async def mulai(update: Update, context: BotContext) -> None:
    svc = context.svc
    try:
        tahun = await asked_tahun(update, svc, list(context.args or ()))
    except DomainError as exc:
        await refuse(update, str(exc))
        return
    if len(svc.sops) > 1:
        keyboard = [[button(sop.title, "yr" if tahun else "sop", (tahun or 0) * 100 + index, ns=NS)]
                    for index, sop in enumerate(svc.sops)]
        await message_of(update).reply_text(messages.render("mulai_pilih", sops=svc.sops, chosen=None, tahun=None),
                                            reply_markup=markup({"inline_keyboard": keyboard}))
    elif tahun is None and reports_yearly(svc.sops[0]):
        await ask_year(update, svc, 0)
    else:
        await start(update, svc, 0, tahun)


async def asked_tahun(update: Update, svc: Services, args: list[str]) -> int | None:
    """The tahun kinerja typed after /mulai, if any; with one SOP, its starter is checked here
    (with several, each SOP's starters are checked when it is chosen)."""
    if len(args) > 1:
        raise InvalidInput("tahun.one_argument", example=years.default_tahun(svc.clock.now(), svc.settings.tz))
    tahun = years.parse(args[0], svc.clock.now(), svc.settings.tz) if args else None
    if len(svc.sops) == 1:
        await call(svc.cycles.check_starter, user_id(update), svc.sops[0].name)
    return tahun


async def chosen(update: Update, context: BotContext) -> None:
    svc, index = context.svc, pressed(update).id
    if index >= len(svc.sops):
        await refuse(update, reply("mulai_stale"))
    elif not reports_yearly(svc.sops[index]):
        await start(update, svc, index, None)
    else:
        try:
            await call(svc.cycles.check_starter, user_id(update), svc.sops[index].name)
        except DomainError as exc:
            await refuse(update, str(exc))
            return
        await ask_year(update, svc, index)


async def year(update: Update, context: BotContext) -> None:
    tahun, index = divmod(pressed(update).id, 100)
    if index >= len(context.svc.sops):
        await refuse(update, reply("mulai_stale"))
        return
    await start(update, context.svc, index, tahun if reports_yearly(context.svc.sops[index]) else None)


def build_handlers() -> list[BaseHandler]:
    return [CommandHandler("mulai", mulai),
            CallbackQueryHandler(chosen, pattern=callbacks.pattern(NS, "sop")),
            CallbackQueryHandler(year, pattern=callbacks.pattern(NS, "yr")),
            *incoming.build_handlers()]
