"""The team page: your status and queue, and for leads every member's status, shift, load against
capacity and exposure to abuse (kept live), with capacity, skills and shifts to edit."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from socialdesk.errors import DeskError
from socialdesk.policy.zone import workspace_zone
from socialdesk.roster.availability import set_profile, set_status
from socialdesk.roster.models import Status
from socialdesk.roster.overview import can_lead, perspective_note, team_overview
from socialdesk.roster.shifts import add_exception, parse_hours, parse_week, set_week
from socialdesk.web.auth import signed_in
from socialdesk.web.errors import shows_desk_errors
from socialdesk.workspaces.actions import workspaces_for
from socialdesk.workspaces.models import Workspace


def _sections(request: HttpRequest) -> list[dict[str, object]]:
    actor = signed_in(request)
    sections = []
    for workspace in workspaces_for(actor).order_by("name"):
        rows = team_overview(actor, workspace.pk)
        mine = next((row for row in rows if row.user_id == actor.pk), None)
        sections.append(
            {
                "workspace": workspace,
                "rows": rows,
                "mine": mine,
                "leads": can_lead(actor, workspace.pk),
                "note": perspective_note(workspace.pk, actor.pk),
                "zone": str(workspace_zone(workspace.pk)),
            }
        )
    return sections


def _page(request: HttpRequest, status: int = 200, **extra: object) -> HttpResponse:
    context = {"sections": _sections(request), "statuses": Status.choices, **extra}
    return render(request, "web/team.html", context, status=status)


def _error_page(request: HttpRequest, error: DeskError, **_: object) -> HttpResponse:
    return _page(request, error.status, team_error=str(error))


def _workspace(request: HttpRequest, workspace_id: int) -> Workspace:
    return get_object_or_404(workspaces_for(request.user), pk=workspace_id)


@login_required
def team(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
def team_rows(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """The live part of a workspace's table (polled)."""
    workspace = _workspace(request, workspace_id)
    section = next(s for s in _sections(request) if s["workspace"] == workspace)
    return render(request, "web/team_rows.html", {"s": section})


@login_required
@require_POST
@shows_desk_errors(_error_page)
def status(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = _workspace(request, workspace_id)
    actor = signed_in(request)
    username = request.POST.get("username") or actor.get_username()
    set_status(actor, workspace.pk, username, request.POST.get("status", ""))
    return redirect(request.POST.get("next") or "web:team")


@login_required
@require_POST
@shows_desk_errors(_error_page)
def profile(request: HttpRequest, workspace_id: int, username: str) -> HttpResponse:
    workspace = _workspace(request, workspace_id)
    raw = request.POST.get("capacity", "").strip()
    if raw and not raw.isdecimal():
        raise DeskError("Capacity is a whole number of open conversations.")
    set_profile(
        signed_in(request),
        workspace.pk,
        username,
        capacity=int(raw) if raw else None,
        languages=request.POST.get("languages", "").replace(",", " ").split(),
        networks=request.POST.get("networks", "").replace(",", " ").split(),
        categories=request.POST.get("categories", "").replace(",", " ").split(),
    )
    return redirect("web:team")


@login_required
@require_POST
@shows_desk_errors(_error_page)
def shifts(request: HttpRequest, workspace_id: int, username: str) -> HttpResponse:
    workspace = _workspace(request, workspace_id)
    zone = request.POST.get("timezone", "").strip() or str(workspace_zone(workspace.pk))
    set_week(signed_in(request), workspace.pk, username, parse_week(request.POST.get("week", "")), zone)
    return redirect("web:team")


@login_required
@require_POST
@shows_desk_errors(_error_page)
def exception(request: HttpRequest, workspace_id: int, username: str) -> HttpResponse:
    workspace = _workspace(request, workspace_id)
    try:
        day = date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        raise DeskError("Give the date as YYYY-MM-DD.") from None
    raw = request.POST.get("hours", "").strip()
    zone = request.POST.get("timezone", "").strip() or str(workspace_zone(workspace.pk))
    hours = parse_hours(raw) if raw else None
    add_exception(signed_in(request), workspace.pk, username, day, zone, hours, request.POST.get("note", ""))
    return redirect("web:team")
