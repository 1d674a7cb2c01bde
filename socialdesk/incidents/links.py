"""An agent links a conversation to an incident by hand, or takes it out of one: the crisis rule
guesses, the agent who read the post knows. Each incident's `conversation_count` is counted again
from the links, so it stays right whoever moved what."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from socialdesk.conversations.models import Activity, Conversation
from socialdesk.errors import DeskError
from socialdesk.incidents.models import Incident
from socialdesk.workspaces.actions import require_member


def link_to_incident(actor: User | None, conversation: Conversation, incident: Incident) -> None:
    """Make the conversation part of `incident` (moving it out of the one it was in, if any)."""
    require_member(actor, conversation.workspace_id)
    if incident.workspace_id != conversation.workspace_id:
        # Told apart from "not found": the conversation is the actor's, the incident another brand's.
        raise DeskError(f"incident #{incident.pk} belongs to another brand", code="other_workspace")
    if conversation.incident_id == incident.pk:
        return  # already there: nothing to log, as asking twice changes nothing
    previous = conversation.incident_id
    with transaction.atomic():
        Conversation.objects.filter(pk=conversation.pk).update(incident=incident)
        conversation.incident = incident
        _recount([incident.pk] if previous is None else [incident.pk, previous])
        _log(conversation, actor, "linked", f"incident #{incident.pk}")


def unlink_from_incident(actor: User | None, conversation: Conversation) -> None:
    """Take the conversation out of its incident (it was about something else)."""
    require_member(actor, conversation.workspace_id)
    previous = conversation.incident_id
    if previous is None:
        return
    with transaction.atomic():
        Conversation.objects.filter(pk=conversation.pk).update(incident=None)
        conversation.incident = None
        _recount([previous])
        _log(conversation, actor, "unlinked", f"incident #{previous}")


def _recount(incident_ids: list[int]) -> None:
    for pk in incident_ids:
        count = Conversation.objects.filter(incident_id=pk).count()
        Incident.objects.filter(pk=pk).update(conversation_count=count)


def _log(conversation: Conversation, actor: User | None, action: str, detail: str) -> None:
    Activity.objects.create(
        conversation=conversation, actor=actor, action=action, detail=detail, created_at=timezone.now()
    )
