"""The desk's own voice, for a lead: what it would send on its own in the next hours (and what it
holds back, and why), and the switch that turns automatic messages on or off for the brand."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialdesk.errors import DeskError
from socialdesk.policy.automation import automation_preview
from socialdesk.web.auth import signed_in
from socialdesk.web.clock import use_workspace_clock
from socialdesk.web.errors import shows_desk_errors
from socialdesk.workspaces.actions import can_lead, set_automation, workspaces_for
from socialdesk.workspaces.models import Workspace

HOURS = (1, 4, 12, 24)


def _workspace(request: HttpRequest) -> Workspace | None:
    spaces = workspaces_for(request.user).order_by("name")
    slug = request.GET.get("workspace") or request.POST.get("workspace")
    return (spaces.filter(slug=slug).first() if slug else None) or spaces.first()


def _page(request: HttpRequest, status: int = 200, error: str = "") -> HttpResponse:
    workspace = _workspace(request)
    try:
        hours = float(request.GET.get("hours", "4"))
    except ValueError:
        hours = 4.0
    context: dict[str, object] = {"workspace": workspace, "hours_choices": HOURS, "desk_error": error}
    if workspace is not None:
        use_workspace_clock(request, workspace.pk)
        planned = []
        try:
            planned = automation_preview(signed_in(request), workspace, hours, timezone.now())
        except DeskError as problem:
            context["desk_error"] = str(problem)
        context.update(
            hours=hours,
            planned=planned,
            sending=sum(1 for p in planned if p.verdict.send),
            can_switch=can_lead(workspace.pk, request.user.pk),
        )
    return render(request, "web/automation.html", context, status=status)


def _error(request: HttpRequest, error: DeskError, **_: object) -> HttpResponse:
    return _page(request, error.status, str(error))


@login_required
def automation(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
@shows_desk_errors(_error)
def switch_automation(request: HttpRequest) -> HttpResponse:
    workspace = _workspace(request)
    if workspace is None:
        raise DeskError("not found", code="not_found", status=404)
    set_automation(signed_in(request), workspace, request.POST.get("enabled") == "on")
    return redirect(f"{reverse('web:automation')}?workspace={workspace.slug}")
