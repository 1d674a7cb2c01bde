"""Facebook Page + Messenger: feed comments and visitor posts, Messenger DMs; public replies,
private replies to comments (once, 7 days), Messenger within 24 h then HUMAN_AGENT, hide and delete."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from socialdesk.channels.registry import CannotReconcile, DeliveryError, PayloadError

if TYPE_CHECKING:
    from socialdesk.channels.models import Channel
    from socialdesk.conversations.models import Message
    from socialdesk.ingest.schema import InboundMessage


class FacebookAdapter:
    name = "facebook"

    def normalize(self, payload: Mapping[str, Any], channel: Channel) -> list[InboundMessage] | None:
        from socialdesk.channels.meta.payloads import normalize

        try:
            return normalize(self.name, dict(payload))
        except (ValidationError, KeyError) as exc:
            raise PayloadError(f"not a Facebook event: {exc}") from exc

    def deliver(self, message: Message, idempotency_key: str) -> str:
        from socialdesk.channels.meta import send
        from socialdesk.channels.meta.graph import graph

        page = str(message.channel.config.get("page_id", ""))
        if not message.is_private:
            answer = graph(
                message.channel, "POST", f"{message.in_reply_to}/comments", body={"message": message.text}
            )
            return str(answer["id"])
        if message.conversation.is_private:
            extra = send.messaging_type(message, human_agent=True)
            return send.send_message(message, page, {"id": send.recipient(message)}, extra)
        comment = send.check_private_reply(message)
        return send.send_message(message, page, {"comment_id": comment}, {})

    def moderate(self, message: Message, action: str, idempotency_key: str) -> None:
        from socialdesk.channels.meta.graph import graph

        if message.is_private or not message.network_message_id:
            raise DeliveryError(
                "Facebook: only comments on the Page can be hidden or deleted", permanent=True
            )
        if action == "hide":
            graph(message.channel, "POST", message.network_message_id, body={"is_hidden": True})
        else:
            graph(message.channel, "DELETE", message.network_message_id)

    def reconcile(self, message: Message, kind: str, idempotency_key: str) -> str | None:
        from socialdesk.channels.meta import send

        if kind == "hide":
            return None  # hiding again is harmless
        if kind == "delete":
            return send.comment_gone(message)
        if message.is_private:
            raise CannotReconcile("Messenger offers no lookup of a sent message")
        return send.find_own_reply(message, "comments", str(message.channel.config.get("page_id", "")))


ADAPTER = FacebookAdapter()
