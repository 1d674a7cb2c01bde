"""Incidents in the REST API: list, one incident with its conversation ids, resolve (leads)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from socialdesk.api.auth import signed_in
from socialdesk.api.schemas import Problem
from socialdesk.conversations.inbox import scoped
from socialdesk.incidents.actions import incidents_for, resolve_incident
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
    }


@router.get("", response=list[IncidentOut], summary="Incidents, open first, newest first")
def list_incidents(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    incidents = incidents_for(request.user)
    if status:
        incidents = incidents.filter(status=status)
    return [_out(i) for i in incidents.order_by("status", "-opened_at")[:200]]


@router.get("/{incident_id}", response=IncidentDetail)
def incident_detail(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    incident = get_object_or_404(incidents_for(request.user), pk=incident_id)
    ids = scoped(request.user).filter(incident=incident).order_by("-last_message_at", "-pk")
    return {**_out(incident), "conversations": list(ids.values_list("pk", flat=True)[:1000])}


@router.post("/{incident_id}/resolve", response={200: IncidentOut, 403: Problem})
def resolve(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    incident = get_object_or_404(incidents_for(request.user), pk=incident_id)
    resolve_incident(incident, timezone.now(), actor=signed_in(request))
    return _out(incident)
