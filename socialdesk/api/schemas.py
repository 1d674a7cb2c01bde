"""The API's shapes: what goes in and out of each endpoint, and how a conversation or message becomes
JSON (shared by every endpoint that returns one)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from socialdesk.conversations.models import Conversation, Message
from socialdesk.conversations.personal_data import shown_text


class ConversationOut(Schema):
    id: int
    workspace: str
    network: str
    status: str
    priority: str
    subject: str
    contact: str
    assignee: str | None
    team: str | None
    language: str
    sentiment: str
    intent: str
    category: str
    priority_score: int
    needs_response: bool
    legal_threat: bool
    has_personal_data: bool
    message_count: int
    last_message_at: datetime
    waiting_since: datetime | None = Field(
        default=None, description="the customer's oldest message no agent answered yet (the default order)"
    )
    first_response_due_at: datetime | None
    next_response_due_at: datetime | None
    incident: int | None
    tags: list[str]


class InboxOut(Schema):
    count: int = Field(
        description="Matching conversations: exact for a live status filter, else counted up to 1,001."
    )
    counts: dict[str, int] = Field(
        description="Exact live conversations per status (new, open, pending, live)."
    )
    items: list[ConversationOut]


class MessageOut(Schema):
    id: int
    direction: str
    is_private: bool
    kind: str
    author: str
    text: str = Field(description="As written, except personal data the desk masks (see `masked`)")
    masked: bool = Field(
        description="Card numbers, national ids or the policy's patterns are masked in `text`"
    )
    sent_at: datetime
    delivery_status: str
    hidden: bool
    deleted: bool
    intent: str
    sentiment: str
    category: str
    language: str
    personal_data: list[str]
    priority_score: int
    held_reason: str = Field(description="Why the policy held the reply for approval (held replies).")
    reviewed_by: str | None = Field(description="Who approved or returned the reply (its last review).")
    reviewed_at: datetime | None
    review_note: str = Field(description="What the reviewer asked to change (returned replies).")
    undo_until: datetime | None = Field(
        description="Think twice: until then the reply waits and its author may undo or edit it."
    )


class RevealedOut(Schema):
    id: int
    text: str


class NoteOut(Schema):
    id: int
    author: str | None
    text: str
    created_at: datetime


class ConversationDetail(ConversationOut):
    messages: list[MessageOut]
    notes: list[NoteOut]


class Done(Schema):
    detail: str


class InputError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class Problem(Schema):
    """A refused action (any `DeskError`) or refused input: the reason, a stable code, and the HTTP
    status; for input that does not match the schema (`code` "invalid"), each field's problem."""

    detail: str
    code: str
    errors: list[InputError] | None = None


class ViolationOut(Schema):
    rule: str
    message: str
    start: int | None
    end: int | None
    quote: str = ""  # the draft's own words that break the rule


class Rejected(Problem):
    # A reply the policy refuses lists its violations; refused input or another refusal has none.
    violations: list[ViolationOut] = Field(default_factory=list)


class CollidedReply(Schema):
    id: int
    author: str
    text: str


class Collision(Problem):
    replies: list[CollidedReply]


class ReplyIn(Schema):
    text: str = Field(min_length=1, description="Not empty (a reply of only spaces is refused too).")
    private: bool | None = None
    seen: int | None = Field(
        default=None,
        description="The newest message id the agent saw: a reply someone else sent after it refuses "
        "this one with 409 (leave out to send anyway).",
    )


class PresenceIn(Schema):
    typing: bool = False
    seen: int = 0


class Colleague(Schema):
    username: str
    typing: bool


class PresenceOut(Schema):
    others: list[Colleague]
    newer: list[MessageOut]


class NoteIn(Schema):
    text: str


class AssignIn(Schema):
    username: str | None = None


class StatusIn(Schema):
    status: str


class TagIn(Schema):
    name: str
    remove: bool = False


class ModerateIn(Schema):
    action: str
    reason: str
    note: str = ""


class CorrectIn(Schema):
    field: str
    value: str


class CheckIn(Schema):
    conversation: int
    text: str
    private: bool = False


class CheckOut(Schema):
    violations: list[ViolationOut]
    used: int
    limit: int | None
    network: str


class ViewIn(Schema):
    name: str
    query: str


class ViewOut(Schema):
    id: int
    name: str
    query: str


def conversation_out(c: Conversation, workspace_slug: str | None = None) -> dict[str, Any]:
    return {
        "id": c.pk,
        "workspace": workspace_slug or c.workspace.slug,
        "network": c.channel.effective_network,
        "status": c.status,
        "priority": c.get_priority_display().lower(),
        "subject": c.subject,
        "contact": c.contact.display_name,
        "assignee": c.assignee.username if c.assignee else None,
        "team": c.team.slug if c.team else None,
        "language": c.language,
        "sentiment": c.sentiment,
        "intent": c.intent,
        "category": c.category,
        "priority_score": c.priority_score,
        "needs_response": c.needs_response,
        "legal_threat": c.legal_threat,
        "has_personal_data": c.has_personal_data,
        "message_count": c.message_count,
        "last_message_at": c.last_message_at,
        "waiting_since": c.waiting_since,
        "first_response_due_at": c.first_response_due_at,
        "next_response_due_at": c.next_response_due_at,
        "incident": c.incident_id,
        "tags": [t.name for t in c.tags.all()],
    }


def message_out(m: Message) -> dict[str, Any]:
    return {
        "id": m.pk,
        "direction": m.direction,
        "is_private": m.is_private,
        "kind": m.kind,
        "author": m.author_user.username if m.author_user else m.author_handle,
        "text": shown_text(m),
        "masked": m.masked_text is not None,
        "sent_at": m.sent_at,
        "delivery_status": m.delivery_status,
        "hidden": m.hidden,
        "deleted": m.deleted,
        "intent": m.intent,
        "sentiment": m.sentiment,
        "category": m.category,
        "language": m.language,
        "personal_data": m.personal_data,
        "priority_score": m.priority_score,
        "held_reason": m.held_reason,
        "reviewed_by": m.reviewed_by.username if m.reviewed_by else None,
        "reviewed_at": m.reviewed_at,
        "review_note": m.review_note,
        "undo_until": m.undo_until,
    }
