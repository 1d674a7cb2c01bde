"""Bluesky shapes: a notification (listNotifications) and a Jetstream v2 commit event, parsed at the
boundary. A post is addressed by its at:// URI; replies need the parent's and the root's URI + CID."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from socialdesk.ingest.schema import Author, InboundMessage


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Ref(_Model):
    uri: str
    cid: str


class ReplyRefs(_Model):
    root: Ref
    parent: Ref


class PostRecord(_Model):
    text: str = ""
    created_at: datetime = Field(alias="createdAt")
    reply: ReplyRefs | None = None


class ProfileView(_Model):
    did: str
    handle: str = ""
    display_name: str = Field(default="", alias="displayName")


class Notification(_Model):
    uri: str
    cid: str
    author: ProfileView
    reason: str
    record: PostRecord


def post_url(handle: str, uri: str) -> str:
    return f"https://bsky.app/profile/{handle}/post/{uri.rsplit('/', 1)[-1]}"


def normalize(payload: dict[str, Any], own_did: str) -> list[InboundMessage]:
    if payload.get("source") == "jetstream":
        return _jetstream(payload)
    note = Notification.model_validate(payload)
    if note.reason not in {"mention", "reply", "quote"} or note.author.did == own_did:
        return []
    reply = note.record.reply
    return [
        InboundMessage(
            network="bluesky",
            message_id=note.uri,
            kind="reply" if note.reason == "reply" else "mention",
            is_private=False,
            author=Author(
                network_user_id=note.author.did,
                handle=note.author.handle,
                display_name=note.author.display_name,
            ),
            text=note.record.text,
            created_at=note.record.created_at,
            in_reply_to=reply.parent.uri if reply else None,
            thread_root=reply.root.uri if reply else None,
            url=post_url(note.author.handle or note.author.did, note.uri),
        )
    ]


def _jetstream(payload: dict[str, Any]) -> list[InboundMessage]:
    """A post found by keyword listening (it tags nobody): the start of a public thread."""
    commit = payload["commit"]
    record = PostRecord.model_validate(commit["record"])
    uri = f"at://{payload['did']}/{commit['collection']}/{commit['rkey']}"
    return [
        InboundMessage(
            network="bluesky",
            message_id=uri,
            kind="post",
            is_private=False,
            author=Author(network_user_id=payload["did"]),
            text=record.text,
            created_at=record.created_at,
            in_reply_to=record.reply.parent.uri if record.reply else None,
            url=post_url(payload["did"], uri),
        )
    ]


def reply_refs(payload: dict[str, Any]) -> tuple[Ref, Ref]:
    """(root, parent) strong refs to answer the stored post."""
    if payload.get("source") == "jetstream":
        commit = payload["commit"]
        own = Ref(uri=f"at://{payload['did']}/{commit['collection']}/{commit['rkey']}", cid=commit["cid"])
        record = PostRecord.model_validate(commit["record"])
    else:
        note = Notification.model_validate(payload)
        own, record = Ref(uri=note.uri, cid=note.cid), note.record
    return (record.reply.root if record.reply else own), own
