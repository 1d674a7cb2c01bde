"""Meta's webhook shapes, parsed at the boundary: Page feed changes (comments, visitor posts),
Instagram comments, Messenger / Instagram messaging events, WhatsApp Cloud messages. Unknown fields
are ignored (Meta adds them); unknown change fields are acknowledged and not stored."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from socialdesk.ingest.schema import Author, InboundMessage


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class From(_Model):
    id: str = Field(min_length=1, max_length=64)
    name: str = ""
    username: str = ""


class FeedValue(_Model):
    item: str
    verb: str
    post_id: str = ""
    comment_id: str = ""
    parent_id: str = ""
    message: str = ""
    created_time: int | str | None = None
    sender_id: str = ""  # older feed deliveries
    from_: From | None = Field(default=None, alias="from")


class CommentValue(_Model):
    """Instagram `comments` change."""

    id: str = Field(min_length=1, max_length=64)
    text: str = ""
    parent_id: str = ""
    from_: From = Field(alias="from")
    media: dict[str, Any] = Field(default_factory=dict)


class Party(_Model):
    id: str = Field(min_length=1, max_length=64)


class MessageBody(_Model):
    mid: str = Field(min_length=1, max_length=200)
    text: str = ""
    is_echo: bool = False


class Messaging(_Model):
    sender: Party
    recipient: Party
    timestamp: int
    message: MessageBody | None = None


class WaProfile(_Model):
    name: str = ""


class WaContact(_Model):
    wa_id: str
    profile: WaProfile = Field(default_factory=WaProfile)


class WaText(_Model):
    body: str


class WaMessage(_Model):
    id: str = Field(min_length=1, max_length=200)
    from_: str = Field(alias="from")
    timestamp: str
    type: str
    text: WaText | None = None


class WaValue(_Model):
    messaging_product: str
    metadata: dict[str, str] = Field(default_factory=dict)
    contacts: list[WaContact] = Field(default_factory=list)
    messages: list[WaMessage] = Field(default_factory=list)


def when(value: int | str | None, fallback: int = 0) -> datetime:
    """Meta sends epoch seconds, epoch milliseconds or ISO 8601 ("2026-11-20T09:00:00+0000")."""
    if isinstance(value, str) and not value.isdecimal():
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    number = int(value) if value not in (None, "") else fallback
    return datetime.fromtimestamp(number / 1000 if number > 10**11 else number, tz=UTC)


def split_entries(payload: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """One stored event per comment, post or message of a delivery, keyed by Meta's own id."""
    events: list[tuple[str, dict[str, Any]]] = []
    for entry in payload["entry"]:
        owner, at = str(entry["id"]), entry.get("time")
        for change in entry.get("changes") or []:
            value, field = change["value"], change["field"]
            if field == "feed":
                feed = FeedValue.model_validate(value)
                if feed.verb != "add" or feed.item not in {"comment", "post", "status"}:
                    continue
                key = f"comment:{feed.comment_id}" if feed.item == "comment" else f"post:{feed.post_id}"
            elif field == "comments":
                key = f"comment:{CommentValue.model_validate(value).id}"
            elif field == "messages":
                wa = WaValue.model_validate(value)
                for message in wa.messages:
                    one = {**value, "messages": [message.model_dump(by_alias=True)]}
                    events.append((f"wa:{message.id}", {"kind": field, "owner": owner, "value": one}))
                continue
            else:
                continue
            events.append((key, {"kind": field, "owner": owner, "time": at, "value": value}))
        for messaging in entry.get("messaging") or []:
            event = Messaging.model_validate(messaging)
            if event.message is None or event.message.is_echo:
                continue  # reads, deliveries, our own echoes
            events.append(
                (f"msg:{event.message.mid}", {"kind": "messaging", "owner": owner, "value": messaging})
            )
    return events


def normalize(network: str, payload: dict[str, Any]) -> list[InboundMessage]:
    kind, owner, value = payload["kind"], str(payload["owner"]), payload["value"]
    if kind == "feed":
        feed = FeedValue.model_validate(value)
        author = feed.from_ or From(id=feed.sender_id or "unknown")
        if author.id == owner:
            return []  # the page's own comment
        is_comment = feed.item == "comment"
        return [
            InboundMessage(
                network=network,
                message_id=feed.comment_id if is_comment else feed.post_id,
                kind="comment" if is_comment else "post",
                is_private=False,
                author=Author(network_user_id=author.id, display_name=author.name),
                text=feed.message,
                created_at=when(feed.created_time, int(payload.get("time") or 0)),
                in_reply_to=(feed.parent_id or feed.post_id) if is_comment else None,
                thread_root=feed.post_id or None,
            )
        ]
    if kind == "comments":
        comment = CommentValue.model_validate(value)
        if comment.from_.id == owner:
            return []
        media = str(comment.media.get("id", ""))
        return [
            InboundMessage(
                network=network,
                message_id=comment.id,
                kind="comment",
                is_private=False,
                author=Author(network_user_id=comment.from_.id, handle=comment.from_.username),
                text=comment.text,
                created_at=when(payload.get("time")),
                in_reply_to=comment.parent_id or media or None,
                thread_root=media or None,
            )
        ]
    if kind == "messaging":
        event = Messaging.model_validate(value)
        assert event.message is not None  # noqa: S101 - split_entries stores only messages
        return [
            InboundMessage(
                network=network,
                message_id=event.message.mid,
                kind="dm",
                is_private=True,
                author=Author(network_user_id=event.sender.id),
                text=event.message.text,
                created_at=when(event.timestamp),
            )
        ]
    if kind == "messages":
        wa = WaValue.model_validate(value)
        names = {c.wa_id: c.profile.name for c in wa.contacts}
        return [
            InboundMessage(
                network=network,
                message_id=m.id,
                kind="dm",
                is_private=True,
                author=Author(network_user_id=m.from_, handle=m.from_, display_name=names.get(m.from_, "")),
                text=m.text.body if m.text else f"[{m.type} message]",
                created_at=when(m.timestamp),
            )
            for m in wa.messages
        ]
    return []
