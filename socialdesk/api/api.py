"""The REST API (django-ninja; OpenAPI at /api/docs): everything the desk pages do. A personal API
token (Bearer) or the desk's session with CSRF; every lookup goes through the user's workspaces, so
another brand's conversation is a 404, never a 403 that confirms it exists. Endpoints parse input and
call the action; a refused action (`DeskError`) becomes a problem response in one handler below."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Status
from ninja.security import django_auth

from socialdesk.api.approvals import approvals as approvals_router
from socialdesk.api.approvals import drafts as drafts_router
from socialdesk.api.auth import ApiTokenAuth, signed_in
from socialdesk.api.bulk import BulkIn, BulkOut, bulk
from socialdesk.api.clock import DeskRenderer, use_list_clock, use_workspace_clock
from socialdesk.api.contract import DeskApi, ObjectParser, use_problems
from socialdesk.api.incidents import router as incidents_router
from socialdesk.api.members import router as members_router
from socialdesk.api.notifications import router as notifications_router
from socialdesk.api.planning import router as planning_router
from socialdesk.api.privacy import router as privacy_router
from socialdesk.api.reports import router as reports_router
from socialdesk.api.schedules import router as schedules_router
from socialdesk.api.schemas import (
    AssignIn,
    CheckIn,
    CheckOut,
    Collision,
    ConversationDetail,
    CorrectIn,
    Done,
    InboxOut,
    MessageOut,
    ModerateIn,
    NoteIn,
    NoteOut,
    PresenceIn,
    PresenceOut,
    Problem,
    Rejected,
    ReplyIn,
    RevealedOut,
    StatusIn,
    TagIn,
    ViewIn,
    ViewOut,
    conversation_out,
    message_out,
)
from socialdesk.api.team import router as team_router
from socialdesk.api.webhooks import router as webhooks_router
from socialdesk.conversations.actions import add_note, assign_by_username, set_status, tag_conversation
from socialdesk.conversations.inbox import (
    DEFAULT_ORDER,
    InboxFilter,
    counts,
    inbox,
    ordered,
    save_view,
    saved_views,
    scoped,
    total,
)
from socialdesk.conversations.models import Conversation, Message
from socialdesk.conversations.personal_data import reveal_personal_data
from socialdesk.errors import DeskError
from socialdesk.moderation.actions import moderate
from socialdesk.replies.actions import approve_reply, check_draft, resend_reply, send_reply
from socialdesk.replies.collision import check_in, replies_since
from socialdesk.triage.actions import correct_triage
from socialdesk.workspaces.models import Workspace

# Token first; for cookie (session) auth django-ninja checks the CSRF token on unsafe methods.
api = DeskApi(
    title="Socialdesk",
    version="1",
    auth=[ApiTokenAuth(), django_auth],
    urls_namespace="api",
    renderer=DeskRenderer(),
    parser=ObjectParser(),
)
use_problems(api)
PAGE = 50


@api.exception_handler(DeskError)
def refused(request: HttpRequest, error: DeskError) -> HttpResponse:
    """Every refused action, whatever raised it: its reason, code and status (plus what it carries,
    like a refused reply's violations)."""
    body = {"detail": str(error), "code": error.code, **error.details()}
    return api.create_response(request, body, status=error.status)


def _get(request: HttpRequest, conversation_id: int) -> Conversation:
    conversation = get_object_or_404(
        scoped(request.user).select_related("workspace", "channel", "contact", "assignee", "team"),
        pk=conversation_id,
    )
    use_workspace_clock(conversation.workspace_id)
    return conversation


def _get_message(request: HttpRequest, message_id: int) -> Message:
    message = get_object_or_404(
        Message.objects.select_related("conversation", "channel").filter(
            conversation__in=scoped(request.user)
        ),
        pk=message_id,
    )
    use_workspace_clock(message.workspace_id)
    return message


@api.get("/conversations", response=InboxOut, summary="The inbox, filtered")
def list_conversations(
    request: HttpRequest, filters: Query[InboxFilter], page: int = 1, sort: str = DEFAULT_ORDER
) -> dict[str, Any]:
    use_list_clock(request, filters.workspace)
    # No join to the workspace: SQLite would then drive the query from it and sort every row.
    qs = (
        inbox(request.user, filters)
        .select_related("channel", "contact", "assignee", "team")
        .defer("channel__credentials")
    )
    slugs = dict(Workspace.objects.filter(memberships__user=signed_in(request)).values_list("pk", "slug"))
    start = (max(1, page) - 1) * PAGE
    items = list(ordered(qs, sort).prefetch_related("tags")[start : start + PAGE])
    tallies = counts(request.user, filters)
    return {
        "count": total(qs, filters.status, tallies),
        "counts": tallies,
        "items": [conversation_out(c, slugs[c.workspace_id]) for c in items],
    }


@api.post(
    "/conversations/bulk",
    response={200: BulkOut, 404: Problem, 422: Problem},
    summary="One desk verb on many conversations (each refused one is reported, the others go ahead)",
)
def conversations_bulk(request: HttpRequest, body: BulkIn) -> dict[str, Any]:
    return bulk(request, body)


@api.get("/conversations/{conversation_id}", response=ConversationDetail)
def conversation_detail(request: HttpRequest, conversation_id: int) -> dict[str, Any]:
    c = _get(request, conversation_id)
    messages = c.messages.select_related("author_user").order_by("sent_at", "pk")
    notes = c.notes.select_related("author").order_by("created_at", "pk")
    return {
        **conversation_out(c),
        "messages": [message_out(m) for m in messages],
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
    "/conversations/{conversation_id}/reply",
    response={201: MessageOut, 404: Problem, 409: Collision, 422: Rejected},
    summary="Reply",
)
def reply(request: HttpRequest, conversation_id: int, body: ReplyIn) -> Status[dict[str, Any]]:
    message = send_reply(
        _get(request, conversation_id), signed_in(request), body.text, is_private=body.private, seen=body.seen
    )
    return Status(201, message_out(message))


@api.get(
    "/conversations/{conversation_id}/replies",
    response=list[MessageOut],
    summary="Replies other agents sent after message `since` (the collision check)",
)
def replies_after(request: HttpRequest, conversation_id: int, since: int = 0) -> list[dict[str, Any]]:
    return [message_out(m) for m in replies_since(_get(request, conversation_id), since, signed_in(request))]


@api.post(
    "/conversations/{conversation_id}/presence",
    response=PresenceOut,
    summary="I am here (typing or not): who else is, and replies others sent since `seen`",
)
def presence(request: HttpRequest, conversation_id: int, body: PresenceIn) -> dict[str, Any]:
    here = check_in(_get(request, conversation_id), signed_in(request), typing=body.typing, seen=body.seen)
    return {
        "others": [{"username": name, "typing": typing} for name, typing in here.others],
        "newer": [message_out(m) for m in here.newer],
    }


@api.post("/conversations/{conversation_id}/notes", response={201: NoteOut, 422: Problem})
def note(request: HttpRequest, conversation_id: int, body: NoteIn) -> Status[dict[str, Any]]:
    n = add_note(_get(request, conversation_id), signed_in(request), body.text)
    return Status(
        201, {"id": n.pk, "author": signed_in(request).username, "text": n.text, "created_at": n.created_at}
    )


@api.post("/conversations/{conversation_id}/assign", response={200: Done, 422: Problem})
def assign(request: HttpRequest, conversation_id: int, body: AssignIn) -> dict[str, str]:
    assign_by_username(_get(request, conversation_id), body.username or "", signed_in(request))
    return {"detail": "ok"}


@api.post("/conversations/{conversation_id}/status", response={200: Done, 422: Problem})
def status(request: HttpRequest, conversation_id: int, body: StatusIn) -> dict[str, str]:
    set_status(_get(request, conversation_id), body.status, signed_in(request))
    return {"detail": "ok"}


@api.post("/conversations/{conversation_id}/tags", response={200: Done, 422: Problem})
def tags(request: HttpRequest, conversation_id: int, body: TagIn) -> dict[str, str]:
    tag_conversation(_get(request, conversation_id), body.name, signed_in(request), remove=body.remove)
    return {"detail": "ok"}


@api.post("/messages/{message_id}/moderate", response={200: Done, 422: Problem})
def moderate_message(request: HttpRequest, message_id: int, body: ModerateIn) -> dict[str, str]:
    moderate(_get_message(request, message_id), body.action, body.reason, signed_in(request), body.note)
    return {"detail": "ok"}


@api.post(
    "/messages/{message_id}/reveal",
    response={200: RevealedOut, 422: Problem},
    summary="A masked message as written (audited: who, when, which message)",
)
def reveal(request: HttpRequest, message_id: int) -> dict[str, Any]:
    message = _get_message(request, message_id)
    return {"id": message.pk, "text": reveal_personal_data(message, signed_in(request))}


@api.post("/messages/{message_id}/approve", response={200: MessageOut, 403: Problem})
def approve(request: HttpRequest, message_id: int) -> dict[str, Any]:
    return message_out(approve_reply(_get_message(request, message_id), signed_in(request)))


@api.post(
    "/messages/{message_id}/resend",
    response={200: MessageOut, 404: Problem},
    summary="Send a failed or uncertain reply again (same idempotency key)",
)
def resend(request: HttpRequest, message_id: int) -> dict[str, Any]:
    return message_out(resend_reply(_get_message(request, message_id), signed_in(request)))


@api.post("/messages/{message_id}/triage", response={200: Done, 422: Problem})
def correct(request: HttpRequest, message_id: int, body: CorrectIn) -> dict[str, str]:
    correct_triage(_get_message(request, message_id), body.field, body.value, signed_in(request))
    return {"detail": "ok"}


@api.post(
    "/check",
    response={200: CheckOut, 404: Problem, 422: Problem},
    summary="Check a draft reply against the policy",
)
def check(request: HttpRequest, body: CheckIn) -> dict[str, Any]:
    result = check_draft(
        _get(request, body.conversation), signed_in(request), body.text, private=body.private
    )
    return {
        "violations": [v.__dict__ for v in result.violations],
        "used": result.used,
        "limit": result.limit,
        "network": result.network,
    }


@api.get("/views", response=list[ViewOut])
def views(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"id": v.pk, "name": v.name, "query": v.query} for v in saved_views(signed_in(request))]


@api.post("/views", response={201: ViewOut, 422: Problem})
def create_view(request: HttpRequest, body: ViewIn) -> Status[dict[str, Any]]:
    view = save_view(signed_in(request), body.name, body.query)
    return Status(201, {"id": view.pk, "name": view.name, "query": view.query})


api.add_router("/incidents", incidents_router)
api.add_router("/reports", reports_router)
api.add_router("/notifications", notifications_router)
api.add_router("/approvals", approvals_router)
api.add_router("/messages", drafts_router)
api.add_router("/workspaces", members_router)
api.add_router("/workspaces", webhooks_router)
api.add_router("/workspaces", schedules_router)
api.add_router("/workspaces", team_router)
api.add_router("/workspaces", planning_router)
api.add_router("/workspaces", privacy_router)
