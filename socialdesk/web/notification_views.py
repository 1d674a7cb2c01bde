"""The notification centre (each user's own, with the header's live unread count), each user's
choices per kind and medium, and a workspace's outgoing webhooks (its admins)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from socialdesk.errors import DeskError
from socialdesk.notifications.centre import (
    choices_for,
    inbox_of,
    mark_all_read,
    mark_read,
    reset_choices,
    set_choice,
    unread_count,
)
from socialdesk.notifications.models import CHOOSABLE_KINDS
from socialdesk.notifications.notify import email_enabled
from socialdesk.web.auth import signed_in
from socialdesk.web.errors import shows_desk_errors
from socialdesk.workspaces.actions import workspaces_for


@login_required
def centre(request: HttpRequest) -> HttpResponse:
    rows = inbox_of(request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {"page": page, "unread_only": unread_only, "unread": unread_count(request.user)}
    return render(request, "web/notifications.html", context)


def unread_badge(request: HttpRequest) -> HttpResponse:
    """The header's link with its count; desk pages poll it, so a new notification shows without reload."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)  # signed out meanwhile: htmx keeps the header as it is
    return render(
        request, "web/notification_badge.html", {"notifications_unread": unread_count(request.user)}
    )


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("web:notifications")


def _not_found(request: HttpRequest, error: DeskError, **_: object) -> HttpResponse:
    return render(request, "web/notifications_missing.html", {"error": error}, status=error.status)


@login_required
@require_POST
@shows_desk_errors(_not_found)
def read(request: HttpRequest, delivery_id: int) -> HttpResponse:
    mark_read(signed_in(request), delivery_id, read=request.POST.get("read", "1") == "1")
    return _back(request)


@login_required
@require_POST
@shows_desk_errors(_not_found)
def open_notification(request: HttpRequest, delivery_id: int) -> HttpResponse:
    """Read it and go where it points."""
    link = mark_read(signed_in(request), delivery_id).notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("web:notifications")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    mark_all_read(signed_in(request))
    return _back(request)


def _preferences_page(request: HttpRequest, status: int = 200, **extra: object) -> HttpResponse:
    user = signed_in(request)
    sections = [
        {"workspace": w, "choices": choices_for(user, w)} for w in workspaces_for(user).order_by("name")
    ]
    context = {"sections": sections, "email_enabled": email_enabled(), "user_email": user.email, **extra}
    return render(request, "web/notification_preferences.html", context, status=status)


def _preferences_error(request: HttpRequest, error: DeskError, **_: object) -> HttpResponse:
    return _preferences_page(request, error.status, preference_error=str(error))


@login_required
@shows_desk_errors(_preferences_error)
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _preferences_page(request)
    user = signed_in(request)
    workspace_id = request.POST.get("workspace", "")
    if not workspace_id.isdecimal():
        raise DeskError("say which workspace these choices are for")
    workspace = get_object_or_404(workspaces_for(user), pk=int(workspace_id))
    if request.POST.get("reset"):
        reset_choices(user, workspace)
        return _preferences_page(request, preference_done=f"{workspace.name}: back to your role's defaults")
    for kind in CHOOSABLE_KINDS:
        set_choice(
            user,
            workspace,
            kind,
            in_app=request.POST.get(f"in_app_{kind}") == "on",
            email=request.POST.get(f"email_{kind}") == "on",
        )
    return _preferences_page(request, preference_done=f"{workspace.name}: your choices are saved")
