"""The callback context every handler receives: PTB's, plus the services (`context.svc`).

Handlers are module-level functions `async def name(update: Update, context: BotContext)`; the
composition root (bot/app.py) registers this class with `ContextTypes(context=BotContext)` and
puts the services in `bot_data` once, so no handler closes over them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot

if TYPE_CHECKING:
    from bot.services.container import Services

SERVICES_KEY = "svc"


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    @property
    def svc(self) -> Services:
        services: Services = self.application.bot_data[SERVICES_KEY]
        return services

    @property
    def user_data(self) -> dict[Any, Any]:  # type: ignore[override]
        """This user's data (every update the bot handles has a user: conversations/guard.py)."""
        data = super().user_data
        if data is None:
            raise RuntimeError("an update without a user has no user_data")
        return data

    @user_data.setter
    def user_data(self, value: object) -> None:
        raise AttributeError("user_data is not assigned; change its contents instead")  # as PTB


def install(application: Application[Any, Any, Any, Any, Any, Any], svc: Services) -> None:
    """Give `application`'s handlers the services (called once, by the composition root)."""
    application.bot_data[SERVICES_KEY] = svc
