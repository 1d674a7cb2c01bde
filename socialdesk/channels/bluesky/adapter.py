"""Bluesky: notifications polled in and Jetstream for keyword listening; replies and chat out.
Bluesky gives an account no way to remove others' posts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from socialdesk.channels.bluesky import client
from socialdesk.channels.bluesky.payloads import normalize, reply_refs
from socialdesk.channels.common import normalized, recipient_handle
from socialdesk.channels.errors import CannotReconcile, DeliveryError
from socialdesk.conversations.models import Message as Stored

if TYPE_CHECKING:
    from socialdesk.channels.models import Channel
    from socialdesk.channels.spec import NetworkRules
    from socialdesk.conversations.models import Message
    from socialdesk.ingest.schema import InboundMessage


class BlueskyAdapter:
    name = "bluesky"

    def normalize(self, payload: Mapping[str, Any], channel: Channel) -> list[InboundMessage] | None:
        did = str(channel.config.get("did", ""))
        return normalized("a Bluesky event", lambda: normalize(dict(payload), did))

    def deliver(self, message: Message, idempotency_key: str, rules: NetworkRules) -> str:
        if message.is_private:
            handle = recipient_handle(message, "bluesky", "Bluesky")
            return client.chat(message.channel, handle.network_user_id, message.text)
        parent = Stored.objects.filter(
            channel_id=message.channel_id, network_message_id=message.in_reply_to
        ).first()
        if parent is None or parent.raw_event is None:
            raise DeliveryError("Bluesky: the post to answer is not known to the desk", permanent=True)
        root, own = reply_refs(parent.raw_event.payload)
        return client.reply(message.channel, message.text, root.model_dump(), own.model_dump())

    def moderate(self, message: Message, action: str, idempotency_key: str) -> None:
        raise DeliveryError("Bluesky does not let an account hide or delete others' posts", permanent=True)

    def reconcile(self, message: Message, kind: str, idempotency_key: str) -> str | None:
        if message.is_private:
            raise CannotReconcile("a chat message cannot be told apart from an earlier one by the desk")
        return client.find_reply(message.channel, message.in_reply_to, message.text)

    def publish(self, channel: Channel, text: str, idempotency_key: str, continues: str) -> str:
        return client.post(channel, text, continues)

    def find_post(self, channel: Channel, text: str, idempotency_key: str, continues: str) -> str | None:
        return client.find_post(channel, text, continues)


ADAPTER = BlueskyAdapter()
