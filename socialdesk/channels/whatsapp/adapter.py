"""WhatsApp Cloud API: customers' messages in; free-text answers only within 24 hours of their last
message (after that WhatsApp accepts only approved templates, which the desk does not send yet)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from socialdesk.channels.common import normalized
from socialdesk.channels.errors import CannotReconcile, DeliveryError
from socialdesk.channels.meta import send
from socialdesk.channels.meta.payloads import normalize
from socialdesk.channels.whatsapp.client import send_text

if TYPE_CHECKING:
    from socialdesk.channels.models import Channel
    from socialdesk.channels.spec import NetworkRules
    from socialdesk.conversations.models import Message
    from socialdesk.ingest.schema import InboundMessage


class WhatsAppAdapter:
    name = "whatsapp"

    def normalize(self, payload: Mapping[str, Any], channel: Channel) -> list[InboundMessage] | None:
        return normalized("a WhatsApp event", lambda: normalize(self.name, dict(payload)))

    def deliver(self, message: Message, idempotency_key: str, rules: NetworkRules) -> str:
        send.refuse_unless_allowed(message, rules)  # free text only within the messaging window
        return send_text(message.channel, send.recipient(message), message.text)

    def moderate(self, message: Message, action: str, idempotency_key: str) -> None:
        raise DeliveryError("WhatsApp has no moderation of customers' messages", permanent=True)

    def reconcile(self, message: Message, kind: str, idempotency_key: str) -> str | None:
        raise CannotReconcile("WhatsApp offers no lookup of a sent message")


ADAPTER = WhatsAppAdapter()
