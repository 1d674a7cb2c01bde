"""The agent desk pages: inbox filters, counts, saved views and live rows; conversation work (assign,
status, tags, notes), the composer's live policy check, and collision detection."""

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from socialdesk.conversations.models import Conversation, Message, Note, SavedView, Status
from socialdesk.ingest.actions import receive_event
from socialdesk.policy.actions import save_policy
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import post

TELECOM = (Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml").read_text(
    encoding="utf-8"
)


@pytest.fixture
def desk(workspace: Any, x_channel: Any, agent: Any) -> dict[str, Any]:
    save_policy(workspace, TELECOM)
    receive_event(x_channel, "1", post("a", "@NimbusMobile my calls keep dropping at home", author="u1"))
    receive_event(x_channel, "2", post("b", "@NimbusMobile ¿cómo activo la eSIM?", author="u2"))
    client = Client()
    assert client.login(username="alice", password="correct horse battery staple")
    ids = {m.network_message_id: m.conversation_id for m in Message.objects.all()}
    return {"client": client, "ids": ids}


def _rows(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('data-id="')[1:]]


def test_inbox_filters_search_and_counts(desk: dict[str, Any]) -> None:
    client, ids = desk["client"], desk["ids"]
    page = client.get("/").content.decode()
    assert _rows(page) == [str(ids["b"]), str(ids["a"])]
    assert '<span class="chip" data-count="live">2</span>' in page
    assert _rows(client.get("/?intent=question").content.decode()) == [str(ids["b"])]
    assert _rows(client.get("/?q=dropping").content.decode()) == [str(ids["a"])]
    assert _rows(client.get("/?language=es&sentiment=negative").content.decode()) == []
    # A value the filter does not know is dropped, the rest still applies.
    assert _rows(client.get("/?intent=question&priority=bogus").content.decode()) == [str(ids["b"])]
    # The rows partial the page polls for new messages.
    rows = client.get("/inbox/rows/?intent=complaint").content.decode()
    assert rows.startswith('<tbody id="rows" hx-get="/inbox/rows/?intent=complaint')
    assert _rows(rows) == [str(ids["a"])]


def test_saved_views(desk: dict[str, Any], agent: Any) -> None:
    client = desk["client"]
    response = client.post("/views/", {"name": "Questions", "query": "intent=question&bogus=1"})
    assert (response.status_code, response["Location"]) == (302, "/?intent=question")
    assert list(SavedView.objects.values_list("user", "name", "query")) == [
        (agent.pk, "Questions", "intent=question")
    ]
    assert '<a href="?intent=question">Questions</a>' in client.get("/").content.decode()


def test_assign_status_tags_and_notes_from_the_page(desk: dict[str, Any], agent: Any) -> None:
    client, cid = desk["client"], desk["ids"]["a"]
    assert client.post(f"/c/{cid}/assign/", {"value": "alice"}).status_code == 302
    assert client.post(f"/c/{cid}/tag/", {"value": "vip"}).status_code == 302
    assert client.post(f"/c/{cid}/note/", {"value": "<b>call back</b> at 5"}).status_code == 302
    assert client.post(f"/c/{cid}/status/", {"value": "resolved"}).status_code == 302
    refused = client.post(f"/c/{cid}/status/", {"value": "archived"})
    assert refused.status_code == 422
    assert "&#x27;archived&#x27; is not a status" in refused.content.decode()
    conversation = Conversation.objects.get(pk=cid)
    assert (conversation.assignee, conversation.status) == (agent, Status.RESOLVED)
    assert conversation.resolved_at is not None
    page = client.get(f"/c/{cid}/").content.decode()
    assert "&lt;b&gt;call back&lt;/b&gt; at 5" in page  # notes render inert
    assert Note.objects.get().text == "<b>call back</b> at 5"
    assert client.post(f"/c/{cid}/untag/", {"value": "vip"}).status_code == 302
    assert Conversation.objects.get(pk=cid).tags.count() == 0


def test_composer_checks_the_draft_live(desk: dict[str, Any]) -> None:
    client, cid = desk["client"], desk["ids"]["b"]
    bad = client.post(f"/c/{cid}/check/", {"text": "Check our new plan!"}).content.decode()
    assert "19 / 280 (x)" in bad
    assert "<strong>signature</strong>" in bad
    good = client.post(f"/c/{cid}/check/", {"text": "Ana, ve a Ajustes > eSIM. ^AG"}).content.decode()
    assert "fits the policy" in good
    long = client.post(f"/c/{cid}/check/", {"text": "é" * 300 + " ^AG"}).content.decode()
    assert 'class="bad" data-used="304">304 / 280 (x)' in long


def test_collision_someone_else_replied_while_typing(desk: dict[str, Any], workspace: Any) -> None:
    alice, cid = desk["client"], desk["ids"]["a"]
    bob = create_user("bob", "another long passphrase")
    add_member(workspace, bob, Role.AGENT)
    other = Client()
    assert other.login(username="bob", password="another long passphrase")
    seen = Message.objects.filter(conversation_id=cid).order_by("-pk").first()
    assert seen is not None
    # Bob opens the conversation and types; Alice sees him.
    other.post(f"/c/{cid}/presence/", {"seen": seen.pk, "typing": "1"})
    here = alice.post(f"/c/{cid}/presence/", {"seen": seen.pk}).content.decode()
    assert '<span class="chip" data-user="bob">bob is typing…</span>' in here
    # Bob sends first; Alice's reply (drafted on the older page) is held and Bob's is shown.
    assert other.post(f"/c/{cid}/reply/", {"text": "On it! ^BB", "seen": seen.pk}).status_code == 302
    assert (
        "bob replied while you were here: <bdi>On it! ^BB</bdi>"
        in alice.post(f"/c/{cid}/presence/", {"seen": seen.pk}).content.decode()
    )
    held = alice.post(f"/c/{cid}/reply/", {"text": "Checking now ^AL", "seen": seen.pk})
    assert held.status_code == 409
    assert "someone else replied while you were typing" in held.content.decode()
    assert ">Checking now ^AL</textarea>" in held.content.decode()
    assert Message.objects.filter(conversation_id=cid, direction="out").count() == 1
    sent = alice.post(f"/c/{cid}/reply/", {"text": "Checking now ^AL", "seen": seen.pk, "confirm": "1"})
    assert sent.status_code == 302
    assert Message.objects.filter(conversation_id=cid, direction="out").count() == 2


def test_members_of_two_brands_switch_between_them(
    desk: dict[str, Any], other_workspace: Any, agent: Any
) -> None:
    add_member(other_workspace, agent, Role.AGENT)
    page = desk["client"].get("/").content.decode()
    assert '<a href="/?workspace=acme">Acme Telecom</a>' in page
    assert '<a href="/?workspace=globex">Globex Bank</a>' in page
    assert _rows(desk["client"].get("/?workspace=globex").content.decode()) == []


def test_due_times_are_machine_readable_for_the_timer(desk: dict[str, Any]) -> None:
    cid = desk["ids"]["a"]
    conversation = Conversation.objects.get(pk=cid)
    assert conversation.first_response_due_at is not None
    page = desk["client"].get(f"/c/{cid}/").content.decode()
    # On the workspace's clock (the telecom policy runs on Madrid time), with its offset.
    assert conversation.first_response_due_at.isoformat() == "2026-11-20T09:30:00+00:00"
    assert '<time class="due" datetime="2026-11-20T10:30:00+01:00">2026-11-20 10:30 CET</time>' in page
