"""Mastodon's REST shapes (a notification with its status), parsed at the boundary. Status content is
HTML; the desk keeps its text. Direct-visibility statuses are private messages."""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from socialdesk.ingest.schema import Author, InboundMessage

_BREAKS = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Account(_Model):
    id: str
    acct: str = Field(description="user for local accounts, user@instance for remote ones")
    display_name: str = ""


class Status(_Model):
    id: str
    created_at: datetime
    content: str
    visibility: str
    in_reply_to_id: str | None = None
    url: str | None = None
    account: Account


class Notification(_Model):
    id: str
    type: str
    status: Status | None = None


def text_of(content: str) -> str:
    """Status HTML -> plain text: line breaks kept, tags dropped, entities decoded."""
    return html.unescape(_TAGS.sub("", _BREAKS.sub("\n", content))).strip()


def normalize(payload: dict[str, Any], own_account_id: str) -> list[InboundMessage]:
    notification = Notification.model_validate(payload)
    status = notification.status
    if notification.type != "mention" or status is None or status.account.id == own_account_id:
        return []
    private = status.visibility == "direct"
    return [
        InboundMessage(
            network="mastodon",
            message_id=status.id,
            kind="dm" if private else ("reply" if status.in_reply_to_id else "mention"),
            is_private=private,
            author=Author(
                network_user_id=status.account.id,
                handle=status.account.acct,
                display_name=status.account.display_name,
            ),
            text=text_of(status.content),
            created_at=status.created_at,
            in_reply_to=status.in_reply_to_id,
            url=status.url,
        )
    ]
