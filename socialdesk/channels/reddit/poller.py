"""Reddit in: the account's inbox (mentions, replies, private messages) polled."""

from __future__ import annotations

from typing import Any

from socialdesk.channels.models import Channel
from socialdesk.channels.polling import remember
from socialdesk.channels.reddit.client import call, reddit
from socialdesk.ingest.actions import receive_event


def poll_inbox(channel: Channel) -> int:
    """Inbox things (mentions, replies, private messages) newer than the last one seen."""
    client = reddit(channel)
    before = str(channel.config.get("last_inbox_name", ""))
    params: dict[str, str | int] = {"limit": 100, "raw_json": 1, **({"before": before} if before else {})}
    listing: dict[str, Any] = call(lambda: client.request(method="GET", path="/message/inbox", params=params))
    things = listing.get("data", {}).get("children", [])
    stored = sum(int(receive_event(channel, f"thing:{t['data']['name']}", t)) for t in reversed(things))
    if things:
        remember(channel, last_inbox_name=things[0]["data"]["name"])
    return stored
