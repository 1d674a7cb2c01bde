"""The agent desk pages. Every lookup goes through the user's workspaces: another brand's data is a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialdesk.channels.models import Channel, SandboxDelivery
from socialdesk.conversations.actions import add_note, assign_by_username, set_status, tag_conversation
from socialdesk.conversations.inbox import (
    COUNT_CAP,
    CountedPaginator,
    InboxFilter,
    counts,
    inbox,
    ordered,
    save_view,
    saved_views,
    scoped,
    total,
)
from socialdesk.conversations.models import Conversation, Message, Status, Tag
from socialdesk.errors import DeskError
from socialdesk.moderation.actions import moderate
from socialdesk.moderation.suggestions import suggest_moderation
from socialdesk.policy.actions import active_policy_version
from socialdesk.policy.schema import Policy
from socialdesk.policy.templates import saved_replies
from socialdesk.replies.actions import (
    ReplyCollision,
    ReplyRejected,
    approve_reply,
    check_draft,
    resend_reply,
    send_reply,
)
from socialdesk.replies.collision import check_in
from socialdesk.triage.actions import correct_triage
from socialdesk.triage.engine import INTENTS
from socialdesk.web.auth import signed_in
from socialdesk.web.errors import shows_desk_errors
from socialdesk.workspaces.actions import can_approve, workspaces_for
from socialdesk.workspaces.models import Team


def _conversations(request: HttpRequest) -> QuerySet[Conversation]:
    return scoped(request.user)


FILTER_CHOICES = {
    "priority": ["low", "normal", "high", "urgent"],
    "sentiment": ["negative", "neutral", "positive"],
    "intent": ["complaint", "question", "praise", "spam", "abuse", "other"],
    "sla": ["due_soon", "breached"],
}


def _inbox_context(request: HttpRequest) -> dict[str, object]:
    f = InboxFilter.from_query(request.GET)
    sort = request.GET.get("sort", "recent")
    # No join to the workspace: SQLite would then drive the query from it and sort every row.
    # Channel credentials are never needed here: not loaded, not decrypted (50 Fernet calls a page).
    qs = (
        inbox(request.user, f)
        .select_related("contact", "channel", "assignee", "team")
        .defer("channel__credentials")
    )
    tallies = counts(request.user, f)
    found = total(qs, f.status, tallies)
    page = CountedPaginator(ordered(qs, sort), 50, found).get_page(request.GET.get("page"))
    spaces = workspaces_for(request.user)
    tabs = [
        (value, label, f"{tallies[value]:,}" if value in tallies else "")
        for value, label in [("live", "Live"), *Status.choices]
    ]
    return {
        "tabs": tabs,
        "page": page,
        "rows": [_row(c) for c in page],
        "filter": f,
        "query": f.query_string(),
        "sort": sort,
        "total": f"{found:,}" if f.status in tallies or found <= COUNT_CAP else f"{COUNT_CAP:,}+",
        "choices": FILTER_CHOICES,
        # only(): the list needs the network, never the (encrypted) credentials.
        "networks": sorted(
            {
                c.effective_network
                for c in Channel.objects.filter(workspace__in=spaces).only("network", "config")
            }
        ),
        "teams": Team.objects.filter(workspace__in=spaces).order_by("slug"),
        "members": User.objects.filter(memberships__workspace__in=spaces).distinct().order_by("username"),
        "tags": Tag.objects.filter(workspace__in=spaces)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct(),
        "spaces": spaces.order_by("slug"),
        "views": saved_views(request.user),
    }


def _row(c: Conversation) -> dict[str, object]:
    """One inbox row, formatted here: the template then only prints (50 rows of template filters and
    url tags were most of the page's time)."""
    due = c.next_response_due_at if c.first_response_at else c.first_response_due_at
    local_due = timezone.localtime(due) if due else None
    return {
        "pk": c.pk,
        "href": reverse("web:conversation", args=[c.pk]),
        "contact": str(c.contact),
        "network": c.channel.effective_network,
        "private": c.is_private,
        "subject": c.subject if len(c.subject) <= 90 else c.subject[:89] + "…",
        "chips": [v for v in (c.intent, c.sentiment, c.category, c.language) if v],
        "legal": c.legal_threat,
        "status": c.get_status_display(),
        "priority": c.get_priority_display(),
        "assignee": c.assignee.username if c.assignee else "—",
        "due_iso": local_due.isoformat() if local_due else "",
        "due": f"{local_due:%H:%M}" if local_due else "—",
        "last": f"{timezone.localtime(c.last_message_at):%Y-%m-%d %H:%M}",
    }


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/inbox.html", _inbox_context(request))


@login_required
def inbox_rows(request: HttpRequest) -> HttpResponse:
    """The rows alone: the page polls this (htmx) so new messages appear without a reload."""
    return render(request, "web/inbox_rows.html", _inbox_context(request))


def _inbox_error(request: HttpRequest, error: DeskError, **_: object) -> HttpResponse:
    return render(
        request, "web/inbox.html", {**_inbox_context(request), "desk_error": str(error)}, status=error.status
    )


@login_required
@require_POST
@shows_desk_errors(_inbox_error)
def save_inbox_view(request: HttpRequest) -> HttpResponse:
    view = save_view(signed_in(request), request.POST.get("name", ""), request.POST.get("query", ""))
    return redirect(f"{reverse('web:inbox')}?{view.query}")


def _policy_context(
    conversation: Conversation, user: object, found: tuple[int, Policy] | None
) -> dict[str, object]:
    """What the policy says about this conversation: playbook, saved replies, moderation reasons, the
    network's rules and the offline ways to reach the brand."""
    if found is None:
        return {"policy": None, "offline": "", "dm_rule": ""}
    number, policy = found
    network = (conversation.reply_channel or conversation.channel).effective_network
    rules = policy.rules_for(network)
    ways = [f"{o.kind} {o.address}" + (f" ({o.hours})" if o.hours else "") for o in policy.channels.offline]
    return {
        "policy": policy,
        "policy_number": number,
        "category": policy.category(conversation.category),
        "saved_replies": saved_replies(policy, conversation, user),
        "moderation_reasons": policy.moderation.reasons,
        "network_rules": rules,
        "network": network,
        "dm_rule": DM_RULES.get(rules.dm_eligibility, ""),
        "offline": "You can also reach us by " + " or ".join(ways) + "." if ways else "",
    }


def _conversation_page(
    request: HttpRequest, conversation: Conversation, *, status: int = 200, **extra: object
) -> HttpResponse:
    messages = list(conversation.messages.select_related("author_user", "channel").order_by("sent_at", "pk"))
    found = active_policy_version(conversation.workspace_id)
    for message in messages:
        message.suggestion = suggest_moderation(found[1], message) if found else None  # type: ignore[attr-defined]
    history = (
        scoped(request.user)
        .filter(contact_id=conversation.contact_id)
        .exclude(pk=conversation.pk)
        .select_related("channel")
        .order_by("-last_message_at")[:20]
    )
    last = messages[-1].pk if messages else 0
    context = {
        "intents": INTENTS,
        "history": history,
        "notes": conversation.notes.select_related("author").order_by("created_at", "pk"),
        "activities": conversation.activities.select_related("actor").order_by("created_at", "pk"),
        "members": User.objects.filter(memberships__workspace_id=conversation.workspace_id).order_by(
            "username"
        ),
        "statuses": Status.choices,
        "last_message_id": last,
        "conversation": conversation,
        "messages": messages,
        "handles": conversation.contact.handles.all(),
        "alerts": conversation.alerts.order_by("created_at"),
        "is_approver": can_approve(conversation.workspace_id, request.user.pk),
        **_policy_context(conversation, request.user, found),
        **extra,
    }
    return render(request, "web/conversation.html", context, status=status)


def _get_conversation(request: HttpRequest, pk: int) -> Conversation:
    return get_object_or_404(
        _conversations(request).select_related(
            "contact", "channel", "workspace", "team", "reply_channel", "incident"
        ),
        pk=pk,
    )


def _conversation_error(request: HttpRequest, error: DeskError, pk: int, **_: object) -> HttpResponse:
    """The conversation again with why the action was refused; a refused reply keeps its draft."""
    shown: dict[str, object] = {"desk_error": str(error)}
    if isinstance(error, ReplyRejected):
        shown = {"violations": error.violations}
    elif isinstance(error, ReplyCollision):
        shown = {"collided": error.newer}
    return _conversation_page(
        request,
        _get_conversation(request, pk),
        status=error.status,
        draft=request.POST.get("text", ""),
        draft_private=request.POST.get("private") == "1",
        **shown,
    )


def _get_message(request: HttpRequest, pk: int, message_id: int) -> Message:
    conversation = _get_conversation(request, pk)
    return get_object_or_404(conversation.messages.select_related("channel", "conversation"), pk=message_id)


@login_required
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _conversation_page(request, _get_conversation(request, pk))


@login_required
@require_POST
@shows_desk_errors(_conversation_error)
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _get_conversation(request, pk)
    # `confirm`: the agent saw the replies someone else sent meanwhile and sends anyway.
    seen = None if request.POST.get("confirm") == "1" else _int(request.POST.get("seen"))
    send_reply(
        conversation,
        signed_in(request),
        request.POST.get("text", ""),
        is_private=request.POST.get("private") == "1",
        seen=seen,
    )
    return redirect("web:conversation", pk=conversation.pk)


@login_required
@require_POST
@shows_desk_errors(_conversation_error)
def moderate_message(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    message = _get_message(request, pk, message_id)
    moderate(message, request.POST.get("action", ""), request.POST.get("reason", ""), signed_in(request))
    return redirect("web:conversation", pk=pk)


DM_RULES = {
    "anyone": "the brand can message anyone",
    "follows_or_open_dms": "only people who follow the brand or accept messages from anyone",
    "user_wrote_first": "only after the customer wrote to the brand privately",
    "allow_incoming": "only people who allow incoming messages",
    "user_consent": "only with the customer's consent",
    "none": "the network has no private messages for brands",
}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@require_POST
@shows_desk_errors(_conversation_error)
def desk_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Assign, status, tag, untag and note from the conversation page."""
    conversation = _get_conversation(request, pk)
    user = signed_in(request)
    value = request.POST.get("value", "")
    if action == "assign":
        assign_by_username(conversation, value, user)
    elif action == "status":
        set_status(conversation, value, user)
    elif action in {"tag", "untag"}:
        tag_conversation(conversation, value, user, remove=action == "untag")
    elif action == "note":
        add_note(conversation, user, value)
    else:
        raise DeskError(f"unknown action {action}")
    return redirect("web:conversation", pk=conversation.pk)


@login_required
@require_POST
def check_draft_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The composer's live check (htmx): violations explained and the length as the network counts."""
    conversation = _get_conversation(request, pk)
    text = request.POST.get("text", "")
    result = check_draft(conversation, signed_in(request), text, private=request.POST.get("private") == "1")
    context = {
        # An empty composer is not an error worth showing while the agent has not typed yet.
        "violations": result.violations if text.strip() else [],
        "used": result.used,
        "limit": result.limit,
        "network": result.network,
        "text": text,
    }
    return render(request, "web/check.html", context)


@login_required
@require_POST
def presence(request: HttpRequest, pk: int) -> HttpResponse:
    """Who else is here (viewing or typing), and replies sent since this agent loaded the page."""
    here = check_in(
        _get_conversation(request, pk),
        signed_in(request),
        typing=request.POST.get("typing") == "1",
        seen=_int(request.POST.get("seen")) or 0,
    )
    return render(request, "web/presence.html", {"others": here.others, "newer": here.newer})


@login_required
@require_POST
@shows_desk_errors(_conversation_error)
def correct(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    """An agent fixes triage (category, intent, sentiment, language); kept for retraining."""
    message = _get_message(request, pk, message_id)
    correct_triage(message, request.POST.get("field", ""), request.POST.get("value", ""), signed_in(request))
    return redirect("web:conversation", pk=pk)


@login_required
@require_POST
@shows_desk_errors(_conversation_error)
def approve(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    approve_reply(_get_message(request, pk, message_id), signed_in(request))
    return redirect("web:conversation", pk=pk)


@login_required
@require_POST
@shows_desk_errors(_conversation_error)
def resend_message(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    """An agent checked a failed or uncertain reply and sends it again (same idempotency key)."""
    resend_reply(_get_message(request, pk, message_id), signed_in(request))
    return redirect("web:conversation", pk=pk)


@login_required
def sandbox_outbox(request: HttpRequest) -> HttpResponse:
    """What the sandbox network received from this desk: the 'public timeline' of replies."""
    deliveries = SandboxDelivery.objects.filter(channel__workspace__in=workspaces_for(request.user)).order_by(
        "-delivered_at"
    )[:200]
    return render(request, "web/sandbox_outbox.html", {"deliveries": deliveries})
