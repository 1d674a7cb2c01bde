"""The REST API (django-ninja; OpenAPI at /api/docs): everything the desk pages do. A personal API
token (Bearer) or the desk's session with CSRF; every lookup goes through the user's workspaces, so
another brand's conversation is a 404, never a 403 that confirms it exists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from socialdesk.api.auth import ApiTokenAuth
from socialdesk.api.incidents import router as incidents_router
from socialdesk.conversations.actions import (
    DeskError,
    ReplyRejected,
    add_note,
    approve_reply,
    assign_conversation,
    send_reply,
    set_status,
    tag_conversation,
)
from socialdesk.conversations.inbox import InboxFilter, counts, inbox, scoped, total
from socialdesk.conversations.models import Conversation, Message, SavedView
from socialdesk.policy.enforce import ModerationRefused, check_draft_reply, moderate
from socialdesk.triage.actions import CorrectionError, correct_triage
from socialdesk.workspaces.models import Workspace

# Token first; for cookie (session) auth django-ninja checks the CSRF token on unsafe methods.
api = NinjaAPI(title="Socialdesk", version="1", auth=[ApiTokenAuth(), django_auth], urls_namespace="api")
PAGE = 50


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
    text: str
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


class NoteOut(Schema):
    id: int
    author: str | None
    text: str
    created_at: datetime


class ConversationDetail(ConversationOut):
    messages: list[MessageOut]
    notes: list[NoteOut]


class Problem(Schema):
    detail: str


class ViolationOut(Schema):
    rule: str
    message: str
    start: int | None
    end: int | None


class Rejected(Schema):
    detail: str
    violations: list[ViolationOut]


class ReplyIn(Schema):
    text: str
    private: bool | None = None


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


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # django_auth already refuses anonymous requests
        raise HttpError(401, "log in first")
    return user


def _conversation_out(c: Conversation, workspace_slug: str | None = None) -> dict[str, Any]:
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
        "first_response_due_at": c.first_response_due_at,
        "next_response_due_at": c.next_response_due_at,
        "incident": c.incident_id,
        "tags": [t.name for t in c.tags.all()],
    }


def _message_out(m: Message) -> dict[str, Any]:
    return {
        "id": m.pk,
        "direction": m.direction,
        "is_private": m.is_private,
        "kind": m.kind,
        "author": m.author_user.username if m.author_user else m.author_handle,
        "text": m.text,
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
    }


def _get(request: HttpRequest, conversation_id: int) -> Conversation:
    return get_object_or_404(
        scoped(request.user).select_related("workspace", "channel", "contact", "assignee", "team"),
        pk=conversation_id,
    )


def _get_message(request: HttpRequest, message_id: int) -> Message:
    return get_object_or_404(
        Message.objects.select_related("conversation", "channel").filter(
            conversation__in=scoped(request.user)
        ),
        pk=message_id,
    )


@api.get("/conversations", response=InboxOut, summary="The inbox, filtered")
def list_conversations(
    request: HttpRequest, filters: Query[InboxFilter], page: int = 1, sort: str = "recent"
) -> dict[str, Any]:
    # No join to the workspace: SQLite would then drive the query from it and sort every row.
    qs = (
        inbox(request.user, filters)
        .select_related("channel", "contact", "assignee", "team")
        .defer("channel__credentials")
    )
    slugs = dict(Workspace.objects.filter(memberships__user=_user(request)).values_list("pk", "slug"))
    order = (
        ("-priority", "-priority_score", "-last_message_at") if sort == "priority" else ("-last_message_at",)
    )
    start = (max(1, page) - 1) * PAGE
    items = list(qs.order_by(*order, "-pk").prefetch_related("tags")[start : start + PAGE])
    tallies = counts(request.user, filters)
    return {
        "count": total(qs, filters.status, tallies),
        "counts": tallies,
        "items": [_conversation_out(c, slugs[c.workspace_id]) for c in items],
    }


@api.get("/conversations/{conversation_id}", response=ConversationDetail)
def conversation_detail(request: HttpRequest, conversation_id: int) -> dict[str, Any]:
    c = _get(request, conversation_id)
    messages = c.messages.select_related("author_user").order_by("sent_at", "pk")
    notes = c.notes.select_related("author").order_by("created_at", "pk")
    return {
        **_conversation_out(c),
        "messages": [_message_out(m) for m in messages],
        "notes": [
            {
                "id": n.pk,
                "author": n.author.username if n.author else None,
                "text": n.text,
                "created_at": n.created_at,
            }
            for n in notes
        ],
    }


@api.post(
    "/conversations/{conversation_id}/reply", response={201: MessageOut, 422: Rejected}, summary="Reply"
)
def reply(request: HttpRequest, conversation_id: int, body: ReplyIn) -> Status[dict[str, Any]]:
    c = _get(request, conversation_id)
    try:
        message = send_reply(c, _user(request), body.text, is_private=body.private)
    except ReplyRejected as refused:
        return Status(422, {"detail": str(refused), "violations": [v.__dict__ for v in refused.violations]})
    except ValueError as bad:
        return Status(422, {"detail": str(bad), "violations": []})
    return Status(201, _message_out(message))


@api.post("/conversations/{conversation_id}/notes", response={201: NoteOut, 422: Problem})
def note(request: HttpRequest, conversation_id: int, body: NoteIn) -> Status[dict[str, Any]]:
    c = _get(request, conversation_id)
    try:
        n = add_note(c, _user(request), body.text)
    except DeskError as bad:
        return Status(422, {"detail": str(bad)})
    return Status(
        201, {"id": n.pk, "author": _user(request).username, "text": n.text, "created_at": n.created_at}
    )


def _desk(action: Any) -> Status[dict[str, Any]]:
    try:
        action()
    except DeskError as bad:
        return Status(422, {"detail": str(bad)})
    return Status(200, {"detail": "ok"})


@api.post("/conversations/{conversation_id}/assign", response={200: Problem, 422: Problem})
def assign(request: HttpRequest, conversation_id: int, body: AssignIn) -> Status[dict[str, Any]]:
    c = _get(request, conversation_id)
    assignee = None
    if body.username:
        assignee = User.objects.filter(username=body.username).first()
        if assignee is None:
            return Status(422, {"detail": f"{body.username} is not a member of this workspace"})
    return _desk(lambda: assign_conversation(c, assignee, _user(request)))


@api.post("/conversations/{conversation_id}/status", response={200: Problem, 422: Problem})
def status(request: HttpRequest, conversation_id: int, body: StatusIn) -> Status[dict[str, Any]]:
    c = _get(request, conversation_id)
    return _desk(lambda: set_status(c, body.status, _user(request)))


@api.post("/conversations/{conversation_id}/tags", response={200: Problem, 422: Problem})
def tags(request: HttpRequest, conversation_id: int, body: TagIn) -> Status[dict[str, Any]]:
    c = _get(request, conversation_id)
    return _desk(lambda: tag_conversation(c, body.name, _user(request), remove=body.remove))


@api.post("/messages/{message_id}/moderate", response={200: Problem, 422: Problem})
def moderate_message(request: HttpRequest, message_id: int, body: ModerateIn) -> Status[dict[str, Any]]:
    m = _get_message(request, message_id)
    try:
        moderate(m, body.action, body.reason, _user(request), body.note)
    except ModerationRefused as refused:
        return Status(422, {"detail": str(refused)})
    return Status(200, {"detail": "ok"})


@api.post("/messages/{message_id}/approve", response={200: MessageOut, 403: Problem})
def approve(request: HttpRequest, message_id: int) -> Status[dict[str, Any]]:
    m = _get_message(request, message_id)
    try:
        approved = approve_reply(m, _user(request))
    except PermissionError as denied:
        return Status(403, {"detail": str(denied)})
    except ValueError as bad:
        raise HttpError(422, str(bad)) from bad
    return Status(200, _message_out(approved))


@api.post("/messages/{message_id}/triage", response={200: Problem, 422: Problem})
def correct(request: HttpRequest, message_id: int, body: CorrectIn) -> Status[dict[str, Any]]:
    m = _get_message(request, message_id)
    try:
        correct_triage(m, body.field, body.value, _user(request))
    except CorrectionError as bad:
        return Status(422, {"detail": str(bad)})
    return Status(200, {"detail": "ok"})


@api.post("/check", response=CheckOut, summary="Check a draft reply against the policy")
def check(request: HttpRequest, body: CheckIn) -> dict[str, Any]:
    result = check_draft_reply(_get(request, body.conversation), body.text, private=body.private)
    return {
        "violations": [v.__dict__ for v in result.violations],
        "used": result.used,
        "limit": result.limit,
        "network": result.network,
    }


@api.get("/views", response=list[ViewOut])
def views(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"id": v.pk, "name": v.name, "query": v.query}
        for v in SavedView.objects.filter(user=_user(request)).order_by("name")
    ]


@api.post("/views", response={201: ViewOut})
def save_view(request: HttpRequest, body: ViewIn) -> Status[dict[str, Any]]:
    query = InboxFilter.from_query(_parse_query(body.query)).query_string()
    view, _ = SavedView.objects.update_or_create(
        user=_user(request), name=body.name.strip()[:80] or "view", defaults={"query": query}
    )
    return Status(201, {"id": view.pk, "name": view.name, "query": view.query})


def _parse_query(query: str) -> dict[str, str]:
    from urllib.parse import parse_qsl

    return dict(parse_qsl(query.lstrip("?")))


api.add_router("/incidents", incidents_router)
