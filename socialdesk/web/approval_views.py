"""The held-replies queue for leads, admins and legal members (four eyes): each held reply with its
check, its conversation and why it was held; approve it, or return it to its author with a note.
Authors see their own held and returned replies here too, without the buttons."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from socialdesk.conversations.inbox import scoped
from socialdesk.conversations.models import Message
from socialdesk.errors import DeskError
from socialdesk.replies.actions import approve_reply
from socialdesk.replies.approval import return_reply
from socialdesk.replies.queue import held_replies
from socialdesk.web.auth import signed_in
from socialdesk.web.errors import shows_desk_errors


def _page(request: HttpRequest, status: int = 200, **extra: object) -> HttpResponse:
    context = {"held": held_replies(signed_in(request)), **extra}
    return render(request, "web/approvals.html", context, status=status)


def _refused(request: HttpRequest, error: DeskError, **_: object) -> HttpResponse:
    return _page(request, status=error.status, desk_error=str(error))


def _held_message(request: HttpRequest, message_id: int) -> Message:
    return get_object_or_404(
        Message.objects.select_related("conversation", "channel").filter(
            conversation__in=scoped(request.user)
        ),
        pk=message_id,
    )


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
@shows_desk_errors(_refused)
def approve(request: HttpRequest, message_id: int) -> HttpResponse:
    # The text the approver read goes with the form: an edit made meanwhile is not approved unread.
    approve_reply(_held_message(request, message_id), signed_in(request), seen_text=request.POST.get("text"))
    return redirect("web:approvals")


@login_required
@require_POST
@shows_desk_errors(_refused)
def send_back(request: HttpRequest, message_id: int) -> HttpResponse:
    return_reply(_held_message(request, message_id), signed_in(request), request.POST.get("note", ""))
    return redirect("web:approvals")
