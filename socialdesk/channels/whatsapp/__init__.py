"""WhatsApp Cloud API: customers' messages in; free-text answers only within 24 hours of their last
message (after that WhatsApp accepts only approved templates, which the desk does not send yet)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from socialdesk.channels.registry import CannotReconcile, DeliveryError, PayloadError

if TYPE_CHECKING:
    from socialdesk.channels.models import Channel
    from socialdesk.conversations.models import Message
    from socialdesk.ingest.schema import InboundMessage


class WhatsAppAdapter:
    name = "whatsapp"

    def normalize(self, payload: Mapping[str, Any], channel: Channel) -> list[InboundMessage] | None:
        from socialdesk.channels.meta.payloads import normalize

        try:
            return normalize(self.name, dict(payload))
        except (ValidationError, KeyError) as exc:
            raise PayloadError(f"not a WhatsApp event: {exc}") from exc

    def deliver(self, message: Message, idempotency_key: str) -> str:
        from socialdesk.channels.meta import send
        from socialdesk.channels.meta.graph import graph

        send.messaging_type(message, human_agent=False)  # refuses outside the 24-hour window
        body = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": send.recipient(message),
            "type": "text",
            "text": {"body": message.text, "preview_url": False},
        }
        phone = str(message.channel.config.get("phone_number_id", ""))
        answer = graph(message.channel, "POST", f"{phone}/messages", body=body)
        return str(answer["messages"][0]["id"])

    def moderate(self, message: Message, action: str, idempotency_key: str) -> None:
        raise DeliveryError("WhatsApp has no moderation of customers' messages", permanent=True)

    def reconcile(self, message: Message, kind: str, idempotency_key: str) -> str | None:
        raise CannotReconcile("WhatsApp offers no lookup of a sent message")


ADAPTER = WhatsAppAdapter()
