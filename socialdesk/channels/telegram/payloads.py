"""Telegram Bot API updates (the webhook body), parsed at the boundary. Private chats are DMs; in
groups the bot sees messages that mention it or answer it (privacy mode), which are public."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from socialdesk.ingest.schema import Author, InboundMessage


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class User(_Model):
    id: int
    is_bot: bool = False
    first_name: str = ""
    last_name: str = ""
    username: str = ""


class Chat(_Model):
    id: int
    type: str
    title: str = ""


class Replied(_Model):
    message_id: int


class TgMessage(_Model):
    message_id: int
    date: int
    chat: Chat
    from_: User | None = Field(default=None, alias="from")
    text: str = ""
    caption: str = ""
    reply_to_message: Replied | None = None


class Update(_Model):
    update_id: int
    message: TgMessage | None = None


def message_key(chat_id: int, message_id: int) -> str:
    """Message ids are unique within a chat only."""
    return f"{chat_id}:{message_id}"


def event_id(payload: dict[str, Any]) -> str | None:
    update = Update.model_validate(payload)
    if update.message is None:
        return None
    return "msg:" + message_key(update.message.chat.id, update.message.message_id)


def normalize(payload: dict[str, Any]) -> list[InboundMessage]:
    update = Update.model_validate(payload)
    message = update.message
    if message is None or message.from_ is None or message.from_.is_bot:
        return []
    private = message.chat.type == "private"
    sender = message.from_
    replied = message.reply_to_message
    return [
        InboundMessage(
            network="telegram",
            message_id=message_key(message.chat.id, message.message_id),
            kind="dm" if private else ("reply" if replied else "mention"),
            is_private=private,
            author=Author(
                network_user_id=str(sender.id),
                handle=sender.username,
                display_name=" ".join(n for n in (sender.first_name, sender.last_name) if n),
            ),
            text=message.text or message.caption or "[media]",
            created_at=datetime.fromtimestamp(message.date, tz=UTC),
            in_reply_to=message_key(message.chat.id, replied.message_id) if replied else None,
            thread_root=None if private else f"chat:{message.chat.id}",
        )
    ]
