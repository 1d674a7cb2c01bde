"""The built-in sandbox network: no accounts needed (scenario replay in, stored deliveries out)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from socialdesk.channels.sandbox import client
from socialdesk.channels.sandbox.receiver import parse_post

if TYPE_CHECKING:
    from socialdesk.channels.models import Channel
    from socialdesk.channels.spec import NetworkRules
    from socialdesk.conversations.models import Message
    from socialdesk.ingest.schema import InboundMessage


class SandboxAdapter:
    name = "sandbox"

    def normalize(self, payload: Mapping[str, Any], channel: Channel) -> list[InboundMessage] | None:
        return [parse_post(payload).to_inbound()]

    def deliver(self, message: Message, idempotency_key: str, rules: NetworkRules) -> str:
        return client.deliver(message, idempotency_key)

    def moderate(self, message: Message, action: str, idempotency_key: str) -> None:
        client.moderate(message, action, idempotency_key)

    def reconcile(self, message: Message, kind: str, idempotency_key: str) -> str | None:
        return client.find(idempotency_key)

    def publish(self, channel: Channel, text: str, idempotency_key: str, continues: str) -> str:
        return client.publish(channel.pk, text, idempotency_key, continues)

    def find_post(self, channel: Channel, text: str, idempotency_key: str, continues: str) -> str | None:
        return client.find(idempotency_key)


ADAPTER = SandboxAdapter()
