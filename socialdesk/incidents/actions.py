"""Opening incidents from the policy's crisis rule and linking conversations to them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from socialdesk.conversations.models import Conversation
from socialdesk.errors import DeskError
from socialdesk.incidents.models import DetectedBy, Incident, IncidentStatus
from socialdesk.notifications.models import Kind
from socialdesk.notifications.notify import notify
from socialdesk.policy.schema import Policy
from socialdesk.workspaces.actions import LEAD_ROLES, can_lead, require_role, workspaces_for


def incidents_for(user: User | AnonymousUser) -> QuerySet[Incident]:
    """The incidents of the user's workspaces (another brand's are never found)."""
    return Incident.objects.filter(workspace__in=workspaces_for(user)).select_related("workspace")


def crisis_window(policy: Policy, conversation: Conversation, at: datetime) -> QuerySet[Conversation]:
    """The negative conversations the crisis rule counts for this one (itself included)."""
    assert policy.crisis is not None  # noqa: S101 - callers check
    recent = Conversation.objects.filter(
        workspace_id=conversation.workspace_id,
        sentiment="negative",
        first_inbound_at__gt=at - timedelta(minutes=policy.crisis.window_minutes),
        first_inbound_at__lte=at,
    )
    if policy.crisis.same_category:
        recent = recent.filter(category=conversation.category)
    return recent


def in_crisis(policy: Policy, conversation: Conversation, at: datetime) -> bool:
    """Many negative conversations opened in the window (this one included)?"""
    crisis = policy.crisis
    if crisis is None or conversation.sentiment != "negative":
        return False
    # Counting stops at the threshold, and the crisis index keeps the scan inside the window.
    recent = crisis_window(policy, conversation, at).order_by()
    return recent[: crisis.min_conversations].count() >= crisis.min_conversations


def incident_title(policy: Policy, category: str) -> str:
    names = {c.code: c.name for c in policy.categories}
    about = names.get(category, category) if category else "one problem"
    return f"Many negative posts about {about}"[:200]


def join_incident(policy: Policy, conversation: Conversation, at: datetime) -> Incident | None:
    """The incident this negative conversation belongs to. An open incident of its category keeps
    collecting them until a lead resolves it; without one, the crisis rule opens one and takes in the
    window's conversations that made it. Returns None when there is no crisis."""
    crisis = policy.crisis
    if crisis is None or conversation.sentiment != "negative":
        return None
    key = conversation.category if crisis.same_category else ""
    incident = Incident.objects.filter(
        workspace_id=conversation.workspace_id,
        category=key,
        status=IncidentStatus.OPEN,
        detected_by=DetectedBy.CRISIS_RULE,
    ).first()
    if incident is None:
        if not in_crisis(policy, conversation, at):
            return None
        incident, opened = Incident.objects.get_or_create(
            workspace_id=conversation.workspace_id,
            category=key,
            status=IncidentStatus.OPEN,
            detected_by=DetectedBy.CRISIS_RULE,
            defaults={"title": incident_title(policy, key), "opened_at": at},
        )
        crisis_window(policy, conversation, at).filter(incident__isnull=True).update(incident=incident)
        if opened:
            notify(
                incident.workspace_id,
                Kind.INCIDENT_OPENED,
                incident.title,  # the kind says "Incident opened"
                incident=incident,
                key=f"incident_opened:{incident.pk}",
                at=at,
            )
    if conversation.incident_id != incident.pk:
        conversation.incident = incident
        Conversation.objects.filter(pk=conversation.pk).update(incident=incident)
    incident.conversation_count = Conversation.objects.filter(incident=incident).count()
    Incident.objects.filter(pk=incident.pk).update(conversation_count=incident.conversation_count)
    return incident


def can_resolve(incident: Incident, user: User | AnonymousUser) -> bool:
    """Leads and admins declare an incident over."""
    return can_lead(incident.workspace_id, user.pk)


def resolve_incident(incident: Incident, at: datetime, *, actor: User | None = None) -> None:
    """Ends the incident: the next crisis about the same thing opens a new one. `actor` None: the
    desk itself."""
    require_role(actor, incident.workspace_id, LEAD_ROLES, "only leads and admins resolve incidents")
    if incident.status == IncidentStatus.RESOLVED:
        return
    incident.status, incident.resolved_at = IncidentStatus.RESOLVED, at
    incident.save(update_fields=["status", "resolved_at"])


def publish_incident_status(incident: Incident, actor: User, public_text: str, public_url: str) -> None:
    """What customers read about the incident ({incident_public}, {incident_link} in templates). Leads
    and admins write it, as they decide when it is over."""
    require_role(
        actor, incident.workspace_id, LEAD_ROLES, "only leads and admins write an incident's public status"
    )
    text, url = " ".join(public_text.split()), public_url.strip()
    if len(text) > 280:
        raise DeskError("the public text has at most 280 characters")
    if url and not url.startswith("https://"):
        raise DeskError("the public link must start with https://")
    incident.public_text, incident.public_url = text, url
    incident.save(update_fields=["public_text", "public_url"])
