"""Signing in and the user's own security page: the login page (with the provider's button when single
sign-on is on), the second step after the password, enrolling an authenticator app, recovery codes, and
the workspace switch that requires two-factor (admins)."""

from __future__ import annotations

from typing import Any

import django_otp
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from socialdesk.accounts.actions import (
    confirm_enrolment,
    has_two_factor,
    new_recovery_codes,
    start_enrolment,
    turn_off_two_factor,
    verify_second_factor,
)
from socialdesk.errors import DeskError
from socialdesk.web.auth import signed_in
from socialdesk.web.sso import provider_name
from socialdesk.workspaces.actions import set_two_factor_required, two_factor_required_for, workspaces_for
from socialdesk.workspaces.models import Role


class DeskLoginView(LoginView):
    template_name = "web/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "sso_name": provider_name()}


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return resolve_url("web:inbox")


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the app or a recovery code. Reached after the password only."""
    user = signed_in(request)
    if not has_two_factor(user):
        return redirect(_next(request))
    error, status = "", 200
    if request.method == "POST":
        try:
            device = verify_second_factor(user, request.POST.get("code", ""))
        except DeskError as refused:
            error, status = str(refused), refused.status
        else:
            django_otp.login(request, device)
            return redirect(_next(request))
    return render(request, "web/verify.html", {"error": error, "next": _next(request)}, status=status)


def _security_page(request: HttpRequest, status: int = 200, **extra: object) -> HttpResponse:
    user = signed_in(request)
    enrolled = has_two_factor(user)
    administered = (
        workspaces_for(user).filter(memberships__user=user, memberships__role=Role.ADMIN).order_by("name")
    )
    context: dict[str, object] = {
        "enrolled": enrolled,
        "required": two_factor_required_for(user),
        "enrolment": None if enrolled else start_enrolment(user),
        "administered": administered,
        "next": _next(request),
        **extra,
    }
    return render(request, "web/security.html", context, status=status)


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """GET: the page (a QR code to scan while not enrolled). POST: confirm the app with a code."""
    user = signed_in(request)
    if request.method != "POST":
        return _security_page(request)
    try:
        device, codes = confirm_enrolment(user, request.POST.get("code", ""))
    except DeskError as refused:
        return _security_page(request, status=400, error=str(refused))
    # The code just given is a second factor: this session is verified from now on.
    django_otp.login(request, device)
    # Rendered, not redirected: this response is the only place the codes ever appear.
    return _security_page(request, recovery_codes=codes)


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    try:
        codes = new_recovery_codes(signed_in(request))
    except DeskError as refused:
        return _security_page(request, status=refused.status, error=str(refused))
    return _security_page(request, recovery_codes=codes)


@login_required
@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    try:
        turn_off_two_factor(signed_in(request))
    except DeskError as refused:
        return _security_page(request, status=refused.status, error=str(refused))
    return redirect("web:security")


@login_required
@require_POST
def require_two_factor(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = get_object_or_404(workspaces_for(request.user), pk=workspace_id)
    try:
        set_two_factor_required(signed_in(request), workspace, request.POST.get("required") == "on")
    except DeskError as refused:
        return _security_page(request, status=refused.status, error=str(refused))
    return redirect("web:security")
