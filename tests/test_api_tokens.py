"""Personal API tokens: a script sends `Authorization: Bearer ...` and acts as its user (same
workspace scope, no CSRF cookie dance); only a digest is stored; revoked or unknown tokens get 401."""

import hashlib
import json
from typing import Any

from django.test import Client
from typer.testing import CliRunner

from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.cli import app
from socialdesk.conversations.models import Message
from socialdesk.ingest.actions import receive_event
from socialdesk.workspaces.actions import create_api_token, revoke_api_token
from socialdesk.workspaces.models import ApiToken
from tests.helpers import post


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_acts_as_its_user_and_sees_only_their_brand(
    x_channel: Any, agent: Any, other_workspace: Any
) -> None:
    receive_event(x_channel, "1", post("a", "@NimbusMobile my calls keep dropping", author="u1"))
    receive_event(sandbox_channel(other_workspace, "x"), "1", post("z", "@Globex my card", author="u9"))
    ours = Message.objects.get(network_message_id="a").conversation_id
    theirs = Message.objects.get(network_message_id="z").conversation_id
    row, token = create_api_token(agent, "reporting script")
    # Only the digest is kept.
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(list(ApiToken.objects.values()), default=str)
    client = Client()  # no session, no CSRF cookie
    listed = client.get("/api/conversations", headers=_bearer(token))
    assert listed.status_code == 200
    assert [c["id"] for c in listed.json()["items"]] == [ours]
    assert client.get(f"/api/conversations/{theirs}", headers=_bearer(token)).status_code == 404
    # Writes work without a CSRF token: the bearer header is not sent by browsers on their own.
    note = client.post(
        f"/api/conversations/{ours}/notes",
        data=json.dumps({"text": "called the customer"}),
        content_type="application/json",
        headers=_bearer(token),
    )
    assert (note.status_code, note.json()["author"]) == (201, "alice")
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_revoked_unknown_and_malformed_tokens_get_401(agent: Any) -> None:
    row, token = create_api_token(agent, "ci")
    client = Client()
    assert client.get("/api/conversations", headers=_bearer(token)).status_code == 200
    assert revoke_api_token(agent, row.pk) is True
    assert revoke_api_token(agent, row.pk) is False  # already revoked
    assert client.get("/api/conversations", headers=_bearer(token)).status_code == 401
    assert client.get("/api/conversations", headers=_bearer(token[:-1] + "x")).status_code == 401
    assert client.get("/api/conversations", headers=_bearer("sdt_" + "a" * 5000)).status_code == 401
    assert (
        client.get("/api/conversations", headers={"Authorization": "Basic YWxpY2U6eA=="}).status_code == 401
    )
    agent.is_active = False
    agent.save()
    _, fresh = create_api_token(agent, "inactive user")
    assert client.get("/api/conversations", headers=_bearer(fresh)).status_code == 401


def test_tokens_page_shows_a_new_token_once_and_revokes(agent: Any) -> None:
    client = Client()
    assert client.login(username="alice", password="correct horse battery staple")
    page = client.post("/tokens/", {"name": "zapier"}).content.decode()
    token = page.split('<code id="new-token">')[1].split("</code>")[0]
    assert token.startswith("sdt_")
    assert Client().get("/api/conversations", headers=_bearer(token)).status_code == 200
    listing = client.get("/tokens/").content.decode()
    assert "zapier" in listing
    assert token not in listing
    row = ApiToken.objects.get(name="zapier")
    client.post(f"/tokens/{row.pk}/revoke/")
    assert Client().get("/api/conversations", headers=_bearer(token)).status_code == 401


def test_cli_creates_lists_and_revokes(agent: Any) -> None:
    runner = CliRunner()
    made = runner.invoke(app, ["token", "create", "alice", "--name", "export"])
    assert made.exit_code == 0, made.output
    token = made.output.strip().splitlines()[-1]
    assert Client().get("/api/conversations", headers=_bearer(token)).status_code == 200
    row = ApiToken.objects.get(name="export")
    listed = runner.invoke(app, ["token", "list", "alice"])
    assert f"{row.prefix}…" in listed.output
    assert "active" in listed.output
    assert token not in listed.output
    assert runner.invoke(app, ["token", "revoke", "alice", str(row.pk)]).exit_code == 0
    assert runner.invoke(app, ["token", "revoke", "alice", str(row.pk)]).exit_code == 2
    assert runner.invoke(app, ["token", "create", "nobody"]).exit_code == 2
