"""Incidents in the REST API: list, one incident with its conversation ids, resolve (leads); its
bulletins, answering everyone, and the end with the "fixed" message (undo included)."""

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
from socialdesk.incidents.answers import (
    Outcome,
    answer_everyone,
    resolve_with_fixed_message,
    undo_bulk_resolution,
)
from socialdesk.incidents.bulletins import publish_bulletin
from socialdesk.incidents.models import BulkResolution, Bulletin, Incident

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


class BulletinIn(Schema):
    language: str
    text: str


class PostOut(Schema):
    network: str
    account: str
    status: str
    network_id: str
    error: str


class BulletinOut(Schema):
    id: int
    kind: str
    language: str
    text: str
    published_at: datetime | None
    posts: list[PostOut]


class AnswerIn(Schema):
    reply: bool = True
    # {language: text}; {incident_link} becomes the status page link
    texts: dict[str, str] = {}


class FixedIn(Schema):
    texts: dict[str, str]


class OutcomeOut(Schema):
    counts: dict[str, int]
    held: dict[int, str]
    resolved: int
    not_resolved: dict[int, str]
    resolution: int | None


class UndoOut(Schema):
    restored: int


def _bulletin_out(bulletin: Bulletin) -> dict[str, Any]:
    posts = []
    for post in bulletin.posts.select_related("channel", "outbox").order_by("pk"):
        item = getattr(post, "outbox", None)
        posts.append(
            {
                "network": post.channel.effective_network,
                "account": post.channel.handle,
                "status": item.status if item else "",
                "network_id": post.network_id,
                "error": item.last_error if item else "",
            }
        )
    return {
        "id": bulletin.pk,
        "kind": bulletin.kind,
        "language": bulletin.language,
        "text": bulletin.text,
        "published_at": bulletin.published_at,
        "posts": posts,
    }


def _outcome_out(outcome: Outcome) -> dict[str, Any]:
    return {
        "counts": outcome.counts,
        "held": outcome.held,
        "resolved": outcome.resolved,
        "not_resolved": outcome.not_resolved,
        "resolution": outcome.resolution.pk if outcome.resolution else None,
    }


@router.get(
    "/{incident_id}/bulletins", response=list[BulletinOut], summary="Bulletins and updates, oldest first"
)
def list_bulletins(request: HttpRequest, incident_id: int) -> list[dict[str, Any]]:
    incident = get_object_or_404(incidents_for(request.user), pk=incident_id)
    use_workspace_clock(incident.workspace_id)
    return [_bulletin_out(b) for b in incident.bulletins.order_by("published_at", "pk")]


@router.post("/{incident_id}/bulletins", response={200: BulletinOut, 403: Problem, 422: Problem})
def post_bulletin(request: HttpRequest, incident_id: int, body: BulletinIn) -> dict[str, Any]:
    """Publish a bulletin (an update once one is out in that language) on the policy's accounts."""
    incident = get_object_or_404(incidents_for(request.user), pk=incident_id)
    use_workspace_clock(incident.workspace_id)
    bulletin = publish_bulletin(signed_in(request), incident, body.language, body.text, timezone.now())
    return _bulletin_out(bulletin)


@router.post("/{incident_id}/answer-everyone", response={200: OutcomeOut, 403: Problem, 422: Problem})
def post_answer_everyone(request: HttpRequest, incident_id: int, body: AnswerIn) -> dict[str, Any]:
    """Every linked conversation: a pointer to the bulletin (`reply`) or marked covered by it."""
    incident = get_object_or_404(incidents_for(request.user), pk=incident_id)
    use_workspace_clock(incident.workspace_id)
    outcome = answer_everyone(
        signed_in(request), incident, reply=body.reply, texts=body.texts, now=timezone.now()
    )
    return _outcome_out(outcome)


@router.post("/{incident_id}/fixed", response={200: OutcomeOut, 403: Problem, 422: Problem})
def post_fixed(request: HttpRequest, incident_id: int, body: FixedIn) -> dict[str, Any]:
    """The incident is over: the "fixed" message to everyone linked, and the bulk resolve."""
    incident = get_object_or_404(incidents_for(request.user), pk=incident_id)
    use_workspace_clock(incident.workspace_id)
    outcome = resolve_with_fixed_message(signed_in(request), incident, texts=body.texts, now=timezone.now())
    return _outcome_out(outcome)


@router.post(
    "/{incident_id}/resolutions/{resolution_id}/undo", response={200: UndoOut, 403: Problem, 422: Problem}
)
def undo_resolution(request: HttpRequest, incident_id: int, resolution_id: int) -> dict[str, Any]:
    incident = get_object_or_404(incidents_for(request.user), pk=incident_id)
    resolution = get_object_or_404(BulkResolution, incident=incident, pk=resolution_id)
    return {"restored": undo_bulk_resolution(signed_in(request), resolution, timezone.now())}
