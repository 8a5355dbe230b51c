"""Raw HTTP requests: every encoding is accepted, every spec violation is answered and recorded."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.fakegram import FakeTelegram
from tests.fakegram.conftest import BUDI


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


def take_violations(double: FakeTelegram) -> list[str]:
    found = list(double.violations)
    double.violations.clear()
    return found


async def test_form_json_query_and_multipart_encodings(double: FakeTelegram, http: httpx.AsyncClient) -> None:
    double.rate_limits.enabled = False  # four quick messages to one chat would exceed its burst
    markup = json.dumps({"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]})
    form = await http.post(f"{double.api_url}/sendMessage",
                           data={"chat_id": str(BUDI), "text": "form", "reply_markup": markup})
    as_json = await http.post(f"{double.api_url}/sendMessage",
                              json={"chat_id": BUDI, "text": "json", "disable_notification": True})
    query = await http.get(f"{double.api_url}/sendMessage", params={"chat_id": BUDI, "text": "query"})
    upload = await http.post(f"{double.api_url}/sendDocument", data={"chat_id": str(BUDI)},
                             files={"document": ("nota.txt", b"isi nota", "text/plain")})
    for response in (form, as_json, query, upload):
        assert response.status_code == 200, response.text
        assert response.json()["ok"] is True
    assert [m.plain_text for m in double.messages_for(BUDI)[:3]] == ["form", "json", "query"]
    document = double.messages_for(BUDI)[3].document
    assert document is not None and (document.file_name, document.mime_type, document.data) == (
        "nota.txt", "text/plain", b"isi nota")


async def test_attach_uri_refers_to_a_file_part(double: FakeTelegram, http: httpx.AsyncClient) -> None:
    ok = await http.post(f"{double.api_url}/sendDocument",
                         data={"chat_id": str(BUDI), "document": "attach://berkas"},
                         files={"berkas": ("a.csv", b"a,b", "text/csv")})
    assert ok.status_code == 200, ok.text
    dangling = await http.post(f"{double.api_url}/sendDocument",
                               data={"chat_id": str(BUDI), "document": "attach://hilang"},
                               files={"lain": ("a.csv", b"a,b", "text/csv")})
    assert dangling.status_code == 400
    assert any("refers to no uploaded file part" in v for v in take_violations(double))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"chat_id": BUDI, "text": "x", "colour": "red"}, "unknown parameter 'colour'"),
        ({"chat_id": BUDI}, "missing required parameter 'text'"),
        ({"chat_id": BUDI, "text": "x", "disable_notification": "perhaps"},
         "disable_notification: expected Boolean, got String 'perhaps'"),
        ({"chat_id": [BUDI], "text": "x"}, "chat_id: expected Integer or String"),
        ({"chat_id": BUDI, "text": 42}, "text: expected String, got Integer 42"),
        ({"chat_id": BUDI, "text": "x", "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": 1}]]}},
         "reply_markup.inline_keyboard[0][0].callback_data: expected String"),
        ({"chat_id": BUDI, "text": "x", "reply_markup": {"inline_keybaord": []}},
         "unknown field 'inline_keybaord' in InlineKeyboardMarkup"),
        ({"chat_id": BUDI, "text": "x", "reply_parameters": {"allow_sending_without_reply": True}},
         "ReplyParameters needs field 'message_id'"),
        ({"chat_id": BUDI, "text": "x", "link_preview_options": "{not json"},
         "link_preview_options: expected LinkPreviewOptions"),
    ],
)
async def test_spec_violations(double: FakeTelegram, http: httpx.AsyncClient, params: dict[str, Any],
                               expected: str) -> None:
    response = await http.post(f"{double.api_url}/sendMessage", json=params)
    body = response.json()
    assert response.status_code == 400 and body["ok"] is False and body["error_code"] == 400
    assert body["description"].startswith("Bad Request: ")
    violations = take_violations(double)
    assert any(v.startswith("sendMessage: ") and expected in v for v in violations), violations
    assert double.messages_for(BUDI) == []


async def test_inline_button_needs_exactly_one_action(double: FakeTelegram, http: httpx.AsyncClient) -> None:
    for button in ({"text": "kosong"}, {"text": "dua", "url": "https://a.id", "callback_data": "x"}):
        response = await http.post(f"{double.api_url}/sendMessage", json={
            "chat_id": BUDI, "text": "x", "reply_markup": {"inline_keyboard": [[button]]}})
        assert response.status_code == 400
        assert "can't parse inline keyboard button" in response.json()["description"]
    assert len(take_violations(double)) == 2


async def test_unknown_method_token_and_unsupported_method(double: FakeTelegram, http: httpx.AsyncClient) -> None:
    unknown = await http.post(f"{double.api_url}/sendTelegram", json={})
    assert unknown.status_code == 404 and unknown.json()["description"] == "Not Found"
    bad_token = await http.post(f"{double.base_url}999:WRONG/getMe")
    assert bad_token.status_code == 401 and bad_token.json()["description"] == "Unauthorized"
    unsupported = await http.post(f"{double.api_url}/sendDice", json={"chat_id": BUDI})
    assert unsupported.status_code == 400
    assert "not supported by the double" in unsupported.json()["description"]
    case_insensitive = await http.get(f"{double.api_url}/getme")
    assert case_insensitive.json()["result"]["username"] == "esakip_lamandau_bot"
    violations = take_violations(double)
    assert violations == ["sendTelegram: unknown method (not in the Bot API spec)",
                          "sendDice: Bad Request: method sendDice is not supported by the double"]


async def test_requests_and_stats_are_recorded(double: FakeTelegram, http: httpx.AsyncClient) -> None:
    await http.post(f"{double.api_url}/sendMessage", json={"chat_id": BUDI, "text": "a"})
    await http.post(f"{double.api_url}/sendMessage", json={"chat_id": BUDI})
    take_violations(double)
    assert [(r.method, r.status) for r in double.requests] == [("sendMessage", 200), ("sendMessage", 400)]
    assert double.requests[0].params == {"chat_id": BUDI, "text": "a"}
    assert double.stats.methods["sendMessage"] == 2 and double.stats.bad_requests == 1


async def test_assert_no_violations_lists_them(double: FakeTelegram, http: httpx.AsyncClient) -> None:
    await http.post(f"{double.api_url}/sendMessage", json={"chat_id": BUDI, "text": "x", "foo": 1})
    with pytest.raises(AssertionError, match=r"1 Bot API violation\(s\):\n  - sendMessage: unknown parameter 'foo'"):
        double.assert_no_violations()
    take_violations(double)
