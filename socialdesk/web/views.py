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
from socialdesk.conversations.actions import send_reply
from socialdesk.conversations.models import Conversation, Status
from socialdesk.workspaces.actions import workspaces_for


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


@login_required
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_object_or_404(
        _conversations(request).select_related("contact", "channel", "workspace"), pk=pk
    )
    messages = conversation.messages.select_related("author_user").order_by("sent_at", "pk")
    handles = conversation.contact.handles.all()
    return render(
        request,
        "web/conversation.html",
        {"conversation": conversation, "messages": messages, "handles": handles},
    )


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_object_or_404(_conversations(request).select_related("channel"), pk=pk)
    text = request.POST.get("text", "")
    user = request.user
    if text.strip() and isinstance(user, User):
        send_reply(conversation, user, text, is_private=request.POST.get("private") == "1")
    return redirect("web:conversation", pk=conversation.pk)


@login_required
def sandbox_outbox(request: HttpRequest) -> HttpResponse:
    """What the sandbox network received from this desk: the 'public timeline' of replies."""
    deliveries = SandboxDelivery.objects.filter(channel__workspace__in=workspaces_for(request.user)).order_by(
        "-delivered_at"
    )[:200]
    return render(request, "web/sandbox_outbox.html", {"deliveries": deliveries})
