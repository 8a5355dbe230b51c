"""The error answers the double gives, shaped like Telegram's."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An unsuccessful Bot API answer: HTTP status, Telegram's description, optional parameters.

    ``violation`` says whether the bot did something wrong (recorded in ``double.violations``);
    by default every 400 and 404 is one, while 403/409/429 are situations a bot must handle.
    """

    def __init__(
        self,
        status: int,
        description: str,
        *,
        parameters: dict[str, Any] | None = None,
        violation: bool | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters
        self.violation = status in (400, 404) if violation is None else violation

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram would send."""
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    """400 "Bad Request: <detail>", recorded as a violation."""
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    """403 "Forbidden: <detail>" (not a violation: users may block the bot)."""
    return ApiError(403, f"Forbidden: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    """429 with ``retry_after`` like Telegram's flood control."""
    return ApiError(
        429,
        f"Too Many Requests: retry after {retry_after}",
        parameters={"retry_after": retry_after},
    )


def not_supported(what: str) -> ApiError:
    """A valid request the double cannot honour; a violation so nobody mistakes it for success."""
    return ApiError(400, f"Bad Request: {what} is not supported by the double", violation=True)
