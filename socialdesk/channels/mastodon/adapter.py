"""Mastodon: mention notifications polled in; replies and direct messages (visibility=direct with
the person's @mention) out. Mastodon gives an account no way to remove others' replies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from socialdesk.channels.common import normalized, recipient_handle
from socialdesk.channels.errors import DeliveryError
from socialdesk.channels.mastodon.client import post_status
from socialdesk.channels.mastodon.payloads import normalize

if TYPE_CHECKING:
    from socialdesk.channels.models import Channel
    from socialdesk.channels.spec import NetworkRules
    from socialdesk.conversations.models import Message
    from socialdesk.ingest.schema import InboundMessage


def _addressed(message: Message) -> str:
    """Mastodon notifies (and, for direct messages, shows) a status only to the accounts it mentions."""
    handle = recipient_handle(message, "mastodon", "Mastodon")
    if not handle.handle:
        raise DeliveryError("Mastodon: this contact has no account to mention", permanent=True)
    mention = f"@{handle.handle}"
    return message.text if mention.lower() in message.text.lower() else f"{mention} {message.text}"


class MastodonAdapter:
    name = "mastodon"

    def normalize(self, payload: Mapping[str, Any], channel: Channel) -> list[InboundMessage] | None:
        account = str(channel.config.get("account_id", ""))
        return normalized("a Mastodon notification", lambda: normalize(dict(payload), account))

    def deliver(self, message: Message, idempotency_key: str, rules: NetworkRules) -> str:
        return post_status(
            message.channel, _addressed(message), message.in_reply_to, message.is_private, idempotency_key
        )

    def moderate(self, message: Message, action: str, idempotency_key: str) -> None:
        raise DeliveryError("Mastodon does not let an account hide or delete others' posts", permanent=True)

    def reconcile(self, message: Message, kind: str, idempotency_key: str) -> str | None:
        # Sending again with the same Idempotency-Key returns the status Mastodon already has.
        return None

    def publish(self, channel: Channel, text: str, idempotency_key: str, continues: str) -> str:
        return post_status(channel, text, continues, False, idempotency_key)

    def find_post(self, channel: Channel, text: str, idempotency_key: str, continues: str) -> str | None:
        return None  # as for replies: the Idempotency-Key makes a second post the same status


ADAPTER = MastodonAdapter()
