"""TinyNet's poller: stores what the test put in INBOX."""

from __future__ import annotations

from typing import Any

from socialdesk.channels.models import Channel
from socialdesk.ingest.actions import receive_event

INBOX: list[dict[str, Any]] = []


def poll(channel: Channel) -> int:
    return sum(int(receive_event(channel, f"post:{post['id']}", post)) for post in INBOX)
