"""Bluesky in: mentions, replies and quotes polled from the account's notifications."""

from __future__ import annotations

from socialdesk.channels.bluesky.client import call, client_for, dump
from socialdesk.channels.models import Channel
from socialdesk.channels.polling import remember
from socialdesk.ingest.actions import receive_event


def poll_notifications(channel: Channel) -> int:
    """Mentions, replies and quotes newer than the last seen; each stored once (event id: the post URI)."""
    client = client_for(channel)
    answer = call(lambda: client.app.bsky.notification.list_notifications(params={"limit": 50}))
    seen = str(channel.config.get("last_indexed_at", ""))
    stored, newest = 0, seen
    for note in sorted(answer.notifications, key=lambda n: n.indexed_at):
        if note.indexed_at <= seen or note.reason not in {"mention", "reply", "quote"}:
            continue
        stored += int(receive_event(channel, f"post:{note.uri}", dump(note)))
        newest = max(newest, note.indexed_at)
    if newest != seen:
        remember(channel, last_indexed_at=newest)
    return stored
