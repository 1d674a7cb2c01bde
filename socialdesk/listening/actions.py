"""Which workspaces a stream post belongs to, by their policies' `listening` sections. One matcher
serves every brand; it is rebuilt when any active policy version changes (checked per call with one
small query, so N stateless workers stay in step without shared state)."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from socialdesk.channels.models import Channel
from socialdesk.ingest.actions import receive_event
from socialdesk.listening.matcher import Hit, Matcher
from socialdesk.policy.actions import parsed_policy
from socialdesk.policy.models import PolicyVersion

_lock = threading.Lock()
_cache: dict[str, Any] = {"key": None, "matcher": Matcher()}


def current_matcher() -> Matcher:
    versions = tuple(
        PolicyVersion.objects.filter(is_active=True)
        .order_by("workspace_id")
        .values_list("workspace_id", "pk")
    )
    with _lock:
        if _cache["key"] != versions:
            rules = []
            for workspace_id, version_id in versions:
                listening = parsed_policy(version_id).listening
                if listening is not None:
                    terms = [*listening.terms, *listening.handles, *listening.misspellings]
                    rules.append((str(workspace_id), terms, listening.exclude))
            _cache["matcher"] = Matcher.build(rules)
            _cache["key"] = versions
        matcher: Matcher = _cache["matcher"]
    return matcher


def listening_hits(text: str) -> dict[int, list[str]]:
    """{workspace id: terms found} for a post, exclusions applied."""
    out: dict[int, list[str]] = {}
    hit: Hit
    for hit in current_matcher().hits(text):
        out.setdefault(int(hit.owner), []).append(hit.term)
    return out


def take_stream_post(
    channels: Mapping[int, Channel], event_id: str, text: str, payload: Mapping[str, Any]
) -> list[int]:
    """Store a stream post (one that tags nobody) for every workspace listening for it, through that
    workspace's channel on the stream's network; returns the workspaces that took it."""
    taken = []
    for workspace_id in listening_hits(text):
        channel = channels.get(workspace_id)
        if channel is not None and receive_event(channel, event_id, payload):
            taken.append(workspace_id)
    return taken
