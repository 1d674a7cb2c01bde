"""Sending on Meta's networks by their rules: the 24-hour messaging window (then, on Facebook and
Instagram, the HUMAN_AGENT tag up to 7 days), one private reply per comment within 7 days."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from socialdesk.channels.meta.graph import NETWORK_NAMES, graph
from socialdesk.channels.registry import DeliveryError
from socialdesk.conversations.models import DeliveryStatus, Direction, Message

WINDOW = timedelta(hours=24)
HUMAN_AGENT = timedelta(days=7)
PRIVATE_REPLY = timedelta(days=7)


def recipient(message: Message) -> str:
    network = message.channel.network
    handle = message.conversation.contact.handles.filter(network=network).order_by("pk").first()
    if handle is None:
        raise DeliveryError(
            f"{NETWORK_NAMES[network]}: this contact has no account to message", permanent=True
        )
    return handle.network_user_id


def messaging_type(message: Message, *, human_agent: bool) -> dict[str, str]:
    """RESPONSE inside the window; HUMAN_AGENT tag up to 7 days where allowed; else refused."""
    age = timezone.now() - message.conversation.last_inbound_at
    if age <= WINDOW:
        return {"messaging_type": "RESPONSE"}
    if human_agent and age <= HUMAN_AGENT:
        return {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
    name = NETWORK_NAMES[message.channel.network]
    limit = "7 days (HUMAN_AGENT tag)" if human_agent else "24 hours"
    raise DeliveryError(
        f"{name}: the customer last wrote {age.days} days {age.seconds // 3600} hours ago; private "
        f"messages are allowed only within {limit} of their last message",
        permanent=True,
    )


def check_private_reply(message: Message) -> str:
    """The comment a private reply answers: at most one, within 7 days of the comment."""
    name = NETWORK_NAMES[message.channel.network]
    comment_id = message.in_reply_to
    if not comment_id:
        raise DeliveryError(f"{name}: a private reply needs the comment it answers", permanent=True)
    comment = Message.objects.filter(channel_id=message.channel_id, network_message_id=comment_id).first()
    if comment is not None and timezone.now() - comment.sent_at > PRIVATE_REPLY:
        raise DeliveryError(f"{name}: a comment can be answered privately only within 7 days", permanent=True)
    earlier = Message.objects.filter(
        conversation_id=message.conversation_id,
        direction=Direction.OUTBOUND,
        is_private=True,
        in_reply_to=comment_id,
        delivery_status=DeliveryStatus.SENT,
    ).exclude(pk=message.pk)
    if earlier.exists():
        raise DeliveryError(
            f"{name}: this comment was already answered privately (one per comment)", permanent=True
        )
    return comment_id


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
