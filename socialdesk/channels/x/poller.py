"""X inbound without a webhook: mentions polled (the fallback where no webhook is registered; the
webhook stores the same event ids, so the two dedupe)."""

from __future__ import annotations

from typing import Any

from socialdesk.channels.models import Channel
from socialdesk.channels.polling import remember
from socialdesk.channels.x.client import mentions
from socialdesk.ingest.actions import receive_event


def poll(channel: Channel) -> int | None:
    """Only accounts set up with `poll_mentions` poll; the others receive the webhook (None)."""
    if not channel.config.get("poll_mentions"):
        return None
    return poll_mentions(channel)


def store_polled_mentions(channel: Channel, response: dict[str, Any]) -> int:
    """Store the mentions of one GET /2/users/:id/mentions page (v2 JSON); returns how many were new."""
    users = {u["id"]: u for u in response.get("includes", {}).get("users", [])}
    brand = str(channel.config.get("user_id", ""))
    stored = 0
    for tweet in response.get("data") or []:
        author = users.get(tweet.get("author_id"), {"id": tweet.get("author_id", "")})
        payload = {"source": "poll", "for_user_id": brand, "data": tweet, "author": author}
        stored += int(receive_event(channel, f"tweet:{tweet['id']}", payload))
    return stored


def poll_mentions(channel: Channel) -> int:
    """The fallback without a webhook: mentions newer than the last one seen; returns how many were new."""
    page = mentions(channel, str(channel.config.get("last_mention_id", "")) or None)
    stored = store_polled_mentions(channel, page)
    newest = (page.get("meta") or {}).get("newest_id")
    if newest:
        remember(channel, last_mention_id=newest)
    return stored
