"""X's wire shapes: Account Activity webhook deliveries (v1.1 tweet and DM event objects) and the v2
tweets the mention poller reads. Parsed at the boundary; unknown fields are ignored, as X adds them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from socialdesk.ingest.schema import Author, InboundMessage


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class V1User(_Model):
    id_str: str = Field(min_length=1, max_length=40)
    screen_name: str = Field(default="", max_length=100)
    name: str = Field(default="", max_length=200)


class ExtendedTweet(_Model):
    full_text: str


class V1Tweet(_Model):
    id_str: str = Field(min_length=1, max_length=40)
    created_at: str
    text: str = ""
    truncated: bool = False
    extended_tweet: ExtendedTweet | None = None
    in_reply_to_status_id_str: str | None = None
    user: V1User

    def full_text(self) -> str:
        return self.extended_tweet.full_text if self.extended_tweet else self.text

    def created(self) -> datetime:
        # "Wed Oct 10 20:19:24 +0000 2018"
        return datetime.strptime(self.created_at, "%a %b %d %H:%M:%S %z %Y")


class MessageData(_Model):
    text: str


class Target(_Model):
    recipient_id: str


class MessageCreate(_Model):
    target: Target
    sender_id: str
    message_data: MessageData


class DmEvent(_Model):
    type: str
    id: str = Field(min_length=1, max_length=40)
    created_timestamp: str
    message_create: MessageCreate | None = None


class DmUser(_Model):
    id: str
    screen_name: str = ""
    name: str = ""


class Activity(_Model):
    """One Account Activity delivery (or one event of it, as stored)."""

    for_user_id: str
    tweet_create_events: list[V1Tweet] = Field(default_factory=list)
    direct_message_events: list[DmEvent] = Field(default_factory=list)
    users: dict[str, DmUser] = Field(default_factory=dict)


class V2User(_Model):
    id: str
    username: str = ""
    name: str = ""


class V2Reference(_Model):
    type: str
    id: str


class V2Tweet(_Model):
    id: str
    text: str
    author_id: str
    created_at: datetime
    conversation_id: str | None = None
    referenced_tweets: list[V2Reference] = Field(default_factory=list)

    def replied_to(self) -> str | None:
        return next((r.id for r in self.referenced_tweets if r.type == "replied_to"), None)


class PolledMention(_Model):
    """A mention read by the poller, stored with its author so it normalizes on its own."""

    source: str = "poll"
    for_user_id: str
    data: V2Tweet
    author: V2User


def tweet_url(screen_name: str, tweet_id: str) -> str:
    return f"https://x.com/{screen_name or 'i'}/status/{tweet_id}"


def normalize(payload: dict[str, Any]) -> list[InboundMessage]:
    """Messages in a stored X event; the brand's own tweets and DMs (echoed back by X) are skipped."""
    if payload.get("source") == "poll":
        return _polled(PolledMention.model_validate(payload))
    return _activity(Activity.model_validate(payload))


def _polled(polled: PolledMention) -> list[InboundMessage]:
    tweet = polled.data
    if tweet.author_id == polled.for_user_id:
        return []
    parent = tweet.replied_to()
    return [
        InboundMessage(
            network="x",
            message_id=tweet.id,
            kind="reply" if parent else "mention",
            is_private=False,
            author=Author(
                network_user_id=tweet.author_id,
                handle=polled.author.username,
                display_name=polled.author.name,
            ),
            text=tweet.text,
            created_at=tweet.created_at,
            in_reply_to=parent,
            thread_root=tweet.conversation_id,
            url=tweet_url(polled.author.username, tweet.id),
        )
    ]


def _activity(activity: Activity) -> list[InboundMessage]:
    out: list[InboundMessage] = []
    for tweet in activity.tweet_create_events:
        if tweet.user.id_str == activity.for_user_id:
            continue
        out.append(
            InboundMessage(
                network="x",
                message_id=tweet.id_str,
                kind="reply" if tweet.in_reply_to_status_id_str else "mention",
                is_private=False,
                author=Author(
                    network_user_id=tweet.user.id_str,
                    handle=tweet.user.screen_name,
                    display_name=tweet.user.name,
                ),
                text=tweet.full_text(),
                created_at=tweet.created(),
                in_reply_to=tweet.in_reply_to_status_id_str,
                url=tweet_url(tweet.user.screen_name, tweet.id_str),
            )
        )
    for event in activity.direct_message_events:
        create = event.message_create
        if event.type != "message_create" or create is None or create.sender_id == activity.for_user_id:
            continue
        sender = activity.users.get(create.sender_id) or DmUser(id=create.sender_id)
        out.append(
            InboundMessage(
                network="x",
                message_id=f"dm:{event.id}",
                kind="dm",
                is_private=True,
                author=Author(
                    network_user_id=create.sender_id, handle=sender.screen_name, display_name=sender.name
                ),
                text=create.message_data.text,
                created_at=datetime.fromtimestamp(int(event.created_timestamp) / 1000, tz=UTC),
            )
        )
    return out


def split_delivery(activity: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """One stored event per tweet or DM (event id = the network's id), each with what it needs."""
    parsed = Activity.model_validate(activity)
    events: list[tuple[str, dict[str, Any]]] = []
    raw_tweets = activity.get("tweet_create_events") or []
    for tweet, raw in zip(parsed.tweet_create_events, raw_tweets, strict=True):
        events.append(
            (f"tweet:{tweet.id_str}", {"for_user_id": parsed.for_user_id, "tweet_create_events": [raw]})
        )
    raw_dms = activity.get("direct_message_events") or []
    for event, raw in zip(parsed.direct_message_events, raw_dms, strict=True):
        sender = event.message_create.sender_id if event.message_create else ""
        users = {k: v for k, v in (activity.get("users") or {}).items() if k == sender}
        events.append(
            (
                f"dm:{event.id}",
                {"for_user_id": parsed.for_user_id, "direct_message_events": [raw], "users": users},
            )
        )
    return events
