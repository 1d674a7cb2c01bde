"""The Graph API over httpx: one call function with timeouts, Meta's error JSON turned into
DeliveryError (rate limits with the wait Meta asks for, transient codes retried, the rest permanent)."""

from __future__ import annotations

import json
from typing import Any

import httpx
from django.conf import settings

from socialdesk.channels.errors import DeliveryError
from socialdesk.channels.models import Channel
from socialdesk.channels.registry import display_name

GRAPH = "https://graph.facebook.com"
VERSION = "v21.0"
TIMEOUT = httpx.Timeout(20.0, connect=5.0)
# Throttling: app (4), user (17), page (32), action-specific (613), business use case (80001-80014).
RATE_LIMIT_CODES = {4, 17, 32, 613, *range(80001, 80015)}
TRANSIENT_CODES = {1, 2}  # "unknown error" / "service temporarily unavailable"


def base_url(channel: Channel) -> str:
    base = str(channel.config.get("api_base", "")) or settings.SOCIALDESK_API_BASES.get("meta", "") or GRAPH
    return f"{base.rstrip('/')}/{VERSION}"


def _wait_seconds(response: httpx.Response) -> float:
    """Retry-After, else the longest estimated_time_to_regain_access (minutes) of the usage header."""
    retry_after = response.headers.get("retry-after", "")
    if retry_after.isdecimal():
        return float(retry_after)
    try:
        usage = json.loads(response.headers.get("x-business-use-case-usage", "{}"))
        minutes = max(
            (
                int(entry.get("estimated_time_to_regain_access", 0))
                for entries in usage.values()
                for entry in entries
            ),
            default=0,
        )
    except (ValueError, AttributeError, TypeError):
        minutes = 0
    return float(minutes * 60) if minutes else 60.0


def _error(channel: Channel, response: httpx.Response) -> DeliveryError:
    name = display_name(channel.network)
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        error = {}
    code = int(error.get("code") or 0)
    text = (
        f"{name} answered {response.status_code}: {str(error.get('message') or response.reason_phrase)[:300]}"
    )
    if code in RATE_LIMIT_CODES or response.status_code == 429:
        return DeliveryError(text, permanent=False, retry_after=_wait_seconds(response))
    if code in TRANSIENT_CODES or error.get("is_transient") or response.status_code >= 500:
        return DeliveryError(text, permanent=False)
    return DeliveryError(text, permanent=True)


def graph(
    channel: Channel,
    method: str,
    path: str,
    *,
    body: dict[str, Any] | None = None,
    params: dict[str, str] | None = None,
) -> dict[str, Any]:
    token = str(channel.credentials.get("access_token", ""))
    url = f"{base_url(channel)}/{path.lstrip('/')}"
    try:
        with httpx.Client(timeout=TIMEOUT) as client:
            response = client.request(
                method, url, json=body, params=params, headers={"Authorization": f"Bearer {token}"}
            )
    except httpx.HTTPError as exc:
        name = display_name(channel.network)
        raise DeliveryError(f"{name} could not be reached: {exc}", permanent=False) from exc
    if response.status_code >= 400:
        raise _error(channel, response)
    answer: dict[str, Any] = response.json()
    return answer
