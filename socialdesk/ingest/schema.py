"""`InboundMessage`: the one typed shape every network's payload is normalized into."""

from __future__ import annotations

import unicodedata
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

MAX_TEXT_CHARS = 50_000

MessageKind = Literal["mention", "comment", "reply", "dm", "post", "email"]


class Author(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    network_user_id: str = Field(min_length=1, max_length=200)
    handle: str = Field(default="", max_length=200)
    display_name: str = Field(default="", max_length=200)


def clean_text(value: str) -> str:
    """Drop NULs and C0 controls a database or terminal would choke on; keep everything a person wrote.

    Direction overrides and zero-width characters stay in storage (they can be meaningful in RTL
    languages); the web layer renders them inert.
    """
    cleaned = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return cleaned[:MAX_TEXT_CHARS]


class InboundMessage(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    network: str = Field(description="The network whose rules apply (the simulated one for the sandbox).")
    message_id: str = Field(min_length=1, max_length=200)
    kind: MessageKind
    is_private: bool
    author: Author
    text: str
    created_at: AwareDatetime
    in_reply_to: str | None = Field(default=None, max_length=200)
    # The thread this belongs to even when its parent is unknown: a post for comments, a conversation id.
    thread_root: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=500)

    @field_validator("text")
    @classmethod
    def _clean(cls, value: str) -> str:
        return clean_text(value)
