"""TinyNet's wire format, parsed at the boundary."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from socialdesk.ingest.schema import Author, InboundMessage


class TinyPost(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    user: str
    text: str


def normalize(payload: dict[str, Any]) -> list[InboundMessage]:
    post = TinyPost.model_validate(payload)
    return [
        InboundMessage(
            network="tinynet",
            message_id=post.id,
            kind="mention",
            is_private=False,
            author=Author(network_user_id=post.user, handle=post.user),
            text=post.text,
            created_at=datetime.now(tz=UTC),
        )
    ]
