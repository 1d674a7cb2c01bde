"""An author's own unsent reply on the conversation page: undo it within the policy's delay (without
reloading: the composer gets its text back), edit it while it waits, resubmit or discard one a lead
returned."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from socialdesk.errors import DeskError
from socialdesk.replies.actions import ReplyRejected
from socialdesk.replies.approval import discard_reply, resubmit_reply
from socialdesk.replies.think_twice import edit_reply, undo_reply
from socialdesk.web.auth import signed_in
from socialdesk.web.errors import shows_desk_errors
from socialdesk.web.views import _conversation_error, _conversation_page, _get_conversation, _get_message


def _undo_refused(request: HttpRequest, error: DeskError, pk: int, **_: object) -> HttpResponse:
    if request.headers.get("HX-Request"):
        return render(request, "web/undone.html", {"desk_error": str(error)}, status=error.status)
    return _conversation_error(request, error, pk)


@login_required
@require_POST
@shows_desk_errors(_undo_refused)
def undo(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    text = undo_reply(_get_message(request, pk, message_id), signed_in(request))
    if request.headers.get("HX-Request"):
        return render(request, "web/undone.html", {"text": text})
    return _conversation_page(request, _get_conversation(request, pk), draft=text, undone=True)


def _edit_refused(request: HttpRequest, error: DeskError, pk: int, **_: object) -> HttpResponse:
    """The page again with why the edit was not saved; the composer stays empty (its Send would post
    the edit as a second reply)."""
    shown: dict[str, object] = {"violations": error.violations} if isinstance(error, ReplyRejected) else {}
    return _conversation_page(
        request,
        _get_conversation(request, pk),
        status=error.status,
        desk_error=f"Your edit was not saved: {error}",
        **shown,
    )


@login_required
@require_POST
@shows_desk_errors(_edit_refused)
def edit(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    edit_reply(_get_message(request, pk, message_id), signed_in(request), request.POST.get("text", ""))
    return redirect("web:conversation", pk=pk)


@login_required
@require_POST
@shows_desk_errors(_edit_refused)
def resubmit(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    resubmit_reply(_get_message(request, pk, message_id), signed_in(request), request.POST.get("text"))
    return redirect("web:conversation", pk=pk)


@login_required
@require_POST
@shows_desk_errors(_conversation_error)
def discard(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    discard_reply(_get_message(request, pk, message_id), signed_in(request))
    return redirect("web:conversation", pk=pk)
