"""The REST API: the inbox with its filters, the conversation, every desk action, the composer's
policy check; scoped to the user's workspaces (another brand's ids are 404); CSRF on writes."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.conversations.models import Activity, Conversation, Message, Note, Status
from socialdesk.ingest.actions import receive_event
from socialdesk.policy.actions import save_policy
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import post

TELECOM = (Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml").read_text(
    encoding="utf-8"
)


@pytest.fixture
def desk(workspace: Any, other_workspace: Any, x_channel: Any, agent: Any) -> dict[str, Any]:
    save_policy(workspace, TELECOM)
    receive_event(x_channel, "1", post("a", "@NimbusMobile my calls keep dropping at home", author="u1"))
    receive_event(x_channel, "2", post("b", "@NimbusMobile ¿cómo activo la eSIM?", author="u2"))
    receive_event(x_channel, "3", post("c", "@NimbusMobile thanks, great service!", author="u3"))
    other = sandbox_channel(other_workspace, "x")
    receive_event(other, "1", post("z", "@GlobexBank my card was declined", author="u9"))
    client = Client()
    assert client.login(username="alice", password="correct horse battery staple")
    ids = {m.network_message_id: m.conversation_id for m in Message.objects.all()}
    return {"client": client, "ids": ids, "other": ids["z"]}


def _json(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, data=json.dumps(body or {}), content_type="application/json")
    return response.status_code, response.json()


def test_requires_login(db: Any) -> None:
    assert Client().get("/api/conversations").status_code == 401


def test_inbox_filters_counts_and_search(desk: dict[str, Any]) -> None:
    client, ids = desk["client"], desk["ids"]
    code, body = _json(client, "get", "/api/conversations")
    assert code == 200
    assert body["count"] == 3  # the other brand's conversation is not there
    assert [c["id"] for c in body["items"]] == [ids["c"], ids["b"], ids["a"]]
    assert body["counts"] == {"new": 3, "open": 0, "pending": 0, "live": 3}
    # A live status filter takes its exact count from the per-status counts.
    _, body = _json(client, "get", "/api/conversations?status=new&tag=")
    assert (body["count"], len(body["items"])) == (3, 3)
    _, body = _json(client, "get", "/api/conversations?status=open")
    assert (body["count"], body["items"], body["counts"]["new"]) == (0, [], 3)
    _, body = _json(client, "get", "/api/conversations?intent=question")
    assert [c["id"] for c in body["items"]] == [ids["b"]]
    assert body["items"][0]["language"] == "es"
    _, body = _json(client, "get", "/api/conversations?language=en&intent=complaint")
    assert [c["id"] for c in body["items"]] == [ids["a"]]
    _, body = _json(client, "get", "/api/conversations?q=calls%20dropping")
    assert [c["id"] for c in body["items"]] == [ids["a"]]
    _, body = _json(client, "get", "/api/conversations?q=declined")
    assert body["items"] == []
    # A value the filter does not have is a clear 422 naming the field.
    code, body = _json(client, "get", "/api/conversations?status=bogus")
    assert code == 422
    assert body["code"] == "invalid"
    assert body["detail"].startswith("query.status: Input should be ")
    assert [e["loc"][-1] for e in body["errors"]] == ["status"]
    _, body = _json(client, "get", "/api/conversations?sort=priority")
    assert body["items"][0]["id"] == ids["a"]  # the complaint has the highest priority score


def test_conversation_detail_and_other_brands_are_404(desk: dict[str, Any]) -> None:
    client, ids, other = desk["client"], desk["ids"], desk["other"]
    code, body = _json(client, "get", f"/api/conversations/{ids['a']}")
    assert code == 200
    assert [(m["direction"], m["text"]) for m in body["messages"]] == [
        ("in", "@NimbusMobile my calls keep dropping at home")
    ]
    assert body["messages"][0]["intent"] == "complaint"
    other_message = Message.objects.get(network_message_id="z").pk
    for method, url, payload in [
        ("get", f"/api/conversations/{other}", None),
        ("post", f"/api/conversations/{other}/reply", {"text": "hi ^AB"}),
        ("post", f"/api/conversations/{other}/notes", {"text": "x"}),
        ("post", f"/api/conversations/{other}/assign", {"username": "alice"}),
        ("post", f"/api/conversations/{other}/status", {"status": "resolved"}),
        ("post", f"/api/conversations/{other}/tags", {"name": "x"}),
        ("post", "/api/check", {"conversation": other, "text": "hi"}),
        ("post", f"/api/messages/{other_message}/moderate", {"action": "hide", "reason": "spam"}),
        ("post", f"/api/messages/{other_message}/triage", {"field": "intent", "value": "spam"}),
        ("post", f"/api/messages/{other_message}/approve", None),
        ("post", f"/api/messages/{other_message}/resend", None),
        ("post", f"/api/conversations/{other}/presence", {"typing": True}),
        ("get", f"/api/conversations/{other}/replies?since=0", None),
    ]:
        assert _json(client, method, url, payload)[0] == 404, url
    untouched = Conversation.objects.get(pk=other)
    assert (untouched.status, untouched.assignee_id, untouched.tags.count()) == (Status.NEW, None, 0)
    assert Note.objects.count() == 0


def test_desk_actions(desk: dict[str, Any], agent: Any) -> None:
    client, ids = desk["client"], desk["ids"]
    cid = ids["a"]
    assert _json(client, "post", f"/api/conversations/{cid}/assign", {"username": "alice"}) == (
        200,
        {"detail": "ok"},
    )
    bob = create_user("bob", "another long passphrase")
    assert _json(client, "post", f"/api/conversations/{cid}/assign", {"username": "bob"}) == (
        422,
        {"detail": "bob is not a member of this workspace", "code": "refused"},
    )
    assert _json(client, "post", f"/api/conversations/{cid}/tags", {"name": "vip"})[0] == 200
    assert _json(client, "post", f"/api/conversations/{cid}/notes", {"text": "called her back"})[0] == 201
    assert _json(client, "post", f"/api/conversations/{cid}/status", {"status": "closed"})[0] == 200
    assert _json(client, "post", f"/api/conversations/{cid}/status", {"status": "open"}) == (
        422,
        {"detail": "a closed conversation stays closed; a new message opens a new one", "code": "refused"},
    )
    conversation = Conversation.objects.get(pk=cid)
    assert (conversation.assignee, conversation.status) == (agent, Status.CLOSED)
    assert list(conversation.tags.values_list("name", flat=True)) == ["vip"]
    assert list(Activity.objects.order_by("pk").values_list("action", "detail")) == [
        ("assigned", "alice"),
        ("tagged", "vip"),
        ("status", "closed"),
    ]
    assert Note.objects.get().text == "called her back"
    _, body = _json(client, "get", "/api/conversations?assignee=me")
    assert [c["id"] for c in body["items"]] == [cid]
    _, body = _json(client, "get", "/api/conversations?tag=vip&status=closed")
    assert [c["id"] for c in body["items"]] == [cid]
    assert bob.pk


def test_reply_checked_by_the_policy(desk: dict[str, Any]) -> None:
    client, ids = desk["client"], desk["ids"]
    code, body = _json(
        client, "post", "/api/check", {"conversation": ids["b"], "text": "Hola! Mira nuestra oferta"}
    )
    assert code == 200
    assert (body["network"], body["used"], body["limit"]) == ("x", 25, 280)
    # "Mira nuestra oferta" (look at our offer) is selling; nothing signs it.
    assert [v["rule"] for v in body["violations"]] == ["no_selling", "signature"]
    code, body = _json(client, "post", f"/api/conversations/{ids['b']}/reply", {"text": "no signature"})
    assert code == 422
    assert [v["rule"] for v in body["violations"]] == ["signature"]
    code, body = _json(
        client,
        "post",
        f"/api/conversations/{ids['b']}/reply",
        {"text": "Ana, ve a Ajustes > Datos móviles > Añadir eSIM. ^AG"},
    )
    assert code == 201
    assert (body["direction"], body["delivery_status"]) == ("out", "queued")
    # Delivered after the commit (in-process here; a Celery worker with a broker).
    assert Message.objects.get(pk=body["id"]).delivery_status == "sent"


def test_writes_need_the_csrf_token(desk: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="alice", password="correct horse battery staple")
    response = client.post(
        f"/api/conversations/{desk['ids']['a']}/notes", data='{"text": "x"}', content_type="application/json"
    )
    assert response.status_code == 403
    assert Note.objects.count() == 0


def test_saved_views_and_openapi(desk: dict[str, Any]) -> None:
    client = desk["client"]
    code, body = _json(
        client,
        "post",
        "/api/views",
        {"name": "Spanish questions", "query": "?language=es&intent=question&x=1"},
    )
    assert (code, body["query"]) == (201, "language=es&intent=question")
    assert [v["name"] for v in _json(client, "get", "/api/views")[1]] == ["Spanish questions"]
    schema = client.get("/api/openapi.json").json()
    assert {"/api/conversations", "/api/conversations/{conversation_id}/reply", "/api/check"} <= set(
        schema["paths"]
    )
    assert client.get("/api/docs").status_code == 200


def test_other_members_see_only_their_brand(desk: dict[str, Any], other_workspace: Any) -> None:
    bob = create_user("bob", "another long passphrase")
    add_member(other_workspace, bob, Role.AGENT)
    client = Client()
    assert client.login(username="bob", password="another long passphrase")
    _, body = _json(client, "get", "/api/conversations")
    assert [c["id"] for c in body["items"]] == [desk["other"]]
