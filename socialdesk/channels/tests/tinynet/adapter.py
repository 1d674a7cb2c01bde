"""TinyNet's adapter: a post is {"id", "user", "text"}; sending records what was sent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from socialdesk.channels.common import normalized
from socialdesk.channels.errors import CannotReconcile
from socialdesk.channels.tests.tinynet import client
from socialdesk.channels.tests.tinynet.payloads import normalize

if TYPE_CHECKING:
    from socialdesk.channels.models import Channel
    from socialdesk.channels.spec import NetworkRules
    from socialdesk.conversations.models import Message
    from socialdesk.ingest.schema import InboundMessage


class TinyAdapter:
    name = "tinynet"

    def normalize(self, payload: Mapping[str, Any], channel: Channel) -> list[InboundMessage] | None:
        return normalized("a TinyNet post", lambda: normalize(dict(payload)))

    def deliver(self, message: Message, idempotency_key: str, rules: NetworkRules) -> str:
        return client.send(message.text, rules)

    def moderate(self, message: Message, action: str, idempotency_key: str) -> None:
        raise NotImplementedError

    def reconcile(self, message: Message, kind: str, idempotency_key: str) -> str | None:
        raise CannotReconcile("TinyNet keeps nothing")


ADAPTER = TinyAdapter()
