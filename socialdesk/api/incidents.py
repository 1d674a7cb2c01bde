"""Incidents in the REST API: list, one incident with its conversation ids, resolve (leads)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from socialdesk.api.auth import signed_in
from socialdesk.api.clock import use_list_clock, use_workspace_clock
from socialdesk.api.schemas import Problem
from socialdesk.conversations.inbox import scoped
from socialdesk.incidents.actions import incidents_for, publish_incident_status, resolve_incident
from socialdesk.incidents.models import Incident

router = Router(tags=["incidents"])


class IncidentOut(Schema):
    id: int
    workspace: str
    title: str
    category: str
    status: str
    opened_at: datetime
    resolved_at: datetime | None
    conversation_count: int
    public_text: str
    public_url: str


class PublicStatusIn(Schema):
    public_text: str = ""
    public_url: str = ""


class IncidentDetail(IncidentOut):
    conversations: list[int]


def _out(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.pk,
        "workspace": incident.workspace.slug,
        "title": incident.title,
        "category": incident.category,
        "status": incident.status,
        "opened_at": incident.opened_at,
        "resolved_at": incident.resolved_at,
        "conversation_count": incident.conversation_count,
        "public_text": incident.public_text,
        "public_url": incident.public_url,
    }


@router.get("", response=list[IncidentOut], summary="Incidents, open first, newest first")
def list_incidents(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    incidents = incidents_for(request.user)
    use_list_clock(request)
    if status:
        incidents = incidents.filter(status=status)
    return [_out(i) for i in incidents.order_by("status", "-opened_at")[:200]]


@router.get("/{incident_id}", response=IncidentDetail)
def incident_detail(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    incident = get_object_or_404(incidents_for(request.user), pk=incident_id)
    use_workspace_clock(incident.workspace_id)
    ids = scoped(request.user).filter(incident=incident).order_by("-last_message_at", "-pk")
    return {**_out(incident), "conversations": list(ids.values_list("pk", flat=True)[:1000])}


@router.post("/{incident_id}/resolve", response={200: IncidentOut, 403: Problem})
def resolve(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    incident = get_object_or_404(incidents_for(request.user), pk=incident_id)
    use_workspace_clock(incident.workspace_id)
    resolve_incident(incident, timezone.now(), actor=signed_in(request))
    return _out(incident)


@router.post("/{incident_id}/public", response={200: IncidentOut, 403: Problem, 422: Problem})
def publish(request: HttpRequest, incident_id: int, body: PublicStatusIn) -> dict[str, Any]:
    """What customers read about the incident: the policy's {incident_public} and {incident_link}."""
    incident = get_object_or_404(incidents_for(request.user), pk=incident_id)
    use_workspace_clock(incident.workspace_id)
    publish_incident_status(incident, signed_in(request), body.public_text, body.public_url)
    return _out(incident)
