"""`POST /api/conversations/bulk`: the bulk action over the API (session or token), scoped to the
caller's workspaces, each refused conversation listed; bad requests are problems, never a 500."""

import json
from typing import Any

import pytest
from django.test import Client

from socialdesk.conversations.models import Activity, Conversation, Message
from socialdesk.incidents.models import Incident
from socialdesk.workspaces.actions import create_api_token
from tests.helpers import T0


def _bulk(client: Client, body: object, **headers: str) -> tuple[int, Any]:
    response = client.post(
        "/api/conversations/bulk", data=json.dumps(body), content_type="application/json", headers=headers
    )
    return response.status_code, response.json()


def test_resolves_in_bulk_and_lists_another_brands_conversation_as_not_found(
    bulk_desk: dict[str, Any],
) -> None:
    a, b, z = bulk_desk["a"], bulk_desk["b"], bulk_desk["z"]
    code, body = _bulk(bulk_desk["client"], {"ids": [a, z, b], "verb": "status", "value": "resolved"})
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


def test_a_token_acts_as_its_user(bulk_desk: dict[str, Any], agent: Any, workspace: Any) -> None:
    _, token = create_api_token(agent, "script")
    incident = Incident.objects.create(
        workspace=workspace, title="Porto", category="line_problem", opened_at=T0
    )
    code, body = _bulk(
        Client(),
        {"ids": [bulk_desk["a"], bulk_desk["b"]], "verb": "link", "value": str(incident.pk)},
        authorization=f"Bearer {token}",
    )
    assert (code, body["summary"], body["done"]) == (
        200,
        f"2 linked to incident #{incident.pk}",
        [bulk_desk["a"], bulk_desk["b"]],
    )
    assert Incident.objects.get(pk=incident.pk).conversation_count == 2
    assert list(Activity.objects.values_list("actor__username", "action").distinct()) == [("alice", "linked")]


def test_replies_with_a_saved_reply(bulk_desk: dict[str, Any]) -> None:
    code, body = _bulk(bulk_desk["client"], {"ids": [bulk_desk["a"]], "verb": "reply", "value": "Ask to DM"})
    assert (code, body["summary"]) == (200, "1 replied with “Ask to DM”")
    assert Message.objects.get(conversation_id=bulk_desk["a"], direction="out").text == (
        "Name, sorry about the signal. Send us a private message with your postcode so we can check. ^AL"
    )


def test_a_conversation_already_answered_is_skipped_with_the_reason(bulk_desk: dict[str, Any]) -> None:
    a, b = bulk_desk["a"], bulk_desk["b"]
    _bulk(bulk_desk["client"], {"ids": [a], "verb": "reply", "value": "Ask to DM"})
    code, body = _bulk(bulk_desk["client"], {"ids": [a, b], "verb": "reply", "value": "Ask to DM"})
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
    bulk_desk: dict[str, Any], body: dict[str, Any], status: int, code: str
) -> None:
    got, problem = _bulk(bulk_desk["client"], body)
    assert (got, problem["code"]) == (status, code)
    assert not Activity.objects.exists()


def test_a_malformed_body_is_refused_not_a_server_error(bulk_desk: dict[str, Any]) -> None:
    for body in [{"ids": "all", "verb": "status"}, {"verb": "status"}, [1, 2], "nonsense"]:
        code, _ = _bulk(bulk_desk["client"], body)
        assert code == 422, body
    response = bulk_desk["client"].post(
        "/api/conversations/bulk", data="{not json", content_type="application/json"
    )
    assert response.status_code in (400, 422)


def test_another_brands_incident_is_not_found(bulk_desk: dict[str, Any]) -> None:
    theirs = Incident.objects.create(
        workspace=bulk_desk["globex"], title="Cards", category="cards", opened_at=T0
    )
    code, body = _bulk(
        bulk_desk["client"], {"ids": [bulk_desk["a"]], "verb": "link", "value": str(theirs.pk)}
    )
    assert (code, body) == (404, {"detail": f"incident '{theirs.pk}' not found", "code": "not_found"})
    assert Conversation.objects.get(pk=bulk_desk["a"]).incident_id is None


def test_requires_login(db: Any) -> None:
    assert _bulk(Client(), {"ids": [1], "verb": "unlink"})[0] == 401
