"""The conversation page and what agents do on it. Every lookup goes through the user's workspaces:
another brand's data is a 404. Views parse the form and call the action; refusals are shown by
`shows_desk_errors`."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialdesk.channels.models import SandboxDelivery
from socialdesk.conversations.actions import add_note, assign_by_username, set_status, tag_conversation
from socialdesk.conversations.inbox import DUE_SOON, next_in_inbox, scoped
from socialdesk.conversations.models import AlertKind, Conversation, Message, Status
from socialdesk.conversations.personal_data import reveal_personal_data
from socialdesk.conversations.sla import sla_state
from socialdesk.errors import DeskError
from socialdesk.incidents.actions import incidents_for
from socialdesk.incidents.links import link_to_incident, unlink_from_incident
from socialdesk.incidents.models import Incident, IncidentStatus
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
from socialdesk.replies.think_twice import undo_deadlines
from socialdesk.triage.actions import correct_triage
from socialdesk.triage.engine import INTENTS
from socialdesk.web.auth import signed_in
from socialdesk.web.clock import use_workspace_clock
from socialdesk.web.errors import shows_desk_errors
from socialdesk.workspaces.actions import can_approve, workspaces_for


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


def _warn_before(found: tuple[int, Policy] | None) -> timedelta:
    return timedelta(minutes=found[1].sla.warn_before_minutes) if found else DUE_SOON


def _automation_log(conversation: Conversation) -> list[dict[str, object]]:
    """The gate's decisions here, oldest first, with their times as datetimes for the template."""
    return [
        {**entry, "at": datetime.fromisoformat(str(entry["at"]))}
        for entry in conversation.automation_log
        if isinstance(entry, dict) and "at" in entry
    ]


def _conversation_page(
    request: HttpRequest, conversation: Conversation, *, status: int = 200, **extra: object
) -> HttpResponse:
    use_workspace_clock(request, conversation.workspace_id)
    messages = list(
        conversation.messages.select_related("author_user", "channel", "reviewed_by").order_by(
            "sent_at", "pk"
        )
    )
    found = active_policy_version(conversation.workspace_id)
    now = timezone.now()
    undoable = undo_deadlines(conversation, signed_in(request), now)
    for message in messages:
        message.suggestion = suggest_moderation(found[1], message) if found else None  # type: ignore[attr-defined]
        # Think twice: whole seconds left to undo this user's reply (the page counts them down).
        left = (undoable[message.pk] - now).total_seconds() if message.pk in undoable else 0
        message.undo_seconds = math.ceil(left)  # type: ignore[attr-defined]
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
        # The SLA chip is read from the current due times (see conversations.sla); a stored warning
        # would still say "about to be missed" after the target was missed or met.
        "alerts": conversation.alerts.exclude(kind=AlertKind.SLA_WARNING).order_by("created_at"),
        "sla": sla_state(conversation, timezone.now(), _warn_before(found)),
        "automation_log": _automation_log(conversation),
        "is_approver": can_approve(conversation.workspace_id, request.user.pk),
        "open_incidents": Incident.objects.filter(
            workspace_id=conversation.workspace_id, status=IncidentStatus.OPEN
        ).order_by("-opened_at")[:50],
        **_policy_context(conversation, request.user, found),
        **extra,
    }
    return render(request, "web/conversation.html", context, status=status)


def _get_conversation(request: HttpRequest, pk: int) -> Conversation:
    return get_object_or_404(
        scoped(request.user).select_related(
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
    """Assign, status, tag, untag, incident link and note from the conversation page."""
    conversation = _get_conversation(request, pk)
    user = signed_in(request)
    value = request.POST.get("value", "")
    if action == "assign":
        assign_by_username(conversation, value, user)
    elif action == "status":
        # `inbox` (the `e` shortcut): the inbox's query string; go on to the next conversation in it.
        query = request.POST.get("inbox")
        after = next_in_inbox(request.user, query, conversation.pk) if query is not None else None
        set_status(conversation, value, user)
        if query is not None:
            if after is None:  # nothing left: the inbox, with its filters
                query = query.lstrip("?")
                return redirect(reverse("web:inbox") + (f"?{query}" if query else ""))
            return redirect("web:conversation", pk=after)
    elif action in {"tag", "untag"}:
        tag_conversation(conversation, value, user, remove=action == "untag")
    elif action == "link":
        incident = get_object_or_404(incidents_for(request.user), pk=_int(value) or 0)
        link_to_incident(user, conversation, incident)
    elif action == "unlink":
        unlink_from_incident(user, conversation)
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
def reveal(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    """A masked message as written (htmx swaps it in); the reading is audited."""
    message = _get_message(request, pk, message_id)
    text = reveal_personal_data(message, signed_in(request))
    return render(request, "web/revealed.html", {"message": message, "text": text})


@login_required
@require_POST
@shows_desk_errors(_conversation_error)
def approve(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    approve_reply(
        _get_message(request, pk, message_id), signed_in(request), seen_text=request.POST.get("text")
    )
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
    deliveries = list(
        SandboxDelivery.objects.filter(channel__workspace__in=workspaces_for(request.user)).order_by(
            "-delivered_at"
        )[:200]
    )
    # Each delivery's idempotency key names its message ("msg-<id>"): show who or what sent it, and why.
    ids = [_message_id(d.idempotency_key) for d in deliveries]
    senders = {
        m.pk: m
        for m in Message.objects.filter(
            pk__in=ids, workspace__in=workspaces_for(request.user)
        ).select_related("author_user")
    }
    rows = [{"delivery": d, "message": senders.get(_message_id(d.idempotency_key))} for d in deliveries]
    return render(request, "web/sandbox_outbox.html", {"rows": rows})


def _message_id(key: str) -> int:
    return int(key[4:]) if key.startswith("msg-") and key[4:].isdecimal() else 0
