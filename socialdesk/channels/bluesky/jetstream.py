"""Keyword listening on Bluesky through Jetstream v2 (JSON over a WebSocket): every new post of the
network is checked against every brand's listening terms; a match is stored for that brand's
Bluesky channel, once (event id: the post's URI)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from websockets.sync.client import connect

from socialdesk.channels.models import Channel

log = logging.getLogger(__name__)
JETSTREAM = "wss://jetstream2.us-east.bsky.network/subscribe"


@dataclass
class ListenResult:
    events: int = 0
    posts: int = 0
    taken: int = 0


def listening_channels() -> dict[int, Channel]:
    """The Bluesky channel of each workspace that listens (one per workspace, the first)."""
    found: dict[int, Channel] = {}
    for channel in Channel.objects.filter(network="bluesky", is_active=True).order_by("pk"):
        found.setdefault(channel.workspace_id, channel)
    return found


# (channels by workspace, event id, text, payload) -> the workspaces that took the post. Keyword
# listening (socialdesk.listening) sits above the channels, so the caller hands its taker in.
TakePost = Callable[[Mapping[int, Channel], str, str, Mapping[str, Any]], list[int]]


def listen(
    take_post: TakePost, url: str = JETSTREAM, max_events: int | None = None, timeout: float = 30.0
) -> ListenResult:
    """Read the stream (until `max_events`, or forever), giving each new post to `take_post`;
    `wantedCollections` keeps it to posts."""
    result = ListenResult()
    channels = listening_channels()
    with connect(f"{url}?wantedCollections=app.bsky.feed.post", open_timeout=timeout) as socket:
        for raw in socket:
            result.events += 1
            try:
                event = json.loads(raw)
                commit = event.get("commit") or {}
                if event.get("kind") == "commit" and commit.get("operation") == "create":
                    result.posts += 1
                    text = str((commit.get("record") or {}).get("text", ""))
                    uri = f"at://{event['did']}/{commit['collection']}/{commit['rkey']}"
                    taken = take_post(channels, f"post:{uri}", text, {"source": "jetstream", **event})
                    result.taken += len(taken)
            except (ValueError, KeyError, TypeError) as exc:
                log.warning("jetstream: unusable event skipped: %s", exc)
            if max_events is not None and result.events >= max_events:
                break
    return result
