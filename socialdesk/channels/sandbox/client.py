"""Outbound to the sandbox network: the 'network' is a table, so replies are stored and visible."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialdesk.channels.models import SandboxDelivery

if TYPE_CHECKING:
    from socialdesk.conversations.models import Message


def deliver(message: Message, idempotency_key: str) -> str:
    """Idempotent on the key, like a real network's idempotency header: a retry returns the first id."""
    delivery, _ = SandboxDelivery.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "channel_id": message.channel_id,
            "network_message_id": f"sbx-out-{idempotency_key}",
            "in_reply_to": message.in_reply_to,
            "is_private": message.is_private,
            "recipient": message.conversation.contact.display_name,
            "text": message.text,
        },
    )
    return delivery.network_message_id


def publish(channel_id: int, text: str, idempotency_key: str, continues: str) -> str:
    """A post on the sandbox brand's account, stored like a delivery (idempotent on the key)."""
    delivery, _ = SandboxDelivery.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "channel_id": channel_id,
            "network_message_id": f"sbx-post-{idempotency_key}",
            "in_reply_to": continues,
            "is_private": False,
            "recipient": "",
            "text": text,
        },
    )
    return delivery.network_message_id


def moderate(message: Message, action: str, idempotency_key: str) -> None:
    """The sandbox records moderation like a delivery, so the outbox treats every kind alike."""
    SandboxDelivery.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "channel_id": message.channel_id,
            "network_message_id": f"sbx-{action}-{message.network_message_id}",
            "in_reply_to": message.network_message_id or "",
            "is_private": False,
            "recipient": "",
            "text": f"[{action}]",
        },
    )


def find(idempotency_key: str) -> str | None:
    """What the sandbox holds for a key: it can always tell, so a crash mid-send is resolved exactly."""
    return (
        SandboxDelivery.objects.filter(idempotency_key=idempotency_key)
        .values_list("network_message_id", flat=True)
        .first()
    )
