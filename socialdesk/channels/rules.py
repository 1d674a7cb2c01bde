"""A network's private-message rules applied to one conversation, in one place: the composer asks
before anything is queued and the sender asks again before calling the network, both with the
effective rules (the network's defaults with the workspace policy's overrides)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from socialdesk.channels.registry import display_name
from socialdesk.channels.spec import NetworkRules
from socialdesk.conversations.models import DeliveryStatus, Direction, Message

if TYPE_CHECKING:
    from socialdesk.conversations.models import Conversation

# A private reply not yet sent still uses up the comment's one private reply.
_IN_FLIGHT = [DeliveryStatus.SENT, DeliveryStatus.QUEUED, DeliveryStatus.AWAITING_APPROVAL]


def needs_human_agent_tag(
    conversation: Conversation, rules: NetworkRules, now: datetime | None = None
) -> bool:
    """Past the messaging window (but allowed by the HUMAN_AGENT tag): the message must carry the tag."""
    window = rules.messaging_window_hours
    if not window:
        return False
    return (now or timezone.now()) - conversation.last_inbound_at > timedelta(hours=window)


def private_message_refusal(
    conversation: Conversation,
    rules: NetworkRules,
    *,
    sending: Message | None = None,
    now: datetime | None = None,
) -> str | None:
    """Why the network would refuse a private message in this conversation now; None when it would
    not (as far as the desk can know). `sending`: the queued message the sender is about to send;
    None for a draft, which answers the conversation's last inbound message."""
    channel = sending.channel if sending is not None else conversation.reply_channel or conversation.channel
    name = display_name(channel.effective_network)
    if rules.dm_eligibility == "none":
        return f"{name}: the network has no private messages for brands"
    if conversation.is_private:
        return _outside_window(conversation, rules, name, now or timezone.now())
    if rules.private_reply_to_comment_days:
        return _private_reply_refusal(conversation, rules.private_reply_to_comment_days, name, sending, now)
    if rules.dm_eligibility == "user_consent" and not _wrote_privately(conversation, channel.pk):
        return (
            f"{name}: this person has not written to us privately; ask in public whether we may message them"
        )
    return None


def _outside_window(conversation: Conversation, rules: NetworkRules, name: str, now: datetime) -> str | None:
    window = rules.messaging_window_hours
    if not window:
        return None
    age = now - conversation.last_inbound_at
    tag_days = rules.human_agent_tag_days
    if age <= timedelta(hours=window) or (tag_days and age <= timedelta(days=tag_days)):
        return None
    limit = f"{tag_days} days (HUMAN_AGENT tag)" if tag_days else f"{window} hours"
    return (
        f"{name}: the customer last wrote {age.days} days {age.seconds // 3600} hours ago; private "
        f"messages are allowed only within {limit} of their last message"
    )


def _private_reply_refusal(
    conversation: Conversation, days: int, name: str, sending: Message | None, now: datetime | None
) -> str | None:
    """A comment gets at most one private reply, within `days` of the comment."""
    comment_id = sending.in_reply_to if sending is not None else _last_inbound_id(conversation)
    if not comment_id:
        return f"{name}: a private reply needs the comment it answers"
    comment = Message.objects.filter(
        conversation_id=conversation.pk, network_message_id=comment_id, direction=Direction.INBOUND
    ).first()
    if comment is not None and (now or timezone.now()) - comment.sent_at > timedelta(days=days):
        return f"{name}: a comment can be answered privately only within {days} days"
    earlier = Message.objects.filter(
        conversation_id=conversation.pk,
        direction=Direction.OUTBOUND,
        is_private=True,
        in_reply_to=comment_id,
        # The sender counts only what went out: a queued twin must not block both.
        delivery_status__in=[DeliveryStatus.SENT] if sending is not None else _IN_FLIGHT,
    )
    if sending is not None:
        earlier = earlier.exclude(pk=sending.pk)
    if earlier.exists():
        return f"{name}: this comment was already answered privately (one per comment)"
    return None


def _last_inbound_id(conversation: Conversation) -> str:
    last = conversation.messages.filter(direction=Direction.INBOUND).order_by("-sent_at").first()
    return (last.network_message_id or "") if last else ""


def _wrote_privately(conversation: Conversation, channel_id: int) -> bool:
    return Message.objects.filter(
        contact_id=conversation.contact_id,
        channel_id=channel_id,
        direction=Direction.INBOUND,
        is_private=True,
    ).exists()
