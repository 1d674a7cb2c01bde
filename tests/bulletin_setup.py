"""A workspace whose policy posts incident bulletins on its brand accounts, and an incident."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from socialdesk.conversations.models import (
    Contact,
    ContactHandle,
    Conversation,
    DeliveryStatus,
    Direction,
    Message,
)
from socialdesk.incidents.models import Incident
from socialdesk.policy.actions import save_policy
from tests.helpers import T0

EXAMPLES = Path(__file__).parents[1] / "socialdesk" / "policy" / "examples"
INTERNAL_TITLE = "Madrid cell 4471 backhaul down (ops ticket NET-8812)"
CATEGORY = "line_problem"
BULLETIN = "Mobile data is down in central Madrid since 08:40. Engineers are on it. Updates: {incident_link}"


def bulletin_policy(workspace: Any, extra_accounts: list[dict[str, Any]] | None = None) -> Any:
    """The telecom example, with bulletins on its brand accounts and the Telegram bot's channel."""
    policy = yaml.safe_load((EXAMPLES / "telecom.yaml").read_text(encoding="utf-8"))
    for account in policy["channels"]["accounts"]:
        if account["network"] in {"x", "facebook", "mastodon", "bluesky", "telegram", "instagram"}:
            account["bulletins"] = True
    policy["channels"]["accounts"].extend(extra_accounts or [])
    return save_policy(workspace, yaml.safe_dump(policy, allow_unicode=True, sort_keys=False))


def incident(workspace: Any) -> Incident:
    return Incident.objects.create(workspace=workspace, title=INTERNAL_TITLE, category=CATEGORY, opened_at=T0)


def linked_conversation(
    channel: Any,
    incident: Incident,
    n: int,
    *,
    network_id: str,
    handle: str = "",
    language: str = "en",
    kind: str = "mention",
    category: str = CATEGORY,
    text: str = "no data at all in Madrid since this morning",
) -> Conversation:
    """A customer's public post about the incident, triaged, linked (as the pipeline leaves it)."""
    workspace_id = channel.workspace_id
    contact = Contact.objects.create(workspace_id=workspace_id, display_name=f"Customer {n}")
    ContactHandle.objects.create(
        workspace_id=workspace_id,
        contact=contact,
        network=channel.network,
        network_user_id=f"user{n}",
        handle=handle or f"user{n}",
    )
    conversation = Conversation.objects.create(
        workspace_id=workspace_id,
        channel=channel,
        contact=contact,
        thread_key=f"{channel.network}:{network_id}",
        status="open",
        message_count=1,
        first_inbound_at=T0,
        last_inbound_at=T0,
        last_message_at=T0,
        language=language,
        sentiment="negative",
        intent="complaint",
        category=category,
        needs_response=True,
        incident=incident,
    )
    Message.objects.create(
        workspace_id=workspace_id,
        conversation=conversation,
        channel=channel,
        direction=Direction.INBOUND,
        kind=kind,
        network_message_id=network_id,
        contact=contact,
        author_handle=handle or f"user{n}",
        text=text,
        sent_at=T0,
        delivery_status=DeliveryStatus.RECEIVED,
        language=language,
        sentiment="negative",
        intent="complaint",
        category=category,
        triage={"flags": ["problem"], "sentiment_scores": {"negative": 0.9, "positive": 0.02}},
    )
    return conversation
