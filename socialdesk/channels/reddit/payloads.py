"""Reddit's inbox things (t1 comments: mentions and replies; t4 private messages) as the JSON
listing gives them, parsed at the boundary."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from socialdesk.ingest.schema import Author, InboundMessage


class Thing(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=4, max_length=40, description="the fullname, e.g. t1_abc")
    author: str | None = None
    body: str = ""
    created_utc: float
    parent_id: str | None = None
    first_message_name: str | None = None
    link_id: str | None = None
    context: str = ""
    subject: str = ""
    was_comment: bool = False


def normalize(payload: dict[str, Any], own_name: str) -> list[InboundMessage]:
    kind = payload.get("kind")
    thing = Thing.model_validate(payload.get("data") or {})
    if kind not in {"t1", "t4"} or not thing.author or thing.author.lower() == own_name.lower():
        return []  # deleted authors, our own things
    private = kind == "t4"
    is_reply = thing.subject in {"comment reply", "post reply"}
    return [
        InboundMessage(
            network="reddit",
            message_id=thing.name,
            kind="dm" if private else ("reply" if is_reply else "mention"),
            is_private=private,
            author=Author(network_user_id=thing.author, handle=thing.author),
            text=thing.body if not private else f"{thing.subject}\n\n{thing.body}".strip(),
            created_at=datetime.fromtimestamp(thing.created_utc, tz=UTC),
            in_reply_to=(thing.parent_id or thing.first_message_name)
            if (is_reply or private)
            else thing.name,
            thread_root=thing.link_id,
            url=f"https://www.reddit.com{thing.context}" if thing.context else None,
        )
    ]
