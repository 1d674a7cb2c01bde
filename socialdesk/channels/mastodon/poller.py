"""Mastodon in: mention notifications polled, newer than the last one seen."""

from __future__ import annotations

from socialdesk.channels.mastodon.client import api, call, plain
from socialdesk.channels.models import Channel
from socialdesk.channels.polling import remember
from socialdesk.ingest.actions import receive_event


def poll_mentions(channel: Channel) -> int:
    """Mention notifications newer than the last one seen; each stored once (event id: the status)."""
    client = api(channel)
    since = str(channel.config.get("last_notification_id", "")) or None
    found = call(client, lambda: client.notifications(types=["mention"], since_id=since, limit=40))
    stored = 0
    newest = since
    for notification in sorted(found, key=lambda n: int(n["id"])):
        payload = plain(notification)
        status = payload.get("status") or {}
        if status.get("id"):
            stored += int(receive_event(channel, f"status:{status['id']}", payload))
        newest = str(notification["id"])
    if newest and newest != since:
        remember(channel, last_notification_id=newest)
    return stored
