"""The agent desk pages. Every lookup goes through the user's workspaces: another brand's data is a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from socialdesk.channels.models import SandboxDelivery
from socialdesk.conversations.actions import ReplyRejected, approve_reply, send_reply
from socialdesk.conversations.models import Conversation, Status
from socialdesk.policy.actions import active_policy_version
from socialdesk.policy.enforce import ModerationRefused, fill_template, moderate, suggest_moderation
from socialdesk.triage.actions import CorrectionError, correct_triage
from socialdesk.triage.engine import INTENTS
from socialdesk.workspaces.actions import can_approve, workspaces_for


def _conversations(request: HttpRequest) -> QuerySet[Conversation]:
    return Conversation.objects.filter(workspace__in=workspaces_for(request.user))


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    conversations = _conversations(request).select_related("contact", "channel", "workspace")
    if status in Status.values:
        conversations = conversations.filter(status=status)
    page = Paginator(conversations.order_by("-last_message_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "web/inbox.html",
        {"page": page, "status": status, "statuses": Status.choices},
    )


def _policy_context(conversation: Conversation) -> dict[str, object]:
    """What the policy says about this conversation: playbook, saved replies, moderation reasons, limits."""
    found = active_policy_version(conversation.workspace_id)
    if found is None:
        return {"policy": None}
    policy = found[1]
    category = policy.category(conversation.category)
    network = (conversation.reply_channel or conversation.channel).effective_network
    rules = policy.rules_for(network)
    saved = []
    for item in category.saved_replies if category else []:
        saved.append(
            {
                "name": item.name,
                "text": fill_template(item.text, policy, conversation),
                "private": item.private,
            }
        )
    return {
        "policy": policy,
        "policy_number": found[0],
        "category": category,
        "saved_replies": saved,
        "moderation_reasons": policy.moderation.reasons,
        "network_rules": rules,
        "network": network,
    }


def _conversation_page(
    request: HttpRequest, conversation: Conversation, *, status: int = 200, **extra: object
) -> HttpResponse:
    messages = list(conversation.messages.select_related("author_user", "channel").order_by("sent_at", "pk"))
    found = active_policy_version(conversation.workspace_id)
    for message in messages:
        message.suggestion = suggest_moderation(found[1], message) if found else None  # type: ignore[attr-defined]
    context = {
        "intents": INTENTS,
        "conversation": conversation,
        "messages": messages,
        "handles": conversation.contact.handles.all(),
        "alerts": conversation.alerts.order_by("created_at"),
        "is_approver": can_approve(conversation.workspace_id, request.user.pk),
        **_policy_context(conversation),
        **extra,
    }
    return render(request, "web/conversation.html", context, status=status)


def _get_conversation(request: HttpRequest, pk: int) -> Conversation:
    return get_object_or_404(
        _conversations(request).select_related("contact", "channel", "workspace", "team", "reply_channel"),
        pk=pk,
    )


@login_required
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _conversation_page(request, _get_conversation(request, pk))


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _get_conversation(request, pk)
    text = request.POST.get("text", "")
    user = request.user
    private = request.POST.get("private") == "1"
    if not isinstance(user, User) or not text.strip():
        return redirect("web:conversation", pk=conversation.pk)
    try:
        send_reply(conversation, user, text, is_private=private)
    except ReplyRejected as refused:
        # Nothing was sent: show why, and keep the draft.
        return _conversation_page(
            request,
            conversation,
            status=422,
            violations=refused.violations,
            draft=text,
            draft_private=private,
        )
    return redirect("web:conversation", pk=conversation.pk)


@login_required
@require_POST
def moderate_message(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    conversation = _get_conversation(request, pk)
    message = get_object_or_404(
        conversation.messages.select_related("channel", "conversation"), pk=message_id
    )
    user = request.user
    if not isinstance(user, User):
        return redirect("login")
    try:
        moderate(message, request.POST.get("action", ""), request.POST.get("reason", ""), user)
    except ModerationRefused as refused:
        return _conversation_page(request, conversation, status=422, moderation_error=str(refused))
    return redirect("web:conversation", pk=conversation.pk)


@login_required
@require_POST
def correct(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    """An agent fixes triage (category, intent, sentiment, language); kept for retraining."""
    conversation = _get_conversation(request, pk)
    message = get_object_or_404(conversation.messages.select_related("conversation"), pk=message_id)
    user = request.user
    try:
        correct_triage(
            message,
            request.POST.get("field", ""),
            request.POST.get("value", ""),
            user if isinstance(user, User) else None,
        )
    except CorrectionError as refused:
        return _conversation_page(request, conversation, status=422, correction_error=str(refused))
    return redirect("web:conversation", pk=conversation.pk)


@login_required
@require_POST
def approve(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    conversation = _get_conversation(request, pk)
    message = get_object_or_404(conversation.messages, pk=message_id)
    user = request.user
    if not isinstance(user, User):
        return redirect("login")
    try:
        approve_reply(message, user)
    except PermissionError as refused:
        return _conversation_page(request, conversation, status=403, moderation_error=str(refused))
    return redirect("web:conversation", pk=conversation.pk)


@login_required
def sandbox_outbox(request: HttpRequest) -> HttpResponse:
    """What the sandbox network received from this desk: the 'public timeline' of replies."""
    deliveries = SandboxDelivery.objects.filter(channel__workspace__in=workspaces_for(request.user)).order_by(
        "-delivered_at"
    )[:200]
    return render(request, "web/sandbox_outbox.html", {"deliveries": deliveries})
