"""initData is checked exactly as Telegram's documentation describes, and signed the same way."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl, quote, urlencode

import pytest

from bot.fakegram import FakeTelegram
from bot.webapp.initdata import InitDataError, sign_init_data, verify_init_data

TOKEN = "7341:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
NOW = datetime(2026, 12, 8, 3, 0, tzinfo=timezone.utc)
HOUR = timedelta(hours=1)


def telegram_style(token: str, fields: dict[str, str]) -> str:
    """The documentation's recipe, written out independently of the code under test."""
    data_check_string = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret_key = hmac.new(key=b"WebAppData", msg=token.encode(), digestmod=hashlib.sha256).digest()
    digest = hmac.new(key=secret_key, msg=data_check_string.encode(), digestmod=hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": digest}, quote_via=quote)


FIELDS = {"query_id": "AAHdF6IQAAAAAN0XohDhrOrc", "auth_date": str(int(NOW.timestamp()) - 60),
          "user": json.dumps({"id": 1004, "first_name": "Rina", "last_name": "Wulandari", "language_code": "id"})}


def test_data_signed_as_telegram_does_is_accepted():
    user = verify_init_data(telegram_style(TOKEN, FIELDS), TOKEN, NOW, HOUR)
    assert (user.id, user.first_name) == (1004, "Rina")
    assert user.auth_date == NOW - timedelta(seconds=60)


def test_our_signature_is_telegrams():
    raw = sign_init_data(TOKEN, {"id": 5, "first_name": "Budi"}, NOW, query_id="Q1")
    fields = dict(parse_qsl(raw))
    assert dict(parse_qsl(telegram_style(TOKEN, {k: v for k, v in fields.items() if k != "hash"})))["hash"] == fields["hash"]


@pytest.mark.parametrize("tamper", [
    lambda raw: raw.replace("Rina", "Rini"),  # a changed field
    lambda raw: raw.replace("1004", "1001"),  # someone else's id
    lambda raw: raw + "&extra=1",  # a field added after signing
    lambda raw: "&".join(p for p in raw.split("&") if not p.startswith("hash=")),  # no hash
    lambda raw: raw.replace("hash=", "hash=0"),  # a mangled hash
    lambda raw: raw + "&user=%7B%22id%22%3A1%7D",  # a repeated field
    lambda raw: "",
    lambda raw: "bukan data",
])
def test_forged_or_malformed_data_is_refused(tamper):
    with pytest.raises(InitDataError):
        verify_init_data(tamper(telegram_style(TOKEN, FIELDS)), TOKEN, NOW, HOUR)


def test_another_bots_token_is_refused():
    with pytest.raises(InitDataError, match="hash"):
        verify_init_data(telegram_style("9999:OTHER", FIELDS), TOKEN, NOW, HOUR)


def test_auth_date_older_than_the_setting_is_refused():
    raw = sign_init_data(TOKEN, {"id": 5, "first_name": "Budi"}, NOW - HOUR - timedelta(seconds=1))
    with pytest.raises(InitDataError, match="old"):
        verify_init_data(raw, TOKEN, NOW, HOUR)
    assert verify_init_data(raw, TOKEN, NOW, 2 * HOUR).id == 5


def test_auth_date_in_the_future_is_refused():
    raw = sign_init_data(TOKEN, {"id": 5, "first_name": "Budi"}, NOW + timedelta(hours=2))
    with pytest.raises(InitDataError, match="future"):
        verify_init_data(raw, TOKEN, NOW, HOUR)


async def test_the_double_signs_for_a_simulated_user():
    async with FakeTelegram(token=TOKEN) as double:
        double.add_user(2001, "Operator", "Disdik", username="op_disdik")
        raw = double.web_app_init_data(2001)
        fields = dict(parse_qsl(raw))
        assert json.loads(fields["user"])["username"] == "op_disdik"
        assert fields["chat_type"] == "private" and fields["query_id"]
        user = verify_init_data(raw, TOKEN, double.state.now(), HOUR)
        assert user.id == 2001
        with pytest.raises(InitDataError):
            verify_init_data(raw, "123:OTHER", double.state.now(), HOUR)
