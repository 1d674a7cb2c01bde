"""Facebook Pages and Instagram work the same way on the Graph API, apart from names: where replies
live (`comments` / `replies`), how a comment is hidden (`is_hidden` / `hide`), and whose id sends
messages (the Page / the Instagram account). One adapter, configured per network."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from socialdesk.channels.common import normalized
from socialdesk.channels.errors import CannotReconcile, DeliveryError
from socialdesk.channels.meta import send
from socialdesk.channels.meta.graph import graph
from socialdesk.channels.meta.payloads import normalize

if TYPE_CHECKING:
    from socialdesk.channels.models import Channel
    from socialdesk.channels.spec import NetworkRules
    from socialdesk.conversations.models import Message
    from socialdesk.ingest.schema import InboundMessage


@dataclass(frozen=True)
class MetaCommentsAdapter:
    name: str
    display: str
    owner_key: str  # the channel setting holding the id that sends messages
    reply_edge: str
    hide_field: str

    def normalize(self, payload: Mapping[str, Any], channel: Channel) -> list[InboundMessage] | None:
        return normalized(f"a {self.display} event", lambda: normalize(self.name, dict(payload)))

    def deliver(self, message: Message, idempotency_key: str, rules: NetworkRules) -> str:
        owner = str(message.channel.config.get(self.owner_key, ""))
        if not message.is_private:
            body = {"message": message.text}
            answer = graph(message.channel, "POST", f"{message.in_reply_to}/{self.reply_edge}", body=body)
            return str(answer["id"])
        send.refuse_unless_allowed(message, rules)
        if message.conversation.is_private:
            extra = send.messaging_type(message, rules)
            return send.send_message(message, owner, {"id": send.recipient(message)}, extra)
        return send.send_message(message, owner, {"comment_id": message.in_reply_to}, {})

    def publish(self, channel: Channel, text: str, idempotency_key: str, continues: str) -> str:
        """A post on the Page's feed; an update is the Page's comment under its own bulletin post."""
        owner = str(channel.config.get(self.owner_key, ""))
        edge = f"{continues}/{self.reply_edge}" if continues else f"{owner}/feed"
        return str(graph(channel, "POST", edge, body={"message": text})["id"])

    def find_post(self, channel: Channel, text: str, idempotency_key: str, continues: str) -> str | None:
        owner = str(channel.config.get(self.owner_key, ""))
        edge = f"{continues}/{self.reply_edge}" if continues else f"{owner}/feed"
        answer = graph(channel, "GET", edge, params={"fields": "id,message,from"})
        for item in answer.get("data") or []:
            if item.get("message") == text and (item.get("from") or {}).get("id") == owner:
                return str(item["id"])
        return None

    def moderate(self, message: Message, action: str, idempotency_key: str) -> None:
        if message.is_private or not message.network_message_id:
            raise DeliveryError(f"{self.display}: only comments can be hidden or deleted", permanent=True)
        if action == "hide":
            graph(message.channel, "POST", message.network_message_id, body={self.hide_field: True})
        else:
            graph(message.channel, "DELETE", message.network_message_id)

    def reconcile(self, message: Message, kind: str, idempotency_key: str) -> str | None:
        if kind == "hide":
            return None  # hiding again is harmless
        if kind == "delete":
            return send.comment_gone(message)
        if message.is_private:
            raise CannotReconcile(f"{self.display} offers no lookup of a sent message")
        owner = str(message.channel.config.get(self.owner_key, ""))
        return send.find_own_reply(message, self.reply_edge, owner)
