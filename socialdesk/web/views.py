"""The agent desk pages. Every lookup goes through the user's workspaces: another brand's data is a 404."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialdesk.channels.models import Channel, SandboxDelivery
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
from socialdesk.conversations.inbox import (
    COUNT_CAP,
    CountedPaginator,
    InboxFilter,
    counts,
    inbox,
    scoped,
    total,
)
from socialdesk.conversations.models import Conversation, Direction, Presence, SavedView, Status, Tag
from socialdesk.policy.actions import active_policy_version
from socialdesk.policy.enforce import (
    ModerationRefused,
    check_draft_reply,
    fill_template,
    moderate,
    suggest_moderation,
)
from socialdesk.policy.networks import NetworkRules
from socialdesk.triage.actions import CorrectionError, correct_triage
from socialdesk.triage.engine import INTENTS
from socialdesk.workspaces.actions import can_approve, workspaces_for
from socialdesk.workspaces.models import Team


def _conversations(request: HttpRequest) -> QuerySet[Conversation]:
    return scoped(request.user)


PRESENCE_TTL = timedelta(seconds=15)
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
    order = (
        ("-priority", "-priority_score", "-last_message_at") if sort == "priority" else ("-last_message_at",)
    )
    tallies = counts(request.user, f)
    found = total(qs, f.status, tallies)
    page = CountedPaginator(qs.order_by(*order, "-pk"), 50, found).get_page(request.GET.get("page"))
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
        "views": SavedView.objects.filter(user_id=request.user.pk or 0).order_by("name"),
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


@login_required
@require_POST
def save_view(request: HttpRequest) -> HttpResponse:
    name = request.POST.get("name", "").strip()[:80]
    query = InboxFilter.from_query(QueryDict(request.POST.get("query", ""))).query_string()
    if name:
        SavedView.objects.update_or_create(user_id=request.user.pk or 0, name=name, defaults={"query": query})
    return redirect(f"{reverse('web:inbox')}?{query}")


def agent_initials(user: object) -> str:
    """The signature initials of an agent: first and last name, else the username's first letters."""
    if not isinstance(user, User):
        return ""
    names = [n for n in (user.first_name, user.last_name) if n.strip()]
    if len(names) == 2:
        return (names[0][0] + names[1][0]).upper()
    return user.username[:2].upper()


def _policy_context(conversation: Conversation, user: object = None) -> dict[str, object]:
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
                "text": fill_template(
                    item.text,
                    policy,
                    conversation,
                    initials=agent_initials(user),
                    agent=user.get_full_name() or user.username if isinstance(user, User) else "",
                ),
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
        "offline": _offline_text(conversation),
        "dm_rule": DM_RULES.get(rules.dm_eligibility, "") if (rules := _rules(conversation)) else "",
        "conversation": conversation,
        "messages": messages,
        "handles": conversation.contact.handles.all(),
        "alerts": conversation.alerts.order_by("created_at"),
        "is_approver": can_approve(conversation.workspace_id, request.user.pk),
        **_policy_context(conversation, request.user),
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
    seen = _int(request.POST.get("seen"))
    if seen is not None and request.POST.get("confirm") != "1":
        # Collision: someone else answered after this agent loaded the page. Show it first.
        newer = conversation.messages.filter(
            pk__gt=seen, direction=Direction.OUTBOUND, automatic=False
        ).exclude(author_user=user)
        if newer.exists():
            return _conversation_page(
                request, conversation, status=409, collided=list(newer), draft=text, draft_private=private
            )
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


DM_RULES = {
    "anyone": "the brand can message anyone",
    "follows_or_open_dms": "only people who follow the brand or accept messages from anyone",
    "user_wrote_first": "only after the customer wrote to the brand privately",
    "allow_incoming": "only people who allow incoming messages",
    "user_consent": "only with the customer's consent",
    "none": "the network has no private messages for brands",
}


def _rules(conversation: Conversation) -> NetworkRules | None:
    found = active_policy_version(conversation.workspace_id)
    if found is None:
        return None
    return found[1].rules_for((conversation.reply_channel or conversation.channel).effective_network)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _offline_text(conversation: Conversation) -> str:
    found = active_policy_version(conversation.workspace_id)
    if found is None:
        return ""
    offline = found[1].channels.offline
    ways = [f"{o.kind} {o.address}" + (f" ({o.hours})" if o.hours else "") for o in offline]
    return "You can also reach us by " + " or ".join(ways) + "." if ways else ""


@login_required
@require_POST
def desk_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Assign, status, tag, untag and note from the conversation page."""
    conversation = _get_conversation(request, pk)
    user = request.user if isinstance(request.user, User) else None
    value = request.POST.get("value", "")
    try:
        if action == "assign":
            assignee = User.objects.filter(username=value).first() if value else None
            if value and assignee is None:
                raise DeskError(f"{value} is not a member of this workspace")
            assign_conversation(conversation, assignee, user)
        elif action == "status":
            set_status(conversation, value, user)
        elif action in {"tag", "untag"}:
            tag_conversation(conversation, value, user, remove=action == "untag")
        elif action == "note":
            add_note(conversation, user, value)
        else:
            raise DeskError(f"unknown action {action}")
    except DeskError as refused:
        return _conversation_page(request, conversation, status=422, desk_error=str(refused))
    return redirect("web:conversation", pk=conversation.pk)


@login_required
@require_POST
def check_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The composer's live check (htmx): violations explained and the length as the network counts."""
    conversation = _get_conversation(request, pk)
    text = request.POST.get("text", "")
    private = request.POST.get("private") == "1"
    result = check_draft_reply(conversation, text, private=private)
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
    conversation = _get_conversation(request, pk)
    user_id = request.user.pk or 0
    now = timezone.now()
    typing = request.POST.get("typing") == "1"
    Presence.objects.update_or_create(
        conversation=conversation,
        user_id=user_id,
        defaults={"seen_at": now, **({"typing_at": now} if typing else {})},
    )
    others = (
        Presence.objects.filter(conversation=conversation, seen_at__gte=now - PRESENCE_TTL)
        .exclude(user_id=user_id)
        .select_related("user")
        .order_by("user__username")
    )
    seen = _int(request.POST.get("seen")) or 0
    newer = (
        conversation.messages.filter(pk__gt=seen, direction=Direction.OUTBOUND, automatic=False)
        .exclude(author_user_id=user_id)
        .select_related("author_user")
        .order_by("pk")
    )
    context = {
        "others": [
            (p.user.username, p.typing_at is not None and p.typing_at >= now - PRESENCE_TTL) for p in others
        ],
        "newer": list(newer),
    }
    return render(request, "web/presence.html", context)


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
@require_POST
def resend_message(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    """An agent checked a failed or uncertain reply and sends it again (same idempotency key)."""
    from socialdesk.outbox.actions import resend
    from socialdesk.outbox.models import OutboxItem

    conversation = _get_conversation(request, pk)
    for item in OutboxItem.objects.filter(message_id=message_id, message__conversation=conversation):
        resend(item)
    return redirect("web:conversation", pk=conversation.pk)


@login_required
def sandbox_outbox(request: HttpRequest) -> HttpResponse:
    """What the sandbox network received from this desk: the 'public timeline' of replies."""
    deliveries = SandboxDelivery.objects.filter(channel__workspace__in=workspaces_for(request.user)).order_by(
        "-delivered_at"
    )[:200]
    return render(request, "web/sandbox_outbox.html", {"deliveries": deliveries})
