"""The user's notifications in the REST API: the list with the unread count, mark read (one or all),
and what they receive per workspace and kind."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from socialdesk.api.auth import signed_in
from socialdesk.api.clock import use_list_clock
from socialdesk.api.schemas import Problem
from socialdesk.notifications.centre import (
    choices_for,
    inbox_of,
    mark_all_read,
    mark_read,
    set_choice,
    unread_count,
)
from socialdesk.notifications.models import Delivery
from socialdesk.workspaces.actions import workspaces_for

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    workspace: str
    kind: str
    text: str
    link: str
    conversation_id: int | None
    incident_id: int | None
    created_at: datetime
    read_at: datetime | None


class NotificationList(Schema):
    unread: int
    items: list[NotificationOut]


class Marked(Schema):
    marked: int


class ChoiceOut(Schema):
    workspace: str
    kind: str
    label: str
    in_app: bool
    email: bool
    chosen: bool  # False: the role's default


class ChoiceIn(Schema):
    workspace: str
    kind: str
    in_app: bool
    email: bool


def _out(delivery: Delivery) -> dict[str, Any]:
    notification = delivery.notification
    return {
        "id": delivery.pk,
        "workspace": notification.workspace.slug,
        "kind": notification.kind,
        "text": notification.text,
        "link": notification.link,
        "conversation_id": notification.conversation_id,
        "incident_id": notification.incident_id,
        "created_at": delivery.created_at,
        "read_at": delivery.read_at,
    }


@router.get("", response=NotificationList, summary="My notifications, newest first, with the unread count")
def list_notifications(request: HttpRequest, unread: bool = False, limit: int = 50) -> dict[str, Any]:
    use_list_clock(request)
    rows = inbox_of(request.user)
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return {"unread": unread_count(request.user), "items": [_out(d) for d in rows[: max(1, min(limit, 200))]]}


@router.post("/read-all", response=Marked, summary="Mark all my notifications read")
def read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": mark_all_read(signed_in(request))}


@router.post("/{notification_id}/read", response={200: NotificationOut, 404: Problem})
def read(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    use_list_clock(request)
    return _out(mark_read(signed_in(request), notification_id))


@router.post("/{notification_id}/unread", response={200: NotificationOut, 404: Problem})
def unread(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    use_list_clock(request)
    return _out(mark_read(signed_in(request), notification_id, read=False))


@router.get("/preferences", response=list[ChoiceOut], summary="What I receive, per workspace and kind")
def preferences(request: HttpRequest, workspace: str = "") -> list[dict[str, Any]]:
    user = signed_in(request)
    spaces = workspaces_for(user).order_by("name")
    if workspace:
        spaces = spaces.filter(slug=workspace)
    return [
        {"workspace": w.slug, "kind": c.kind, "label": c.label, **c.choice.__dict__}
        for w in spaces
        for c in choices_for(user, w)
    ]


@router.put("/preferences", response={200: ChoiceOut, 404: Problem, 422: Problem})
def set_preference(request: HttpRequest, body: ChoiceIn) -> dict[str, Any]:
    user = signed_in(request)
    workspace = get_object_or_404(workspaces_for(user), slug=body.workspace)
    set_choice(user, workspace, body.kind, in_app=body.in_app, email=body.email)
    found = next(c for c in choices_for(user, workspace) if c.kind == body.kind)
    return {"workspace": workspace.slug, "kind": found.kind, "label": found.label, **found.choice.__dict__}
