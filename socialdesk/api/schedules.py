"""Scheduled report emails in the REST API, for a workspace's leads and admins: list, add, change,
remove, and send one now as a test."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status

from socialdesk.api.auth import signed_in
from socialdesk.api.clock import use_workspace_clock
from socialdesk.api.schemas import Problem
from socialdesk.policy.zone import workspace_zone, zone_name
from socialdesk.reports.models import ReportSchedule, ScheduleSend
from socialdesk.reports.summaries.schedules import (
    create_schedule,
    delete_schedule,
    list_schedules,
    next_slot,
    send_now,
    update_schedule,
)
from socialdesk.workspaces.actions import workspaces_for
from socialdesk.workspaces.models import Workspace

router = Router(tags=["scheduled reports"])
REFUSALS = {403: Problem, 404: Problem, 422: Problem}


class ScheduleIn(Schema):
    name: str
    frequency: Literal["daily", "weekly"]
    weekday: int | None = None  # 0 Monday … 6 Sunday; weekly only
    time_of_day: str  # HH:MM in the workspace's time zone
    members: list[str] = []  # usernames of workspace members
    emails: list[str] = []
    reports: list[str] = []  # empty: the key set (volume, response times, SLA, CSAT)
    active: bool = True


class ScheduleOut(Schema):
    id: int
    workspace: str
    name: str
    frequency: str
    weekday: int | None
    time_of_day: str
    time_zone: str
    members: list[str]
    emails: list[str]
    reports: list[str]
    active: bool
    next_send: datetime | None


class SendOut(Schema):
    id: int
    test: bool
    status: str
    first_day: date
    last_day: date
    at: datetime
    recipients: list[str]
    error: str


def _workspace(request: HttpRequest, slug: str) -> Workspace:
    workspace = get_object_or_404(workspaces_for(request.user), slug=slug)
    use_workspace_clock(workspace.pk)
    return workspace


def _schedule_id(workspace: Workspace, schedule_id: int) -> int:
    """Another workspace's schedule is not found through this one's address."""
    return get_object_or_404(ReportSchedule.objects.filter(workspace=workspace), pk=schedule_id).pk


def _fields(workspace: Workspace, body: ScheduleIn) -> dict[str, Any]:
    ids = dict(
        workspace.memberships.filter(user__username__in=body.members).values_list("user__username", "user_id")
    )
    missing = [name for name in body.members if name not in ids]
    return {
        "name": body.name,
        "frequency": body.frequency,
        "weekday": body.weekday,
        "time_of_day": body.time_of_day,
        # An unknown username is passed on as an impossible id so the action refuses it.
        "member_ids": [*ids.values(), *([-1] if missing else [])],
        "emails": body.emails,
        "reports": body.reports,
    }


def _out(schedule: ReportSchedule, workspace: Workspace) -> dict[str, Any]:
    zone = workspace_zone(workspace.pk)
    at: time = schedule.time_of_day
    upcoming = (
        next_slot(schedule.frequency, schedule.weekday, at, zone, timezone.now()) if schedule.active else None
    )
    return {
        "id": schedule.pk,
        "workspace": workspace.slug,
        "name": schedule.name,
        "frequency": schedule.frequency,
        "weekday": schedule.weekday,
        "time_of_day": at.strftime("%H:%M"),
        "time_zone": zone_name(zone),
        "members": sorted(u.username for u in schedule.members.all()),
        "emails": schedule.emails,
        "reports": schedule.reports,
        "active": schedule.active,
        "next_send": upcoming.astimezone(zone) if upcoming else None,
    }


def _send(sent: ScheduleSend) -> dict[str, Any]:
    return {
        "id": sent.pk,
        "test": sent.test,
        "status": sent.status,
        "first_day": sent.first_day,
        "last_day": sent.last_day,
        "at": sent.at,
        "recipients": sent.recipients,
        "error": sent.error,
    }


@router.get(
    "/{slug}/report-schedules", response={200: list[ScheduleOut], **REFUSALS}, summary="Report schedules"
)
def list_all(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    workspace = _workspace(request, slug)
    return [_out(s, workspace) for s in list_schedules(signed_in(request), workspace)]


@router.post(
    "/{slug}/report-schedules", response={201: ScheduleOut, **REFUSALS}, summary="Add a report schedule"
)
def add(request: HttpRequest, slug: str, body: ScheduleIn) -> Status[dict[str, Any]]:
    workspace = _workspace(request, slug)
    schedule = create_schedule(signed_in(request), workspace, **_fields(workspace, body))
    if not body.active:
        schedule = update_schedule(signed_in(request), schedule.pk, active=False, **_fields(workspace, body))
    return Status(201, _out(schedule, workspace))


@router.put(
    "/{slug}/report-schedules/{schedule_id}",
    response={200: ScheduleOut, **REFUSALS},
    summary="Change a schedule",
)
def change(request: HttpRequest, slug: str, schedule_id: int, body: ScheduleIn) -> dict[str, Any]:
    workspace = _workspace(request, slug)
    schedule = update_schedule(
        signed_in(request),
        _schedule_id(workspace, schedule_id),
        active=body.active,
        **_fields(workspace, body),
    )
    return _out(schedule, workspace)


@router.delete(
    "/{slug}/report-schedules/{schedule_id}", response={204: None, **REFUSALS}, summary="Remove a schedule"
)
def remove(request: HttpRequest, slug: str, schedule_id: int) -> Status[None]:
    delete_schedule(signed_in(request), _schedule_id(_workspace(request, slug), schedule_id))
    return Status(204, None)


@router.post(
    "/{slug}/report-schedules/{schedule_id}/test",
    response={200: SendOut, **REFUSALS},
    summary="Send it now (test)",
)
def test(request: HttpRequest, slug: str, schedule_id: int) -> dict[str, Any]:
    sent = send_now(signed_in(request), _schedule_id(_workspace(request, slug), schedule_id))
    return _send(sent)
