"""Scheduled report emails, for a workspace's leads and admins: add a schedule, change it, send it
now as a test, remove it, and see its recent sends."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialdesk.errors import DeskError
from socialdesk.policy.zone import workspace_zone, zone_name
from socialdesk.reports.summaries import catalog
from socialdesk.reports.summaries.schedules import (
    WEEKDAYS,
    default_reports,
    delete_schedule,
    describe,
    managed_workspaces,
    next_slot,
    schedules_of,
    send_now,
    update_schedule,
)
from socialdesk.reports.summaries.schedules import create_schedule as create
from socialdesk.web.auth import signed_in
from socialdesk.web.errors import shows_desk_errors
from socialdesk.workspaces.models import Membership


def _page(request: HttpRequest, status: int = 200, **extra: object) -> HttpResponse:
    user = signed_in(request)
    now = timezone.now()
    rows = []
    for schedule in schedules_of(user):
        zone = workspace_zone(schedule.workspace_id)
        rows.append(
            {
                "schedule": schedule,
                "when": describe(schedule),
                "zone": zone_name(zone),
                "next": next_slot(
                    schedule.frequency, schedule.weekday, schedule.time_of_day, zone, now
                ).astimezone(zone),
                "sends": list(schedule.sends.order_by("-at", "-pk")[:5]),
            }
        )
    workspaces = list(managed_workspaces(user))
    members = Membership.objects.filter(workspace__in=workspaces).select_related("user", "workspace")
    context = {
        "rows": rows,
        "workspaces": workspaces,
        "members": members.order_by("workspace__name", "user__username"),
        "reports": [(name, catalog.TITLES[name]) for name in catalog.NAMES],
        "defaults": default_reports(),
        "weekdays": list(enumerate(WEEKDAYS)),
        **extra,
    }
    return render(request, "web/schedules.html", context, status=status)


def _error_page(request: HttpRequest, error: DeskError, **_: object) -> HttpResponse:
    return _page(request, error.status, schedule_error=str(error))


def _fields(request: HttpRequest) -> dict[str, Any]:
    members = [int(m) for m in request.POST.getlist("members") if m.isdecimal()]
    return {
        "name": request.POST.get("name", ""),
        "frequency": request.POST.get("frequency", ""),
        "weekday": request.POST.get("weekday") or None,
        "time_of_day": request.POST.get("time_of_day", ""),
        "member_ids": members,
        "emails": request.POST.get("emails", ""),
        "reports": request.POST.getlist("reports"),
    }


@login_required
@shows_desk_errors(_error_page)
def schedules(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    user = signed_in(request)
    workspace_id = request.POST.get("workspace", "")
    if not workspace_id.isdecimal():
        raise DeskError("say which workspace the schedule is for")
    workspace = get_object_or_404(managed_workspaces(user), pk=int(workspace_id))
    create(user, workspace, **_fields(request))
    return redirect("web:report_schedules")


@login_required
@require_POST
@shows_desk_errors(_error_page)
def change(request: HttpRequest, schedule_id: int) -> HttpResponse:
    update_schedule(
        signed_in(request), schedule_id, active=request.POST.get("active") == "1", **_fields(request)
    )
    return redirect("web:report_schedules")


@login_required
@require_POST
@shows_desk_errors(_error_page)
def remove(request: HttpRequest, schedule_id: int) -> HttpResponse:
    delete_schedule(signed_in(request), schedule_id)
    return redirect("web:report_schedules")


@login_required
@require_POST
@shows_desk_errors(_error_page)
def test(request: HttpRequest, schedule_id: int) -> HttpResponse:
    sent = send_now(signed_in(request), schedule_id)
    done = (
        f"Test sent to {', '.join(sent.recipients)}"
        if sent.status == "sent"
        else f"Test failed: {sent.error}"
    )
    return _page(request, test_done=done, test_ok=sent.status == "sent")
