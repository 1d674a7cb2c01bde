"""The team in the REST API: each member's status, shift, load and exposure (leads and admins see
everyone, others themselves); set a status, capacity and skills, weekly shifts and exceptions."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, time
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from socialdesk.api.auth import signed_in
from socialdesk.api.schemas import Problem
from socialdesk.policy.zone import workspace_zone
from socialdesk.roster.availability import set_profile, set_status
from socialdesk.roster.overview import team_overview
from socialdesk.roster.shifts import WeeklyHours, add_exception, set_week
from socialdesk.workspaces.actions import workspaces_for
from socialdesk.workspaces.models import Workspace

router = Router(tags=["team"])


class MemberLoadOut(Schema):
    user_id: int
    username: str
    role: str
    status: str
    status_source: str
    status_changed_at: datetime | None
    last_active_at: datetime | None
    on_shift: bool | None
    open: int
    capacity: int
    abusive_today: int
    abusive_week: int
    abusive_in_a_row: int
    languages: list[str]
    networks: list[str]
    categories: list[str]
    week: str
    zone: str
    days_off: list[str]


class StatusIn(Schema):
    status: str


class ProfileIn(Schema):
    capacity: int | None = None
    languages: list[str] = []
    networks: list[str] = []
    categories: list[str] = []


class ShiftIn(Schema):
    weekday: int
    starts: time
    ends: time


class WeekIn(Schema):
    timezone: str = ""
    shifts: list[ShiftIn]


class ExceptionIn(Schema):
    day: date
    timezone: str = ""
    starts: time | None = None
    ends: time | None = None
    note: str = ""


def _workspace(request: HttpRequest, slug: str) -> Workspace:
    return get_object_or_404(workspaces_for(request.user), slug=slug)


def _row(request: HttpRequest, workspace: Workspace, username: str) -> dict[str, Any]:
    rows = team_overview(signed_in(request), workspace.pk)
    return next(asdict(row) for row in rows if row.username == username)


@router.get("/{slug}/team", response={200: list[MemberLoadOut]}, summary="Who is on and their load")
def team(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    return [asdict(row) for row in team_overview(signed_in(request), _workspace(request, slug).pk)]


@router.put(
    "/{slug}/team/{username}/status", response={200: MemberLoadOut, 403: Problem, 404: Problem, 422: Problem}
)
def put_status(request: HttpRequest, slug: str, username: str, body: StatusIn) -> dict[str, Any]:
    """online, away or offline; members set their own, leads and admins anyone's."""
    workspace = _workspace(request, slug)
    set_status(signed_in(request), workspace.pk, username, body.status)
    return _row(request, workspace, username)


@router.put(
    "/{slug}/team/{username}/profile", response={200: MemberLoadOut, 403: Problem, 404: Problem, 422: Problem}
)
def put_profile(request: HttpRequest, slug: str, username: str, body: ProfileIn) -> dict[str, Any]:
    """Capacity (open conversations at once; null: the policy's default) and skills (empty: any)."""
    workspace = _workspace(request, slug)
    set_profile(
        signed_in(request),
        workspace.pk,
        username,
        capacity=body.capacity,
        languages=body.languages,
        networks=body.networks,
        categories=body.categories,
    )
    return _row(request, workspace, username)


@router.put(
    "/{slug}/team/{username}/shifts", response={200: MemberLoadOut, 403: Problem, 404: Problem, 422: Problem}
)
def put_shifts(request: HttpRequest, slug: str, username: str, body: WeekIn) -> dict[str, Any]:
    """Replace the member's weekly shifts (weekday 0 = Monday; times in `timezone`, by default the
    workspace's)."""
    workspace = _workspace(request, slug)
    zone = body.timezone or str(workspace_zone(workspace.pk))
    hours = [WeeklyHours(s.weekday, s.starts, s.ends) for s in body.shifts]
    set_week(signed_in(request), workspace.pk, username, hours, zone)
    return _row(request, workspace, username)


@router.post(
    "/{slug}/team/{username}/exceptions",
    response={201: MemberLoadOut, 403: Problem, 404: Problem, 422: Problem},
)
def post_exception(
    request: HttpRequest, slug: str, username: str, body: ExceptionIn
) -> Status[dict[str, Any]]:
    """One date off (no hours) or with other hours, replacing that date's weekly shifts."""
    workspace = _workspace(request, slug)
    zone = body.timezone or str(workspace_zone(workspace.pk))
    hours = (body.starts, body.ends) if body.starts and body.ends else None
    add_exception(signed_in(request), workspace.pk, username, body.day, zone, hours, body.note)
    return Status(201, _row(request, workspace, username))
