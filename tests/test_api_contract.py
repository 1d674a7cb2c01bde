"""The API keeps its contract: schemathesis generates requests from /api/openapi.json (valid and
invalid ones) for every operation, sends them to the desk in-process with a seeded workspace's API
token, and checks that no answer is a server error, that every status is documented, and that every
body matches its declared schema. Bounded and derandomized: the same requests every run
(docs/security.md has the numbers)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from socialdesk.conversations.actions import assign_by_username
from socialdesk.conversations.models import Conversation, Direction, Message
from socialdesk.wsgi import application

EXAMPLES = 10
EXAMPLES_DIR = Path(__file__).parents[1] / "socialdesk" / "policy" / "examples"
CALLS: Counter[str] = Counter()  # operation -> requests sent (printed with -s, for docs/security.md)
# The schema as the desk serves it (read at collection: it needs no database).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def token(bulk_desk: dict[str, Any]) -> str:
    """Alice's API token; she is an agent of acme (telecom policy, two conversations)."""
    from socialdesk.workspaces.actions import create_api_token

    _, secret = create_api_token(get_user_model().objects.get(username="alice"), "contract")
    return secret


def _client(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_body_that_is_not_an_object_is_refused_and_changes_nothing(
    bulk_desk: dict[str, Any], token: str
) -> None:
    conversation = Conversation.objects.get(pk=bulk_desk["a"])
    alice = get_user_model().objects.get(username="alice")
    assign_by_username(conversation, "alice", alice)
    for body in ([], [1], "alice", 3, None):
        answer = _client(token).post(
            f"/api/conversations/{bulk_desk['a']}/assign", json.dumps(body), content_type="application/json"
        )
        assert (answer.status_code, answer.json()) == (
            422,
            {"detail": f"the body must be a JSON object, not {type(body).__name__}", "code": "invalid"},
        )
    assert Conversation.objects.get(pk=bulk_desk["a"]).assignee == alice


def test_refused_input_is_a_problem_with_a_sentence_and_each_field(
    bulk_desk: dict[str, Any], token: str
) -> None:
    client = _client(token)
    empty = client.post(
        f"/api/conversations/{bulk_desk['a']}/reply", {"text": ""}, content_type="application/json"
    )
    assert (empty.status_code, empty.json()) == (
        422,
        {
            "detail": "body.body.text: String should have at least 1 character",
            "code": "invalid",
            "errors": [
                {
                    "loc": ["body", "body", "text"],
                    "msg": "String should have at least 1 character",
                    "type": "string_too_short",
                }
            ],
        },
    )
    assert Message.objects.filter(conversation_id=bulk_desk["a"], direction=Direction.OUTBOUND).count() == 0
    missing = client.get("/api/conversations/999999")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Not found", "code": "not_found"})
    garbled = client.post("/api/views", b"\xff{", content_type="application/json")
    assert (garbled.status_code, garbled.json()) == (
        400,
        {"detail": "the body is not JSON", "code": "bad_request"},
    )
    anonymous = Client().get("/api/views")
    assert (anonymous.status_code, anonymous.json()) == (
        401,
        {"detail": "Unauthorized", "code": "unauthorized"},
    )


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), f"a key twice in one object: {keys}"
    return dict(pairs)


def test_the_schema_documents_the_statuses_every_operation_can_answer() -> None:
    # Swagger UI refuses to draw a document with a key twice in one object (a "422" next to a 422).
    document = json.loads(Client().get("/api/openapi.json").content, object_pairs_hook=_refuse_duplicates)
    assign = document["paths"]["/api/conversations/{conversation_id}/assign"]["post"]["responses"]
    assert sorted(assign) == ["200", "400", "401", "404", "422"]
    assert assign["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
    views = document["paths"]["/api/views"]["get"]["responses"]
    assert sorted(views) == ["200", "400", "401"]
    problem = document["components"]["schemas"]["Problem"]
    assert problem["required"] == ["detail", "code"]
    assert problem["properties"]["detail"]["type"] == "string"


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """One seeded desk for every operation (seeding it per operation was most of the run's time): acme
    runs the telecom policy with two customers' posts, globex has one; alice is acme's admin. Her API
    token; the database is emptied afterwards, as a transactional test leaves it."""
    from django.core.management import call_command

    from socialdesk.channels.sandbox.receiver import sandbox_channel
    from socialdesk.ingest.actions import receive_event
    from socialdesk.policy.actions import save_policy
    from socialdesk.workspaces.actions import add_member, create_api_token, create_user, create_workspace
    from socialdesk.workspaces.models import Role
    from tests.helpers import post

    with django_db_blocker.unblock():
        acme, globex = create_workspace("acme", "Acme Telecom"), create_workspace("globex", "Globex Bank")
        save_policy(acme, (EXAMPLES_DIR / "telecom.yaml").read_text(encoding="utf-8"))
        alice = create_user("alice", "correct horse battery staple")
        add_member(acme, alice, Role.ADMIN)
        x = sandbox_channel(acme, "x")
        receive_event(x, "1", post("a", "@NimbusMobile my calls keep dropping at home", author="u1"))
        receive_event(x, "2", post("b", "@NimbusMobile no signal in Porto", author="u2", minutes=1))
        receive_event(sandbox_channel(globex, "x"), "1", post("z", "@GlobexBank card declined", author="u9"))
        _, secret = create_api_token(alice, "contract")
        yield secret
        call_command("flush", interactive=False, verbosity=0)


# Last in the file: the checks above empty the database after each of them, this one after all.
@pytest.fixture(scope="module", autouse=True)
def tally() -> Iterator[None]:
    yield
    if CALLS:
        print(f"\nschemathesis: {len(CALLS)} operations, {sum(CALLS.values())} requests")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_contract(case: Any, seeded: str, django_db_blocker: Any) -> None:
    CALLS[case.operation.label] += 1
    with django_db_blocker.unblock():
        case.call_and_validate(
            headers={"Authorization": f"Bearer {seeded}"},
            checks=[
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
            ],
        )
