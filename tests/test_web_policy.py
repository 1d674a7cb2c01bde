"""Policy pages: the editor shows errors with line and column, only admins save, documents render,
and the conversation page checks replies and requires a moderation reason."""

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from socialdesk.channels.models import SandboxDelivery
from socialdesk.conversations.models import Conversation, Message, ModerationLog
from socialdesk.ingest.actions import receive_event
from socialdesk.policy.actions import save_policy
from socialdesk.policy.models import PolicyVersion
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import post

TELECOM = (Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml").read_text(
    encoding="utf-8"
)


@pytest.fixture
def telecom(workspace: Any) -> Any:
    save_policy(workspace, TELECOM)
    return workspace


def _client(username: str, password: str) -> Client:
    client = Client()
    assert client.login(username=username, password=password)
    return client


def test_editor_reports_errors_with_line_and_column(telecom: Any, agent: Any) -> None:
    client = _client("alice", "correct horse battery staple")
    broken = TELECOM.replace("timezone: Europe/Madrid", "timezone: Mars/Olympus")
    response = client.post("/policy/", {"source": broken, "intent": "validate", "ws": "acme"})
    assert response.status_code == 422
    page = response.content.decode()
    assert (
        "<strong>line 68, column 13</strong> <code>business_hours.timezone</code>: unknown time zone" in page
    )
    assert "Mars/Olympus" in page


def test_only_admins_save_a_new_version(telecom: Any, agent: Any) -> None:
    edited = TELECOM.replace('version: "2026.11-1"', 'version: "2026.11-2"')
    agent_client = _client("alice", "correct horse battery staple")
    refused = agent_client.post("/policy/", {"source": edited, "intent": "save", "ws": "acme"})
    assert refused.status_code == 403
    assert "only a workspace admin may change the policy" in refused.content.decode()
    admin = create_user("ada", "admin-password-123")
    add_member(telecom, admin, Role.ADMIN)
    response = _client("ada", "admin-password-123").post(
        "/policy/", {"source": edited, "intent": "save", "ws": "acme"}
    )
    assert response.status_code == 302
    assert list(PolicyVersion.objects.order_by("number").values_list("number", "label", "is_active")) == [
        (1, "2026.11-1", False),
        (2, "2026.11-2", True),
    ]


def test_documents_render_for_members_only(telecom: Any, agent: Any, other_workspace: Any) -> None:
    client = _client("alice", "correct horse battery staple")
    public = client.get("/policy/public/").content.decode()
    assert "<h1>Nimbus Mobile on social media</h1>" in public
    markdown = client.get("/policy/internal/?format=md").content.decode()
    assert markdown.startswith("# Nimbus Mobile: social media action policy (internal)")
    assert client.get("/policy/public/?ws=globex").status_code == 404


def test_reply_that_breaks_the_policy_is_shown_back_not_sent(
    telecom: Any, x_channel: Any, agent: Any
) -> None:
    receive_event(x_channel, "1", post("a", "@NimbusMobile my calls keep dropping at home"))
    conversation = Conversation.objects.get()
    client = _client("alice", "correct horse battery staple")
    response = client.post(f"/c/{conversation.pk}/reply/", {"text": "Try our new plan!"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "<strong>no_selling</strong>: “new plan” is promotional" in page
    assert "<strong>signature</strong>: The reply is not signed." in page
    assert ">Try our new plan!</textarea>" in page
    assert SandboxDelivery.objects.count() == 0
    # The playbook and the category's saved replies are offered, filled in.
    assert "Playbook: Line problem" in page
    assert "Name, there is an outage in your area" in page


def test_moderation_from_the_page_needs_a_reason(telecom: Any, x_channel: Any, agent: Any) -> None:
    receive_event(x_channel, "1", post("s", "@NimbusMobile FREE iPhone giveaway click here"))
    conversation = Conversation.objects.get()
    message = Message.objects.get()
    client = _client("alice", "correct horse battery staple")
    url = f"/c/{conversation.pk}/m/{message.pk}/moderate/"
    refused = client.post(url, {"action": "hide", "reason": ""})
    assert refused.status_code == 422
    assert "no reason is not a moderation reason in the policy" in refused.content.decode()
    assert client.post(url, {"action": "hide", "reason": "spam"}).status_code == 302
    assert list(ModerationLog.objects.values_list("action", "reason", "actor__username")) == [
        ("hide", "spam", "alice")
    ]
