"""Outgoing webhooks: a Slack-compatible JSON body (`text`, plus the structured event under
`socialdesk`) signed with the webhook's secret, so a receiver can tell the desk's calls from forgeries
and refuse replays:

    X-Socialdesk-Timestamp: <unix seconds>
    X-Socialdesk-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>." + raw body)>
    X-Socialdesk-Delivery: <delivery id>   (the same on every retry: receivers dedupe on it)
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from functools import cache

import httpx

from socialdesk.notifications.errors import SendError
from socialdesk.notifications.models import Delivery, Kind, Notification
from socialdesk.notifications.text import absolute

TIMEOUT = 10.0  # seconds; one slow receiver costs one attempt, never the other deliveries
RETRIED = frozenset({408, 425, 429})  # and every 5xx


def slack_escape(text: str) -> str:
    """Slack reads <, > and & as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def body_for(notification: Notification) -> bytes:
    label = Kind(notification.kind).label
    text = f"*{label}* · {slack_escape(notification.workspace.name)}: {slack_escape(notification.text)}"
    link = absolute(notification.link)
    if link:
        text += f" <{link}|Open in Socialdesk>"
    event = {
        "id": notification.pk,
        "kind": notification.kind,
        "workspace": notification.workspace.slug,
        "text": notification.text,
        "link": link,
        "conversation_id": notification.conversation_id,
        "incident_id": notification.incident_id,
        "created_at": notification.created_at.astimezone(UTC).isoformat(),
    }
    return json.dumps({"text": text, "socialdesk": event}, ensure_ascii=False, sort_keys=True).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


@cache
def _client() -> httpx.Client:
    """One client per process, reused: building one loads the CA bundle (~0.1 s) every time. It is
    thread-safe; redirects are not followed (a webhook URL that moved is the admin's to fix)."""
    return httpx.Client(timeout=TIMEOUT, follow_redirects=False)


def post_webhook(delivery: Delivery, now: datetime) -> int:
    """Call the webhook once; the HTTP status on success (2xx), SendError otherwise."""
    assert delivery.webhook is not None  # noqa: S101 - webhook deliveries name their webhook
    target = delivery.webhook.target
    body = body_for(delivery.notification)
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Socialdesk-Webhooks/1",
        "X-Socialdesk-Event": delivery.notification.kind,
        "X-Socialdesk-Delivery": str(delivery.pk),
        "X-Socialdesk-Timestamp": str(timestamp),
        "X-Socialdesk-Signature": signature(target["secret"], timestamp, body),
    }
    try:
        response = _client().post(target["url"], content=body, headers=headers)
    except httpx.HTTPError as failed:
        raise SendError(f"cannot reach the webhook: {type(failed).__name__}: {failed}"[:300]) from failed
    code = response.status_code
    if 200 <= code < 300:
        return code
    words = f"HTTP {code}: {response.text[:200]}".strip()
    if 300 <= code < 400:
        raise SendError(f"{words} (redirects are not followed)", status_code=code, permanent=True)
    raise SendError(words, status_code=code, permanent=code < 500 and code not in RETRIED)
