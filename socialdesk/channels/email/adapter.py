"""Email: an IMAP mailbox polled in, SMTP replies out, threaded and loop-safe (RFC 3834)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from socialdesk.channels.common import normalized
from socialdesk.channels.email import client
from socialdesk.channels.email.payloads import normalize
from socialdesk.channels.errors import CannotReconcile, DeliveryError

if TYPE_CHECKING:
    from socialdesk.channels.models import Channel
    from socialdesk.channels.spec import NetworkRules
    from socialdesk.conversations.models import Message
    from socialdesk.ingest.schema import InboundMessage


class EmailAdapter:
    name = "email"

    def normalize(self, payload: Mapping[str, Any], channel: Channel) -> list[InboundMessage] | None:
        return normalized("a stored email", lambda: normalize(dict(payload)))

    def deliver(self, message: Message, idempotency_key: str, rules: NetworkRules) -> str:
        return client.send(message, idempotency_key)

    def moderate(self, message: Message, action: str, idempotency_key: str) -> None:
        raise DeliveryError("email cannot be moderated", permanent=True)

    def reconcile(self, message: Message, kind: str, idempotency_key: str) -> str | None:
        raise CannotReconcile("SMTP keeps no record the desk can ask")


ADAPTER = EmailAdapter()
