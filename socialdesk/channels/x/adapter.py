"""X (Twitter): Account Activity webhooks or mention polling in; replies, DMs and hidden replies out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from socialdesk.channels.common import normalized, recipient_handle
from socialdesk.channels.errors import DeliveryError
from socialdesk.channels.x import client
from socialdesk.channels.x.payloads import normalize

if TYPE_CHECKING:
    from socialdesk.channels.models import Channel
    from socialdesk.channels.spec import NetworkRules
    from socialdesk.conversations.models import Message
    from socialdesk.ingest.schema import InboundMessage


def _recipient(message: Message) -> str:
    return recipient_handle(message, "x", "X").network_user_id


class XAdapter:
    name = "x"

    def normalize(self, payload: Mapping[str, Any], channel: Channel) -> list[InboundMessage] | None:
        return normalized("an X event", lambda: normalize(dict(payload)))

    def deliver(self, message: Message, idempotency_key: str, rules: NetworkRules) -> str:
        if message.is_private:
            return client.send_dm(message.channel, _recipient(message), message.text)
        return client.reply(message.channel, message.text, message.in_reply_to)

    def moderate(self, message: Message, action: str, idempotency_key: str) -> None:
        if action != "hide" or message.is_private or not message.network_message_id:
            raise DeliveryError(
                f"X lets a brand only hide replies to its posts, not {action}", permanent=True
            )
        client.hide_reply(message.channel, message.network_message_id)

    def reconcile(self, message: Message, kind: str, idempotency_key: str) -> str | None:
        if kind == "hide":
            return None  # hiding again is harmless: X answers hidden=true either way
        if message.is_private:
            return client.find_dm(message.channel, _recipient(message), message.text)
        return client.find_reply(message.channel, message.in_reply_to, message.text)

    def publish(self, channel: Channel, text: str, idempotency_key: str, continues: str) -> str:
        # A reply to the brand's own post is allowed on every plan: updates thread under the bulletin.
        return client.reply(channel, text, continues)

    def find_post(self, channel: Channel, text: str, idempotency_key: str, continues: str) -> str | None:
        return client.find_post(channel, text, continues)


ADAPTER = XAdapter()
