"""The desk pages: login required, workspace scoping, replies, hostile text rendered inert."""

from pathlib import Path
from typing import Any

from django.test import Client

from socialdesk.channels.models import SandboxDelivery
from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.conversations.models import Conversation
from socialdesk.ingest.actions import receive_event
from tests.helpers import post


def _login(client: Client) -> None:
    assert client.login(username="alice", password="correct horse battery staple")


def test_pages_need_login(x_channel: Any) -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_agent_sees_own_brand_and_gets_404_on_another(
    x_channel: Any, agent: Any, other_workspace: Any
) -> None:
    receive_event(x_channel, "1", post("mine", "acme question"))
    theirs_channel = sandbox_channel(other_workspace, "x")
    receive_event(theirs_channel, "1", post("theirs", "globex secret"))
    mine = Conversation.objects.get(workspace__slug="acme")
    theirs = Conversation.objects.get(workspace__slug="globex")
    client = Client()
    _login(client)

    inbox = client.get("/").content.decode()
    assert "acme question" in inbox
    assert "globex secret" not in inbox
    assert client.get(f"/c/{mine.pk}/").status_code == 200
    assert client.get(f"/c/{theirs.pk}/").status_code == 404
    assert client.post(f"/c/{theirs.pk}/reply/", {"text": "leak"}).status_code == 404
    assert SandboxDelivery.objects.count() == 0


def test_reply_from_the_page_reaches_the_sandbox(x_channel: Any, agent: Any) -> None:
    receive_event(x_channel, "1", post("a", "no signal"))
    conversation = Conversation.objects.get()
    client = Client()
    _login(client)
    response = client.post(f"/c/{conversation.pk}/reply/", {"text": "We're on it, Ana"})
    assert response.status_code == 302
    assert SandboxDelivery.objects.get().text == "We're on it, Ana"
    page = client.get(f"/c/{conversation.pk}/").content.decode()
    assert "We&#x27;re on it, Ana" in page
    assert "Sent" in page
    outbox = client.get("/sandbox/outbox/").content.decode()
    assert "We&#x27;re on it, Ana" in outbox


def test_hostile_text_is_rendered_inert(x_channel: Any, agent: Any) -> None:
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)> \u202egnp.exe"
    receive_event(x_channel, "1", post("a", hostile))
    conversation = Conversation.objects.get()
    client = Client()
    _login(client)
    page = client.get(f"/c/{conversation.pk}/").content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    # Direction overrides stay inside their own isolated box (desk.css: no inline style under the CSP).
    assert '<div class="text">' in page
    css = (Path(__file__).parents[1] / "socialdesk" / "web" / "static" / "web" / "desk.css").read_text()
    assert ".msg .text{white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:isolate}" in css


def test_scripts_and_api_docs_are_served_before_anything_was_collected(
    settings: Any, tmp_path: Any, agent: Any
) -> None:
    """A first start: the static folder is empty when WhiteNoise indexes it (each Client loads the
    middleware anew), yet the desk's scripts and Swagger UI come from the installed packages."""
    settings.STATIC_ROOT = tmp_path
    client = Client()
    for path in [
        "/static/web/desk.js",
        "/static/web/htmx-2.0.11.min.js",
        "/static/ninja/swagger-ui-bundle.js",
    ]:
        assert client.get(path).status_code == 200, path
    _login(client)
    docs = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower()
