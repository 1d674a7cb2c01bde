"""`POST /api/conversations/bulk`: the bulk action over the API (session or token), scoped to the
caller's workspaces, each refused conversation listed; bad requests are problems, never a 500."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.conversations.models import Activity, Conversation, Message
from socialdesk.incidents.models import Incident
from socialdesk.ingest.actions import receive_event
from socialdesk.policy.actions import save_policy
from socialdesk.workspaces.actions import create_api_token
from tests.helpers import T0, post

TELECOM = (Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml").read_text(
    encoding="utf-8"
)


@pytest.fixture
def desk(workspace: Any, other_workspace: Any, x_channel: Any, agent: Any) -> dict[str, Any]:
    save_policy(workspace, TELECOM)
    receive_event(x_channel, "1", post("a", "@NimbusMobile my calls keep dropping at home", author="u1"))
    receive_event(x_channel, "2", post("b", "@NimbusMobile no signal in Porto", author="u2", minutes=1))
    receive_event(
        sandbox_channel(other_workspace, "x"), "1", post("z", "@GlobexBank card declined", author="u9")
    )
    client = Client()
    assert client.login(username="alice", password="correct horse battery staple")
    ids = {str(m.network_message_id): m.conversation_id for m in Message.objects.all()}
    return {"client": client, **ids, "globex": other_workspace}


def _bulk(client: Client, body: object, **headers: str) -> tuple[int, Any]:
    response = client.post(
        "/api/conversations/bulk", data=json.dumps(body), content_type="application/json", headers=headers
    )
    return response.status_code, response.json()


def test_resolves_in_bulk_and_lists_another_brands_conversation_as_not_found(desk: dict[str, Any]) -> None:
    a, b, z = desk["a"], desk["b"], desk["z"]
    code, body = _bulk(desk["client"], {"ids": [a, z, b], "verb": "status", "value": "resolved"})
    assert (code, body) == (
        200,
        {
            "summary": "2 resolved, 1 failed",
            "done": [a, b],
            "held": [],
            "skipped": [],
            "failed": [{"id": z, "code": "not_found", "detail": "not found"}],
        },
    )
    assert dict(Conversation.objects.values_list("pk", "status")) == {a: "resolved", b: "resolved", z: "new"}
    assert not Activity.objects.filter(conversation_id=z).exists()


def test_a_token_acts_as_its_user(desk: dict[str, Any], agent: Any, workspace: Any) -> None:
    _, token = create_api_token(agent, "script")
    incident = Incident.objects.create(
        workspace=workspace, title="Porto", category="line_problem", opened_at=T0
    )
    code, body = _bulk(
        Client(),
        {"ids": [desk["a"], desk["b"]], "verb": "link", "value": str(incident.pk)},
        authorization=f"Bearer {token}",
    )
    assert (code, body["summary"], body["done"]) == (
        200,
        f"2 linked to incident #{incident.pk}",
        [desk["a"], desk["b"]],
    )
    assert Incident.objects.get(pk=incident.pk).conversation_count == 2
    assert list(Activity.objects.values_list("actor__username", "action").distinct()) == [("alice", "linked")]


def test_replies_with_a_saved_reply(desk: dict[str, Any]) -> None:
    code, body = _bulk(desk["client"], {"ids": [desk["a"]], "verb": "reply", "value": "Ask to DM"})
    assert (code, body["summary"]) == (200, "1 replied with “Ask to DM”")
    assert Message.objects.get(conversation_id=desk["a"], direction="out").text == (
        "Name, sorry about the signal. Send us a private message with your postcode so we can check. ^AL"
    )


def test_a_conversation_already_answered_is_skipped_with_the_reason(desk: dict[str, Any]) -> None:
    a, b = desk["a"], desk["b"]
    _bulk(desk["client"], {"ids": [a], "verb": "reply", "value": "Ask to DM"})
    code, body = _bulk(desk["client"], {"ids": [a, b], "verb": "reply", "value": "Ask to DM"})
    assert (code, body) == (
        200,
        {
            "summary": "1 replied with “Ask to DM”, 1 skipped",
            "done": [b],
            "held": [],
            "skipped": [
                {
                    "id": a,
                    "code": "already_answered",
                    "detail": "already answered by alice since the customer's last message (sent)",
                }
            ],
            "failed": [],
        },
    )
    assert Message.objects.filter(conversation_id=a, direction="out", automatic=False).count() == 1


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"ids": [1], "verb": "explode"}, 422, "unknown_verb"),
        ({"ids": [], "verb": "status", "value": "resolved"}, 422, "refused"),
        ({"ids": [1], "verb": "tag"}, 422, "missing_value"),
        ({"ids": [1], "verb": "link", "value": "abc"}, 404, "not_found"),
    ],
)
def test_a_bad_request_is_a_problem_and_changes_nothing(
    desk: dict[str, Any], body: dict[str, Any], status: int, code: str
) -> None:
    got, problem = _bulk(desk["client"], body)
    assert (got, problem["code"]) == (status, code)
    assert not Activity.objects.exists()


def test_a_malformed_body_is_refused_not_a_server_error(desk: dict[str, Any]) -> None:
    for body in [{"ids": "all", "verb": "status"}, {"verb": "status"}, [1, 2], "nonsense"]:
        code, _ = _bulk(desk["client"], body)
        assert code == 422, body
    response = desk["client"].post(
        "/api/conversations/bulk", data="{not json", content_type="application/json"
    )
    assert response.status_code in (400, 422)


def test_another_brands_incident_is_not_found(desk: dict[str, Any]) -> None:
    theirs = Incident.objects.create(workspace=desk["globex"], title="Cards", category="cards", opened_at=T0)
    code, body = _bulk(desk["client"], {"ids": [desk["a"]], "verb": "link", "value": str(theirs.pk)})
    assert (code, body) == (404, {"detail": f"incident '{theirs.pk}' not found", "code": "not_found"})
    assert Conversation.objects.get(pk=desk["a"]).incident_id is None


def test_requires_login(db: Any) -> None:
    assert _bulk(Client(), {"ids": [1], "verb": "unlink"})[0] == 401
