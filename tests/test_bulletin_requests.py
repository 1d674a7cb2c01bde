"""Bulletins, answering everyone and the end of an incident through the incident page and the API:
the views only parse and call the actions; refusals are clear answers (never a 500) and change
nothing; another workspace's incident is not found."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from socialdesk.channels.models import Channel
from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.conversations.models import Conversation, Status
from socialdesk.incidents.models import Bulletin, Incident, IncidentStatus
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.bulletin_setup import BULLETIN, bulletin_policy, incident, linked_conversation
from tests.helpers import T0

NOW = T0 + timedelta(minutes=30)


@pytest.fixture
def outage(workspace: Any, lead: Any) -> Incident:
    bulletin_policy(workspace)
    channel: Channel = sandbox_channel(workspace, "x", ("brand", "@NimbusMobile"))
    found = incident(workspace)
    linked_conversation(channel, found, 1, network_id="p1")
    linked_conversation(channel, found, 2, network_id="p2")
    return found


@pytest.fixture
def lena(lead: Any) -> Client:
    client = Client()
    assert client.login(username="lena", password="lead passphrase here")
    return client


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_the_incident_page_publishes_answers_and_resolves(outage: Incident, lena: Client) -> None:
    page = lena.get(f"/incidents/{outage.pk}/").content.decode()
    assert "No bulletin yet." in page
    assert "Updates: {incident_link}</textarea>" in page  # the draft
    response = lena.post(f"/incidents/{outage.pk}/bulletins/", {"language": "en", "text": BULLETIN})
    assert response.status_code == 302
    answered = lena.post(
        f"/incidents/{outage.pk}/answer/",
        {"mode": "reply", "language_0": "en", "text_0": "We know; updates: {incident_link}"},
    )
    assert answered.status_code == 200
    assert "pointer: 2" in answered.content.decode()
    ended = lena.post(f"/incidents/{outage.pk}/fixed/", {"language_0": "en", "text_0": "Fixed now, thanks!"})
    assert "fixed: 2; 2 resolved, 0 left open" in ended.content.decode()
    assert set(Conversation.objects.values_list("status", flat=True)) == {Status.RESOLVED}
    resolution = outage.bulk_resolutions.get()
    undone = lena.post(f"/incidents/{outage.pk}/resolutions/{resolution.pk}/undo/")
    assert "2 conversation(s) back as they were" in undone.content.decode()
    assert set(Conversation.objects.values_list("status", flat=True)) == {Status.OPEN}


def test_a_refusal_on_the_page_is_an_answer_not_a_500(outage: Incident, workspace: Any) -> None:
    add_member(workspace, create_user("alice", "correct horse battery staple"), Role.AGENT)
    alice = Client()
    assert alice.login(username="alice", password="correct horse battery staple")
    refused = alice.post(f"/incidents/{outage.pk}/bulletins/", {"language": "en", "text": BULLETIN})
    assert refused.status_code == 403
    assert "only leads and admins publish bulletins" in refused.content.decode()
    assert Bulletin.objects.count() == 0


def test_the_api_does_the_same(outage: Incident, lena: Client, other_workspace: Any) -> None:
    bad = lena.post(
        f"/api/incidents/{outage.pk}/bulletins",
        {"language": "en", "text": ""},
        content_type="application/json",
    )
    assert (bad.status_code, bad.json()["detail"]) == (422, "the bulletin is empty")
    made = lena.post(
        f"/api/incidents/{outage.pk}/bulletins",
        {"language": "en", "text": BULLETIN},
        content_type="application/json",
    ).json()
    link = f"http://localhost:8000/status/acme/#incident-{outage.pk}"
    assert (made["kind"], made["language"], made["text"]) == (
        "bulletin",
        "en",
        BULLETIN.replace("{incident_link}", link),
    )
    assert [(p["network"], p["account"], p["status"]) for p in made["posts"]] == [
        ("x", "@NimbusMobile", "sent")
    ]
    listed = lena.get(f"/api/incidents/{outage.pk}/bulletins").json()
    assert [b["id"] for b in listed] == [made["id"]]
    covered = lena.post(
        f"/api/incidents/{outage.pk}/answer-everyone", {"reply": False}, content_type="application/json"
    ).json()
    assert covered == {
        "counts": {"covered": 2},
        "held": {},
        "resolved": 0,
        "not_resolved": {},
        "resolution": None,
    }
    ended = lena.post(
        f"/api/incidents/{outage.pk}/fixed",
        {"texts": {"en": "Fixed, thanks!"}},
        content_type="application/json",
    ).json()
    assert (ended["counts"], ended["resolved"]) == ({"fixed": 2}, 2)
    outage.refresh_from_db()
    assert outage.status == IncidentStatus.RESOLVED
    undo = lena.post(f"/api/incidents/{outage.pk}/resolutions/{ended['resolution']}/undo").json()
    assert undo == {"restored": 2}
    # Another workspace's incident is not there at all
    theirs = Incident.objects.create(workspace=other_workspace, title="secret", opened_at=T0)
    missing = lena.post(
        f"/api/incidents/{theirs.pk}/bulletins",
        {"language": "en", "text": BULLETIN},
        content_type="application/json",
    )
    assert missing.status_code == 404
