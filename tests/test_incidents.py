"""Incidents: the policy's crisis rule opens one, links the conversations that made it and those
that follow; the desk and the API show it; leads resolve it; other brands never see it."""

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.conversations.models import Conversation, Message
from socialdesk.incidents.actions import resolve_incident
from socialdesk.incidents.models import Incident
from socialdesk.ingest.actions import receive_event
from socialdesk.policy.actions import save_policy
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import T0, post

# The crisis rule alone: burst detection (tests/test_incident_detection.py) is kept out of the way.
TELECOM = (
    (Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml")
    .read_text(encoding="utf-8")
    .replace("  min_conversations: 12\n", "  min_conversations: 12\n  min_similar_posts: 1000\n")
)
DROPPING = "@NimbusMobile no signal, my calls keep dropping"


@pytest.fixture
def telecom(workspace: Any) -> Any:
    save_policy(workspace, TELECOM)
    return workspace


def _conversation(message_id: str) -> Conversation:
    return Message.objects.get(network_message_id=message_id).conversation


def _flood(channel: Any, count: int, *, start: int = 0, minutes: float = 0) -> None:
    for i in range(start, start + count):
        receive_event(channel, f"e{i}", post(f"o{i}", DROPPING, author=f"u{i}", minutes=minutes + i * 4))


def test_the_crisis_rule_opens_one_incident_and_later_conversations_join_it(
    telecom: Any, x_channel: Any
) -> None:
    # Given the telecom policy (12 negative line-problem conversations within 60 minutes)
    _flood(x_channel, 11)
    assert Incident.objects.count() == 0  # 11 is not a crisis yet
    receive_event(x_channel, "praise", post("p", "@NimbusMobile love the new plan, thanks!", author="fan"))
    # When the twelfth arrives
    _flood(x_channel, 1, start=11)
    # Then one incident holds all twelve, and not the praise
    incident = Incident.objects.get()
    assert (incident.title, incident.category, incident.status) == (
        "Many negative posts about Line problem",
        "line_problem",
        "open",
    )
    assert incident.opened_at == T0 + timedelta(minutes=44)
    assert incident.conversation_count == 12
    linked = Conversation.objects.filter(incident=incident).values_list("contact__display_name", flat=True)
    assert sorted(linked) == sorted(f"Name u{i}" for i in range(12))
    assert _conversation("p").incident_id is None
    # A later one joins the same incident, even after the crisis window has moved on.
    receive_event(x_channel, "late", post("late", DROPPING, author="late", minutes=300))
    assert _conversation("late").incident_id == incident.pk
    incident.refresh_from_db()
    assert incident.conversation_count == 13
    assert Incident.objects.count() == 1


def test_after_a_lead_resolves_it_the_next_crisis_opens_a_new_one(telecom: Any, x_channel: Any) -> None:
    _flood(x_channel, 12)
    first = Incident.objects.get()
    resolve_incident(first, T0 + timedelta(hours=2))
    # One more complaint, no crisis: it joins nothing.
    receive_event(x_channel, "lone", post("lone", DROPPING, author="lone", minutes=180))
    assert _conversation("lone").incident_id is None
    # A new wave the next day: a new incident.
    _flood(x_channel, 12, start=100, minutes=24 * 60 - 400)
    assert list(Incident.objects.order_by("pk").values_list("status", "conversation_count")) == [
        ("resolved", 12),
        ("open", 12),
    ]


def test_the_desk_and_the_api_show_the_incident_and_only_leads_resolve_it(
    telecom: Any, x_channel: Any, agent: Any, other_workspace: Any
) -> None:
    _flood(x_channel, 12)
    incident = Incident.objects.get()
    conversation = _conversation("o3")
    client = Client()
    assert client.login(username="alice", password="correct horse battery staple")
    page = client.get(f"/c/{conversation.pk}/").content.decode()
    assert f'href="/incidents/{incident.pk}/"' in page
    assert "incident: Many negative posts about Line problem (open, 12 conversations)" in page
    detail = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert detail.count('href="/c/') == 12
    assert "Resolve incident" not in detail  # agents do not resolve incidents
    inbox = client.get(f"/?incident={incident.pk}").content.decode()
    assert inbox.count('data-href="/c/') == 12
    body = client.get("/api/incidents").json()
    assert [(i["id"], i["conversation_count"], i["status"]) for i in body] == [(incident.pk, 12, "open")]
    body = client.get(f"/api/incidents/{incident.pk}").json()
    assert sorted(body["conversations"]) == sorted(Conversation.objects.values_list("pk", flat=True))
    assert client.get(f"/api/conversations/{conversation.pk}").json()["incident"] == incident.pk
    assert client.post(f"/incidents/{incident.pk}/resolve/").status_code == 403
    denied = client.post(f"/api/incidents/{incident.pk}/resolve", content_type="application/json")
    assert denied.status_code == 403
    incident.refresh_from_db()
    assert incident.status == "open"
    # A lead resolves it.
    lead = create_user("lena", "lead passphrase here")
    add_member(telecom, lead, Role.LEAD)
    client.force_login(lead)
    done = client.post(f"/api/incidents/{incident.pk}/resolve", content_type="application/json")
    assert (done.status_code, done.json()["status"]) == (200, "resolved")
    # Another brand's member sees none of it.
    outsider = create_user("otto", "other brand passphrase")
    add_member(other_workspace, outsider, Role.ADMIN)
    sandbox_channel(other_workspace, "x")
    client.force_login(outsider)
    assert client.get(f"/incidents/{incident.pk}/").status_code == 404
    assert client.get(f"/api/incidents/{incident.pk}").status_code == 404
    assert json.loads(client.get("/api/incidents").content) == []
    assert client.post(f"/incidents/{incident.pk}/resolve/").status_code == 404
