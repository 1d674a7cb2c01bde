"""The API does what the desk pages do around a reply: the collision check (replies others sent since
the agent looked), presence, resending a failed reply; refused actions answer with one problem shape
(detail, code, the error's status) and the web pages show the same refusals."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from socialdesk.channels.models import SandboxDelivery
from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.conversations.models import Conversation, DeliveryStatus, Message, SavedView
from socialdesk.incidents.models import Incident
from socialdesk.ingest.actions import receive_event
from socialdesk.outbox.models import OutboxItem
from socialdesk.policy.actions import save_policy
from socialdesk.replies.actions import send_reply
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import post

TELECOM = (Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml").read_text(
    encoding="utf-8"
)


@pytest.fixture
def two_agents(workspace: Any, x_channel: Any, agent: Any) -> dict[str, Any]:
    receive_event(x_channel, "1", post("a", "my line is dead", author="u1"))
    bob = create_user("bob", "another long passphrase")
    add_member(workspace, bob, Role.AGENT)
    alice, other = Client(), Client()
    assert alice.login(username="alice", password="correct horse battery staple")
    assert other.login(username="bob", password="another long passphrase")
    conversation = Conversation.objects.get()
    seen = Message.objects.get(network_message_id="a").pk
    return {"alice": alice, "bob": other, "cid": conversation.pk, "seen": seen}


def _post(client: Client, url: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    response = client.post(url, data=json.dumps(body or {}), content_type="application/json")
    return response.status_code, response.json()


def test_collision_check_and_presence(two_agents: dict[str, Any]) -> None:
    alice, bob, cid, seen = two_agents["alice"], two_agents["bob"], two_agents["cid"], two_agents["seen"]
    # Bob is typing; Alice checks in and sees him (and no replies yet).
    assert _post(bob, f"/api/conversations/{cid}/presence", {"typing": True, "seen": seen}) == (
        200,
        {"others": [], "newer": []},
    )
    code, here = _post(alice, f"/api/conversations/{cid}/presence", {"seen": seen})
    assert (code, here["others"], here["newer"]) == (200, [{"username": "bob", "typing": True}], [])
    # Bob replies first.
    code, sent = _post(bob, f"/api/conversations/{cid}/reply", {"text": "On it!", "seen": seen})
    assert code == 201
    newer = alice.get(f"/api/conversations/{cid}/replies?since={seen}").json()
    assert [(m["id"], m["author"], m["text"]) for m in newer] == [(sent["id"], "bob", "On it!")]
    assert alice.get(f"/api/conversations/{cid}/replies?since={sent['id']}").json() == []
    assert bob.get(f"/api/conversations/{cid}/replies?since={seen}").json() == []  # his own
    _, here = _post(alice, f"/api/conversations/{cid}/presence", {"seen": seen})
    assert [m["text"] for m in here["newer"]] == ["On it!"]
    # Alice's reply drafted on the older view is refused with Bob's reply; nothing is sent.
    assert _post(alice, f"/api/conversations/{cid}/reply", {"text": "Checking now", "seen": seen}) == (
        409,
        {
            "detail": "someone else replied while you were typing",
            "code": "collision",
            "replies": [{"id": sent["id"], "author": "bob", "text": "On it!"}],
        },
    )
    assert Message.objects.filter(direction="out").count() == 1
    # Having seen it, she sends anyway.
    code, body = _post(alice, f"/api/conversations/{cid}/reply", {"text": "Checking now", "seen": sent["id"]})
    assert (code, body["text"]) == (201, "Checking now")
    assert list(SandboxDelivery.objects.order_by("pk").values_list("text", flat=True)) == [
        "On it!",
        "Checking now",
    ]


def test_resend_a_failed_reply(two_agents: dict[str, Any], agent: Any, other_workspace: Any) -> None:
    alice, cid = two_agents["alice"], two_agents["cid"]
    reply = send_reply(Conversation.objects.get(pk=cid), agent, "Checking now.")
    # As if the network had refused it for good.
    OutboxItem.objects.filter(message=reply).update(status="failed", last_error="network said no")
    Message.objects.filter(pk=reply.pk).update(delivery_status="failed", delivery_error="network said no")
    outsider = create_user("otto", "other brand passphrase")
    add_member(other_workspace, outsider, Role.ADMIN)
    stranger = Client()
    stranger.force_login(outsider)
    assert stranger.post(f"/api/messages/{reply.pk}/resend").status_code == 404
    assert OutboxItem.objects.get(message=reply).status == "failed"
    code, body = _post(alice, f"/api/messages/{reply.pk}/resend")
    assert (code, body["id"], body["delivery_status"]) == (200, reply.pk, DeliveryStatus.SENT)
    assert OutboxItem.objects.get(message=reply).status == "sent"
    # Sent again with the same idempotency key: the network keeps one reply.
    assert SandboxDelivery.objects.filter(text="Checking now.").count() == 1


def test_refusals_have_one_shape_in_the_api_and_show_on_the_pages(
    workspace: Any, x_channel: Any, agent: Any
) -> None:
    save_policy(workspace, TELECOM)
    receive_event(x_channel, "1", post("a", "refund the double charge or my lawyer files a claim"))
    conversation = Conversation.objects.get()
    held = send_reply(conversation, agent, "Ana, we've refunded the double charge today. ^AL")
    client = Client()
    assert client.login(username="alice", password="correct horse battery staple")
    assert _post(client, f"/api/messages/{held.pk}/approve") == (
        403,
        {"detail": "only a lead, admin or legal member may approve replies", "code": "forbidden"},
    )
    page = client.post(f"/c/{conversation.pk}/m/{held.pk}/approve/")
    assert page.status_code == 403
    assert "only a lead, admin or legal member may approve replies" in page.content.decode()
    assert _post(client, f"/api/messages/{held.pk}/triage", {"field": "mood", "value": "x"}) == (
        422,
        {"detail": "triage has no field 'mood' to correct", "code": "correction_refused"},
    )
    code, body = _post(client, f"/api/conversations/{conversation.pk}/reply", {"text": "  "})
    assert (code, body) == (422, {"detail": "a reply needs text", "code": "refused"})
    assert _post(client, "/api/views", {"name": " ", "query": "intent=question"}) == (
        422,
        {"detail": "a saved view needs a name", "code": "refused"},
    )
    refused = client.post("/views/", {"name": " ", "query": "intent=question"})
    assert refused.status_code == 422
    assert "a saved view needs a name" in refused.content.decode()
    assert SavedView.objects.count() == 0
    assert Message.objects.get(pk=held.pk).delivery_status == DeliveryStatus.AWAITING_APPROVAL


def test_only_leads_resolve_incidents_and_the_page_says_so(
    workspace: Any, agent: Any, lead: Any, telecom_policy: Any
) -> None:
    x = sandbox_channel(workspace, "x")
    for i in range(12):
        receive_event(
            x, str(i), post(f"o{i}", "no signal, my calls keep dropping", author=f"u{i}", minutes=i)
        )
    incident = Incident.objects.get()
    client = Client()
    assert client.login(username="alice", password="correct horse battery staple")
    page = client.post(f"/incidents/{incident.pk}/resolve/")
    assert page.status_code == 403
    assert "only leads and admins resolve incidents" in page.content.decode()
    assert _post(client, f"/api/incidents/{incident.pk}/resolve") == (
        403,
        {"detail": "only leads and admins resolve incidents", "code": "forbidden"},
    )
    client.force_login(lead)
    assert client.post(f"/incidents/{incident.pk}/resolve/").status_code == 302
    incident.refresh_from_db()
    assert incident.status == "resolved"
