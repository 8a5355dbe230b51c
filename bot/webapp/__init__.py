"""The status board: a Telegram Mini App served by the bot's own process (see server.py)."""

from bot.webapp.initdata import InitDataError, WebAppUser, sign_init_data, verify_init_data

__all__ = ["InitDataError", "WebAppUser", "sign_init_data", "verify_init_data"]
