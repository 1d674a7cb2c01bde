"""Names people read for the ids a rollup stores (agents, teams, channels, incidents, priorities)."""

from __future__ import annotations

from django.contrib.auth.models import User

from socialdesk.channels.models import Channel
from socialdesk.incidents.models import Incident
from socialdesk.workspaces.models import Team

PRIORITIES = {"1": "Low", "2": "Normal", "3": "High", "4": "Urgent"}
NONE = {
    "agent": "Unassigned",
    "team": "No team",
    "category": "Uncategorised",
    "intent": "Unknown",
    "language": "Unknown",
    "sentiment": "Unknown",
    "network": "Unknown",
    "channel": "Unknown",
    "incident": "No incident",
    "priority": "Unknown",
}


def names(workspace_id: int, dimension: str, values: set[str]) -> dict[str, str]:
    ids = [int(v) for v in values if v.isdecimal()]
    found: dict[str, str] = {}
    if dimension == "agent":
        found = {str(pk): name for pk, name in User.objects.filter(pk__in=ids).values_list("pk", "username")}
    elif dimension == "team":
        teams = Team.objects.filter(workspace_id=workspace_id, pk__in=ids)
        found = {str(pk): name for pk, name in teams.values_list("pk", "name")}
    elif dimension == "channel":
        channels = Channel.objects.filter(workspace_id=workspace_id, pk__in=ids)
        found = {
            str(pk): f"{network}:{handle}"
            for pk, network, handle in channels.values_list("pk", "network", "handle")
        }
    elif dimension == "incident":
        incidents = Incident.objects.filter(workspace_id=workspace_id, pk__in=ids)
        found = {str(pk): title for pk, title in incidents.values_list("pk", "title")}
    elif dimension == "priority":
        found = dict(PRIORITIES)
    # A blank value is a fact without that dimension (no assignee, no team); an id whose row is gone
    # (a removed channel) keeps its number.
    return {v: found.get(v) or v or NONE.get(dimension, "None") for v in values}


def filter_value(workspace_id: int, dimension: str, value: str) -> dict[str, str]:
    """The inbox filter that selects a dimension's value (as the inbox's query takes it)."""
    if not value:
        return {"assignee": "none"} if dimension == "agent" else {}
    if dimension == "agent":
        return {"fact_agent": value}
    if dimension == "team":
        slug = Team.objects.filter(pk=int(value)).values_list("slug", flat=True).first()
        return {"team": slug} if slug else {}
    if dimension == "priority":
        return {"priority": PRIORITIES.get(value, "").lower()}
    if dimension in ("network", "category", "intent", "language", "sentiment"):
        return {dimension: value}
    if dimension == "incident":
        return {"incident": value}
    return {}
