"""Reddit: the brand account's inbox (username mentions, replies, private messages) in; replies,
private messages only to people who wrote to us privately (their consent), and moderator removal in
subreddits the account moderates out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from socialdesk.channels.common import normalized, recipient_handle
from socialdesk.channels.errors import CannotReconcile, DeliveryError
from socialdesk.channels.reddit import client
from socialdesk.channels.reddit.payloads import normalize
from socialdesk.channels.rules import private_message_refusal

if TYPE_CHECKING:
    from socialdesk.channels.models import Channel
    from socialdesk.channels.spec import NetworkRules
    from socialdesk.conversations.models import Message
    from socialdesk.ingest.schema import InboundMessage


def _consented(message: Message, rules: NetworkRules) -> str:
    """The username, if Reddit's rule lets us write (by default: PMs need the person's consent)."""
    refusal = private_message_refusal(message.conversation, rules, sending=message)
    if refusal:
        raise DeliveryError(refusal, permanent=True)
    return recipient_handle(message, "reddit", "Reddit").network_user_id


class RedditAdapter:
    name = "reddit"

    def normalize(self, payload: Mapping[str, Any], channel: Channel) -> list[InboundMessage] | None:
        username = str(channel.credentials.get("username", ""))
        return normalized("a Reddit thing", lambda: normalize(dict(payload), username))

    def deliver(self, message: Message, idempotency_key: str, rules: NetworkRules) -> str:
        if message.is_private and not message.conversation.is_private:
            return client.send_private(
                message.channel, _consented(message, rules), "About your post", message.text
            )
        if not message.in_reply_to:
            raise DeliveryError("Reddit: nothing to reply to", permanent=True)
        return client.reply(message.channel, message.in_reply_to, message.text)

    def moderate(self, message: Message, action: str, idempotency_key: str) -> None:
        if message.is_private or not message.network_message_id:
            raise DeliveryError("Reddit: private messages cannot be moderated", permanent=True)
        # A moderator's removal hides the comment from everyone but its author; "delete" marks it spam.
        client.remove(message.channel, message.network_message_id, spam=action == "delete")

    def reconcile(self, message: Message, kind: str, idempotency_key: str) -> str | None:
        if kind in {"hide", "delete"}:
            return None  # removing again is harmless
        if message.is_private and not message.conversation.is_private:
            raise CannotReconcile(
                "a new private message cannot be told apart from an earlier one by the desk"
            )
        return client.find_reply(message.channel, message.in_reply_to, message.text)

    def publish(self, channel: Channel, text: str, idempotency_key: str, continues: str) -> str:
        """A text post in the subreddit the brand moderates (its rules are the brand's to set); an
        update is the brand's comment under it."""
        if continues:
            return client.reply(channel, continues, text)
        subreddit = _bulletin_subreddit(channel)
        return client.submit(channel, subreddit, _title(text), text)

    def find_post(self, channel: Channel, text: str, idempotency_key: str, continues: str) -> str | None:
        if continues:
            return client.find_reply(channel, continues, text)
        return client.find_submission(channel, _bulletin_subreddit(channel), text)


def _bulletin_subreddit(channel: Channel) -> str:
    subreddit = str(channel.config.get("subreddit", "")).strip().removeprefix("r/")
    if not subreddit or subreddit.lower() not in client.moderated_subreddits(channel):
        raise DeliveryError(
            "Reddit: bulletins go only to a subreddit the brand account moderates (set the "
            "channel's subreddit)",
            permanent=True,
        )
    return subreddit


def _title(text: str) -> str:
    """Reddit posts need a title: the bulletin's first sentence (at most 300 characters)."""
    first = text.strip().split("\n", 1)[0]
    for stop in (". ", "! ", "? "):
        if stop in first:
            first = first.split(stop, 1)[0] + stop.strip()
    return first[:300]


ADAPTER = RedditAdapter()
