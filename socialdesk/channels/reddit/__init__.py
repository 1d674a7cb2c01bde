"""Reddit: the brand account's inbox (username mentions, replies, private messages) in; replies,
private messages only to people who wrote to us privately (their consent), and moderator removal in
subreddits the account moderates out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from socialdesk.channels.registry import CannotReconcile, DeliveryError, PayloadError

if TYPE_CHECKING:
    from socialdesk.channels.models import Channel
    from socialdesk.conversations.models import Message
    from socialdesk.ingest.schema import InboundMessage


def _consented(message: Message) -> str:
    """The username, if this person has written to us privately (Reddit's rule: PMs need consent)."""
    from socialdesk.conversations.models import Direction
    from socialdesk.conversations.models import Message as Stored

    handle = message.conversation.contact.handles.filter(network="reddit").order_by("pk").first()
    wrote = Stored.objects.filter(
        contact_id=message.conversation.contact_id,
        channel_id=message.channel_id,
        direction=Direction.INBOUND,
        is_private=True,
    ).exists()
    if handle is None or not wrote:
        raise DeliveryError(
            "Reddit: this person has not written to us privately; ask in public whether we may message them",
            permanent=True,
        )
    return handle.network_user_id


class RedditAdapter:
    name = "reddit"

    def normalize(self, payload: Mapping[str, Any], channel: Channel) -> list[InboundMessage] | None:
        from socialdesk.channels.reddit.payloads import normalize

        try:
            return normalize(dict(payload), str(channel.credentials.get("username", "")))
        except ValidationError as exc:
            raise PayloadError(f"not a Reddit thing: {exc.errors(include_url=False)}") from exc

    def deliver(self, message: Message, idempotency_key: str) -> str:
        from socialdesk.channels.reddit import client

        if message.is_private and not message.conversation.is_private:
            return client.send_private(message.channel, _consented(message), "About your post", message.text)
        if not message.in_reply_to:
            raise DeliveryError("Reddit: nothing to reply to", permanent=True)
        return client.reply(message.channel, message.in_reply_to, message.text)

    def moderate(self, message: Message, action: str, idempotency_key: str) -> None:
        from socialdesk.channels.reddit import client

        if message.is_private or not message.network_message_id:
            raise DeliveryError("Reddit: private messages cannot be moderated", permanent=True)
        # A moderator's removal hides the comment from everyone but its author; "delete" marks it spam.
        client.remove(message.channel, message.network_message_id, spam=action == "delete")

    def reconcile(self, message: Message, kind: str, idempotency_key: str) -> str | None:
        from socialdesk.channels.reddit import client

        if kind in {"hide", "delete"}:
            return None  # removing again is harmless
        if message.is_private and not message.conversation.is_private:
            raise CannotReconcile(
                "a new private message cannot be told apart from an earlier one by the desk"
            )
        return client.find_reply(message.channel, message.in_reply_to, message.text)


ADAPTER = RedditAdapter()
