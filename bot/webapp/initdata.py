"""Telegram Mini App `initData`: checked exactly as Telegram's documentation says, and signed the
same way (for the Bot API double, the tests and the demo).

    secret_key = HMAC_SHA256(key="WebAppData", msg=bot_token)
    data_check_string = "\\n".join(sorted(f"{key}={value}" for every field but hash))
    valid when hex(HMAC_SHA256(key=secret_key, msg=data_check_string)) == hash

Values are compared after URL-decoding; `auth_date` must be no older than `max_age`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode


class InitDataError(Exception):
    """initData is missing, malformed, forged or too old (the reason is for the log, not the user)."""


@dataclass(frozen=True)
class WebAppUser:
    id: int
    first_name: str
    auth_date: datetime


def _secret(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def signature(fields: dict[str, str], bot_token: str) -> str:
    return hmac.new(_secret(bot_token), data_check_string(fields).encode(), hashlib.sha256).hexdigest()


def sign_init_data(bot_token: str, user: dict[str, Any], auth_date: datetime, **extra: str) -> str:
    """The query string Telegram hands a Mini App opened by `user` (a Bot API User object)."""
    fields = {"auth_date": str(int(auth_date.timestamp())),
              "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")), **extra}
    fields["hash"] = signature(fields, bot_token)
    return urlencode(fields)


def verify_init_data(raw: str, bot_token: str, now: datetime, max_age: timedelta) -> WebAppUser:
    """The user the signed data names; InitDataError unless it is authentic and fresh."""
    if not raw:
        raise InitDataError("no initData")
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InitDataError("initData is not a query string") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataError("a field is repeated")
    received = fields.get("hash", "")
    if not hmac.compare_digest(signature(fields, bot_token).encode(), received.encode()):
        raise InitDataError("hash does not match")
    try:
        auth_date = datetime.fromtimestamp(int(fields["auth_date"]), tz=now.tzinfo)
        user = json.loads(fields["user"])
        user_id, first_name = int(user["id"]), str(user.get("first_name", ""))
    except (KeyError, ValueError, TypeError, OverflowError):
        raise InitDataError("auth_date or user missing or malformed") from None
    age = now - auth_date
    if age > max_age:
        raise InitDataError(f"initData is {age} old")
    if age < -timedelta(minutes=5):
        raise InitDataError("auth_date is in the future")
    return WebAppUser(user_id, first_name, auth_date)
