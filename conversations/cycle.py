"""/mulai: the Sekda (or an admin, or whoever the SOP file names) starts a cycle. With several
SOPs the bot first asks which; for an SOP that reports per Perangkat Daerah it then asks the
tahun kinerja (buttons, the default highlighted), unless typed: `/mulai 2026`. After it, the
incoming letter the cycle answers may be attached (conversations/incoming.py) or skipped, unless
the SOP registers the letter as a step itself."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes

from bot import callbacks, messages
from bot.presentation.keyboards import button
from bot.services import tahun as years
from bot.services.container import Services
from bot.services.cycles import reports_yearly
from bot.services.errors import InvalidInput
from bot.sop.definition import StepKind
from bot.workflow import DomainError
from conversations import incoming
from conversations.common import call, edit_or_ignore, refuse
from scheduler.dispatch import markup

NS = "mu"
STALE = "Pilihan ini sudah tidak berlaku. Ketik /mulai untuk memilih lagi."


def build_handlers(svc: Services) -> list[BaseHandler]:
    sops = svc.catalog.sops if svc.catalog is not None else (svc.sop,)

    def year_markup(index: int):
        now = svc.clock.now()
        default = years.default_tahun(now)
        row = [{**button(f"Tahun Kinerja {y}", "yr", y * 100 + index, ns=NS),
                **({"style": "primary"} if y == default else {})} for y in years.offered(now)]
        return markup({"inline_keyboard": [row]})

    async def start(update: Update, index: int, tahun: int | None) -> None:
        sop = sops[index]
        try:
            view = await call(svc.cycles.start, update.effective_user.id, tahun, sop.name)
        except DomainError as exc:
            await refuse(update, str(exc))
            return
        offer = not sop.has_kind(StepKind.REGISTRATION)
        if update.callback_query is not None:
            await update.callback_query.answer()
            chosen = f"{sop.title} Tahun Kinerja {view.tahun}" if reports_yearly(sop) else sop.title
            await edit_or_ignore(update.callback_query, messages.render("mulai_pilih", sops=sops, chosen=chosen))
        starter = await call(svc.directory.find_user, update.effective_user.id)
        own = starter is not None and starter.peran == view.role  # his own task follows
        await update.effective_message.reply_text(
            messages.render("cycle_started", task=view, offer_incoming=offer, kinerja=reports_yearly(sop), own=own),
            reply_markup=incoming.offer_markup(view.cycle_id) if offer else None)
        await call(svc.reach.notify_unreached, view.cycle_id, "mulai")  # OPDs with no operator (issue 12)

    async def ask_year(update: Update, index: int) -> None:
        text = messages.render("mulai_tahun", sop=sops[index], default=years.default_tahun(svc.clock.now()))
        if update.callback_query is not None:
            await update.callback_query.answer()
            await edit_or_ignore(update.callback_query, text, year_markup(index))
        else:
            await update.effective_message.reply_text(text, reply_markup=year_markup(index))

    async def mulai(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            if len(context.args or ()) > 1:
                raise InvalidInput("tahun.one_argument", example=years.default_tahun(svc.clock.now()))
            tahun = years.parse(context.args[0], svc.clock.now()) if context.args else None
            if len(sops) == 1:  # with several, each SOP's starters are checked when it is chosen
                await call(svc.cycles.check_starter, update.effective_user.id, sops[0].name)
        except DomainError as exc:
            await refuse(update, str(exc))
            return
        if len(sops) > 1:
            keyboard = [[button(sop.title, "yr" if tahun else "sop", (tahun or 0) * 100 + index, ns=NS)]
                        for index, sop in enumerate(sops)]
            await update.effective_message.reply_text(messages.render("mulai_pilih", sops=sops, chosen=None),
                                                      reply_markup=markup({"inline_keyboard": keyboard}))
        elif tahun is None and reports_yearly(sops[0]):
            await ask_year(update, 0)
        else:
            await start(update, 0, tahun)

    async def chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        index = callbacks.decode(update.callback_query.data).id
        if index >= len(sops):
            await refuse(update, STALE)
            return
        if reports_yearly(sops[index]):
            try:
                await call(svc.cycles.check_starter, update.effective_user.id, sops[index].name)
            except DomainError as exc:
                await refuse(update, str(exc))
                return
            await ask_year(update, index)
        else:
            await start(update, index, None)

    async def year(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        tahun, index = divmod(callbacks.decode(update.callback_query.data).id, 100)
        if index >= len(sops):
            await refuse(update, STALE)
            return
        await start(update, index, tahun if reports_yearly(sops[index]) else None)

    return [CommandHandler("mulai", mulai),
            CallbackQueryHandler(chosen, pattern=callbacks.pattern(NS, "sop")),
            CallbackQueryHandler(year, pattern=callbacks.pattern(NS, "yr")),
            *incoming.build_handlers(svc)]
