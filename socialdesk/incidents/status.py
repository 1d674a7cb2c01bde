"""The public status page's content: what a workspace tells everyone about its incidents. Only
public fields are read here (the bulletins' text and times, the incident's state and times), never
the internal title, category, conversations or who wrote what."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max, Q

from socialdesk.incidents.models import Bulletin, Incident, IncidentStatus
from socialdesk.policy.actions import active_policy_version
from socialdesk.workspaces.models import Workspace

RECENT = timedelta(days=14)  # resolved incidents stay on the page this long


@dataclass(frozen=True)
class PublicBulletin:
    kind: str  # "bulletin" or "update"
    language: str
    text: str
    published_at: datetime


@dataclass(frozen=True)
class PublicIncident:
    number: int
    resolved: bool
    started_at: datetime
    resolved_at: datetime | None
    bulletins: list[PublicBulletin]


def _shown(workspace: Workspace, now: datetime) -> Q:
    """Open incidents with a published bulletin, and those resolved in the last two weeks: an
    incident nobody has written about publicly yet is not on the page (its first words are a lead's)."""
    told = Q(bulletins__published_at__isnull=False)
    recent = Q(status=IncidentStatus.OPEN) | Q(resolved_at__gte=now - RECENT)
    return Q(workspace=workspace) & told & recent


def version_tag(workspace: Workspace, now: datetime) -> str:
    """Changes whenever the page would: a bulletin published, an incident resolved, a policy saved
    (and, so a resolved incident leaves the page, once a day). Two cheap aggregate queries."""
    latest = Incident.objects.filter(workspace=workspace).aggregate(
        told=Max("bulletins__published_at"), resolved=Max("resolved_at")
    )
    found = active_policy_version(workspace.pk)
    policy_version = found[0] if found else 0
    seed = f"{workspace.pk}|{latest['told']}|{latest['resolved']}|{policy_version}|{now.date()}"
    return hashlib.sha256(seed.encode()).hexdigest()[:32]


def public_incidents(workspace: Workspace, now: datetime) -> list[PublicIncident]:
    incidents = list(
        Incident.objects.filter(_shown(workspace, now))
        .distinct()
        .only("pk", "status", "opened_at", "resolved_at")
        .order_by("status", "-opened_at")[:50]
    )
    told: dict[int, list[PublicBulletin]] = {i.pk: [] for i in incidents}
    published = (
        Bulletin.objects.filter(incident__in=incidents, published_at__isnull=False)
        .only("incident_id", "kind", "language", "text", "published_at")
        .order_by("published_at", "pk")
    )
    for bulletin in published:
        assert bulletin.published_at is not None  # noqa: S101 - filtered above
        told[bulletin.incident_id].append(
            PublicBulletin(bulletin.kind, bulletin.language, bulletin.text, bulletin.published_at)
        )
    return [
        PublicIncident(
            number=incident.pk,
            resolved=incident.status == IncidentStatus.RESOLVED,
            started_at=incident.opened_at,
            resolved_at=incident.resolved_at,
            bulletins=told[incident.pk],
        )
        for incident in incidents
    ]
