"""A workspace's members, for its admins: add someone with an account, invite by email (the link is
shown to copy: the desk sends no email), change a role, remove. And the invited person's page."""

from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from socialdesk.errors import DeskError
from socialdesk.web.auth import signed_in
from socialdesk.web.errors import shows_desk_errors
from socialdesk.workspaces.actions import workspaces_for
from socialdesk.workspaces.members import (
    accept_invitation,
    add_existing_user,
    change_role,
    invite,
    invited_user,
    members_of,
    remove_member,
)
from socialdesk.workspaces.models import Role, Workspace


def _page(request: HttpRequest, status: int = 200, **extra: object) -> HttpResponse:
    actor = signed_in(request)
    spaces = workspaces_for(actor).filter(memberships__user=actor, memberships__role=Role.ADMIN)
    sections = [{"workspace": w, "members": members_of(actor, w)} for w in spaces.order_by("name")]
    context = {"sections": sections, "roles": Role.choices, **extra}
    return render(request, "web/members.html", context, status=status)


def _error_page(request: HttpRequest, error: DeskError, **_: object) -> HttpResponse:
    return _page(request, error.status, member_error=str(error))


def _workspace(request: HttpRequest, workspace_id: int) -> Workspace:
    return get_object_or_404(workspaces_for(request.user), pk=workspace_id)


@login_required
def members(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
@shows_desk_errors(_error_page)
def add(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = _workspace(request, workspace_id)
    added = add_existing_user(
        signed_in(request), workspace, request.POST.get("username", ""), request.POST.get("role", "")
    )
    return _page(request, member_done=f"{added.user.username} added to {workspace.name} as {added.role}")


@login_required
@require_POST
@shows_desk_errors(_error_page)
def invite_by_email(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = _workspace(request, workspace_id)
    invitation = invite(
        signed_in(request), workspace, request.POST.get("email", ""), request.POST.get("role", "")
    )
    link = request.build_absolute_uri(reverse("web:accept_invite", args=[invitation.uid, invitation.token]))
    # Rendered, not redirected: the link is shown here to copy and send; it is not stored anywhere.
    return _page(request, invited=invitation.user.email, invite_link=link)


@login_required
@require_POST
@shows_desk_errors(_error_page)
def set_role(request: HttpRequest, workspace_id: int, user_id: int) -> HttpResponse:
    change_role(signed_in(request), _workspace(request, workspace_id), user_id, request.POST.get("role", ""))
    return redirect("web:members")


@login_required
@require_POST
@shows_desk_errors(_error_page)
def remove(request: HttpRequest, workspace_id: int, user_id: int) -> HttpResponse:
    remove_member(signed_in(request), _workspace(request, workspace_id), user_id)
    return redirect("web:members")


def _invite_error(request: HttpRequest, error: DeskError, **_: object) -> HttpResponse:
    return render(request, "web/invite.html", {"invite_error": str(error)}, status=error.status)


@shows_desk_errors(_invite_error)
def accept_invite(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    """The invited person chooses a password; the account is active from then on and the link spent."""
    user = invited_user(uid, token)
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        accepted = accept_invitation(uid, token, form.cleaned_data["new_password1"])
        login(request, accepted, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("web:inbox")
    return render(request, "web/invite.html", {"form": form, "invited": user})
