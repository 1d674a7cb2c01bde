"""Telegram bots: updates by webhook (secret-token header) in; answers in the chat, private messages
only to people who started the bot, deleting messages (under 48 hours) out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from socialdesk.channels.common import normalized, recipient_handle
from socialdesk.channels.errors import CannotReconcile, DeliveryError
from socialdesk.channels.telegram import client
from socialdesk.channels.telegram.payloads import normalize

if TYPE_CHECKING:
    from socialdesk.channels.models import Channel
    from socialdesk.channels.spec import NetworkRules
    from socialdesk.conversations.models import Message
    from socialdesk.ingest.schema import InboundMessage


def _user_id(message: Message) -> int:
    return int(recipient_handle(message, "telegram", "Telegram").network_user_id)


class TelegramAdapter:
    name = "telegram"

    def normalize(self, payload: Mapping[str, Any], channel: Channel) -> list[InboundMessage] | None:
        return normalized("a Telegram update", lambda: normalize(dict(payload)))

    def deliver(self, message: Message, idempotency_key: str, rules: NetworkRules) -> str:
        replied = client.split_key(message.in_reply_to) if message.in_reply_to else None
        if message.is_private and not message.conversation.is_private:
            # From a group to the person: Telegram refuses unless they started the bot.
            return client.send(message.channel, _user_id(message), message.text, None)
        if replied is None:
            return client.send(message.channel, _user_id(message), message.text, None)
        return client.send(message.channel, replied[0], message.text, replied[1])

    def moderate(self, message: Message, action: str, idempotency_key: str) -> None:
        if action != "delete" or not message.network_message_id:
            raise DeliveryError("Telegram lets a bot delete messages, not hide them", permanent=True)
        client.delete(message.channel, message.network_message_id)

    def reconcile(self, message: Message, kind: str, idempotency_key: str) -> str | None:
        if kind == "delete":
            return None  # deleting again answers "message to delete not found": settled as failed, harmless
        raise CannotReconcile("the Bot API keeps no history a bot can read")

    def publish(self, channel: Channel, text: str, idempotency_key: str, continues: str) -> str:
        """Into the brand's Telegram channel (the bot is one of its admins); an update replies to the
        bulletin's message there."""
        if continues:
            chat_id, message_id = client.split_key(continues)
            return client.send(channel, chat_id, text, message_id)
        broadcast = str(channel.config.get("broadcast_chat", "")).strip()
        if not broadcast:
            raise DeliveryError(
                "Telegram: this bot has no channel to post bulletins in (set broadcast_chat, e.g. "
                "@nimbus_status, and make the bot an admin there)",
                permanent=True,
            )
        return client.send(
            channel, int(broadcast) if broadcast.lstrip("-").isdecimal() else broadcast, text, None
        )

    def find_post(self, channel: Channel, text: str, idempotency_key: str, continues: str) -> str | None:
        raise CannotReconcile("the Bot API keeps no history a bot can read")


ADAPTER = TelegramAdapter()
