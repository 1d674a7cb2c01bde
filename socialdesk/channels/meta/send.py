"""Sending on Meta's networks by their rules (the effective ones: defaults from each network's spec,
overridden by the policy): the messaging window (then, on Facebook and Instagram, the HUMAN_AGENT
tag), one private reply per comment within its days. The rules themselves live in channels.rules."""

from __future__ import annotations

from typing import Any

from socialdesk.channels.common import recipient_handle
from socialdesk.channels.errors import DeliveryError
from socialdesk.channels.meta.graph import graph
from socialdesk.channels.registry import display_name
from socialdesk.channels.rules import needs_human_agent_tag, private_message_refusal
from socialdesk.channels.spec import NetworkRules
from socialdesk.conversations.models import Message


def recipient(message: Message) -> str:
    network = message.channel.network
    return recipient_handle(message, network, display_name(network)).network_user_id


def refuse_unless_allowed(message: Message, rules: NetworkRules) -> None:
    """The network's private-message rules (the same check the composer made before queueing, again:
    time has passed, or another private reply went out since)."""
    refusal = private_message_refusal(message.conversation, rules, sending=message)
    if refusal:
        raise DeliveryError(refusal, permanent=True)


def messaging_type(message: Message, rules: NetworkRules) -> dict[str, str]:
    """RESPONSE inside the messaging window; past it (where the rules allow) the HUMAN_AGENT tag."""
    if needs_human_agent_tag(message.conversation, rules):
        return {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
    return {"messaging_type": "RESPONSE"}


def send_message(message: Message, sender_id: str, to: dict[str, str], extra: dict[str, Any]) -> str:
    """POST /{page or IG user}/messages; returns Meta's message id."""
    body = {"recipient": to, "message": {"text": message.text}, **extra}
    answer = graph(message.channel, "POST", f"{sender_id}/messages", body=body)
    return str(answer["message_id"])


def comment_gone(message: Message) -> str | None:
    """After a crash mid-delete: "" when the comment is gone (done), None when it is still there."""
    try:
        graph(message.channel, "GET", str(message.network_message_id), params={"fields": "id"})
    except DeliveryError as missing:
        if missing.permanent:
            return ""
        raise
    return None


def find_own_reply(message: Message, edge: str, owner: str) -> str | None:
    """Our public reply under the comment, by text, if the network has it."""
    answer = graph(
        message.channel, "GET", f"{message.in_reply_to}/{edge}", params={"fields": "id,message,text,from"}
    )
    for item in answer.get("data") or []:
        text = item.get("message", item.get("text"))
        author = (item.get("from") or {}).get("id")
        if text == message.text and author == owner:
            return str(item["id"])
    return None
