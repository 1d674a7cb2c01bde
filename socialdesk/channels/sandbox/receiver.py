"""Sandbox inbound: posts from a scenario file are received like webhook deliveries and replayed in time."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from socialdesk.channels.errors import PayloadError
from socialdesk.channels.models import AccountRole, Channel
from socialdesk.channels.sandbox.payloads import ScenarioPost
from socialdesk.channels.sandbox.scenario import read_scenario_file
from socialdesk.ingest.actions import receive_event, receive_events
from socialdesk.workspaces.models import Workspace


def parse_post(payload: Mapping[str, Any]) -> ScenarioPost:
    try:
        return ScenarioPost.model_validate(payload)
    except ValidationError as exc:
        raise PayloadError(f"not a sandbox post: {exc.errors(include_url=False)}") from exc


def read_scenario(path: Path) -> list[ScenarioPost]:
    """The posts of a scenario day, in time order (the header and the agents' replies are not received)."""
    return read_scenario_file(path).posts


# network -> (role, handle) of the account the brand's policy names there (see policy.accounts).
Accounts = Mapping[str, tuple[str, str]]


def sandbox_channel(workspace: Workspace, simulates: str, account: tuple[str, str] | None = None) -> Channel:
    """The workspace's sandbox account standing in for `simulates`. With `account` (role, handle), the
    account the policy names there: created so, or an earlier sandbox account for the network renamed."""
    placeholder = f"@{workspace.slug}.{simulates}"
    if account is None:
        channel, _ = Channel.objects.get_or_create(
            workspace=workspace,
            network="sandbox",
            # One sandbox account per simulated network, told apart by its handle.
            handle=placeholder,
            account_role=AccountRole.BRAND,
            defaults={
                "name": f"{workspace.name} on {simulates} (sandbox)",
                "config": {"simulates": simulates},
            },
        )
        return channel
    role, handle = account
    known = Channel.objects.filter(workspace=workspace, network="sandbox", config__simulates=simulates)
    found = known.filter(handle=handle).order_by("pk").first() or known.filter(handle=placeholder).first()
    if found is None:
        return Channel.objects.create(
            workspace=workspace,
            network="sandbox",
            handle=handle,
            account_role=role,
            name=f"{workspace.name} on {simulates} (sandbox)",
            config={"simulates": simulates},
        )
    if (found.handle, found.account_role) != (handle, role):
        found.handle, found.account_role = handle, role
        found.save(update_fields=["handle", "account_role"])
    return found


@dataclass
class ReplayResult:
    posts: int = 0
    stored: int = 0
    duplicates: int = 0


def _shifted(posts: list[ScenarioPost], end_at: datetime | None) -> Iterator[ScenarioPost]:
    offset = end_at - posts[-1].at if end_at and posts else timedelta(0)
    for post in posts:
        yield post.model_copy(update={"at": post.at + offset}) if offset else post


def replay(
    workspace: Workspace,
    posts: list[ScenarioPost],
    *,
    speed: float = 0.0,
    end_at: datetime | None = None,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[int], None] | None = None,
    accounts: Accounts | None = None,
) -> ReplayResult:
    """Receive every post like a webhook delivery. `speed` 0 = as fast as possible, 60 = a minute per second.

    `end_at` shifts all timestamps so the last post lands there (a demo that ends 'now').
    Receiving is idempotent on the post id, so replaying twice stores nothing new. `accounts`: the
    policy's accounts, which the sandbox channels take their role and handle from.
    """
    result = ReplayResult()
    channels: dict[str, Channel] = {}
    previous: datetime | None = None
    for post in _shifted(posts, end_at):
        if speed > 0 and previous is not None:
            sleep(max(0.0, (post.at - previous).total_seconds() / speed))
        previous = post.at
        channel = channels.get(post.network) or channels.setdefault(
            post.network, sandbox_channel(workspace, post.network, (accounts or {}).get(post.network))
        )
        stored = receive_event(channel, post.id, post.model_dump(mode="json", exclude_none=True))
        result.posts += 1
        result.stored += int(stored)
        result.duplicates += int(not stored)
        if progress:
            progress(1)
    return result


def store_backlog(workspace: Workspace, posts: list[ScenarioPost], accounts: Accounts | None = None) -> int:
    """Store posts as raw events without processing them: a backlog, as after a broker outage."""
    stored = 0
    for network in sorted({p.network for p in posts}):
        channel = sandbox_channel(workspace, network, (accounts or {}).get(network))
        events = [(p.id, p.model_dump(mode="json", exclude_none=True)) for p in posts if p.network == network]
        stored += len(receive_events(channel, events))
    return stored
