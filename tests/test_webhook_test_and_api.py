"""A webhook's "Send test" (page and API) goes through the real delivery to a real HTTP server on this
machine, signed and recorded like any notification; the API lists, adds and removes a workspace's
webhooks for its leads and admins and shows a secret only in the answer that made it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from html import unescape
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User

from socialdesk.notifications.models import Attempt, Delivery, Notification, Webhook
from socialdesk.notifications.sending import notifications_tick
from socialdesk.notifications.webhooks import add_webhook
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import T0, Receiver, logged_in, signed

TEXT = "Test from Socialdesk, sent by lena: this webhook receives the desk's notifications"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from Receiver().running()


def test_send_test_on_the_page_delivers_a_signed_slack_body(
    workspace: Any, lead: User, receiver: Receiver, settings: Any
) -> None:
    settings.SOCIALDESK_BASE_URL = "https://desk.acme.test"
    # Given a webhook that only wants spikes (a test reaches it all the same)
    webhook, secret = add_webhook(lead, workspace, "Slack #leads", f"{receiver.url}/slack", ["spike"])
    # When the lead presses "Send test"
    with time_machine.travel(T0, tick=False):
        page = logged_in(lead).post(f"/notifications/webhooks/{webhook.pk}/test/")
    # Then the receiver got one call, signed with the webhook's secret, in Slack's shape
    assert page.status_code == 200
    assert '<p role="status" class="ok">Test delivered to Slack #leads (HTTP 200)</p>' in unescape(
        page.content.decode()
    )
    assert receiver.paths() == ["/slack"]
    _, headers, body = receiver.calls[0]
    notification = Notification.objects.get()
    delivery = Delivery.objects.get()
    assert json.loads(body) == {
        "text": f"*Webhook test* · Acme Telecom: {TEXT} "
        "<https://desk.acme.test/notifications/webhooks/|Open in Socialdesk>",
        "socialdesk": {
            "id": notification.pk,
            "kind": "test",
            "workspace": "acme",
            "text": TEXT,
            "link": "https://desk.acme.test/notifications/webhooks/",
            "conversation_id": None,
            "incident_id": None,
            "created_at": "2026-11-20T09:00:00+00:00",
        },
    }
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Socialdesk-Event"] == "test"
    assert headers["X-Socialdesk-Delivery"] == str(delivery.pk)
    assert headers["X-Socialdesk-Timestamp"] == str(int(T0.timestamp()))
    assert signed(secret, headers, body)
    assert not signed(secret + "x", headers, body)
    # And it is recorded as a delivery of that webhook, with its attempt, and nobody's in-app bell rings
    assert (delivery.medium, delivery.webhook_id, delivery.status, delivery.attempts, delivery.sent_at) == (
        "webhook",
        webhook.pk,
        "sent",
        1,
        T0,
    )
    assert [(a.at, a.status_code, a.ok) for a in Attempt.objects.all()] == [(T0, 200, True)]
    assert not Delivery.objects.filter(medium="in_app").exists()
    # And the test is no kind a member or a webhook chooses
    assert "Webhook test" not in logged_in(lead).get("/notifications/preferences/").content.decode()
    assert 'value="test"' not in logged_in(lead).get("/notifications/webhooks/").content.decode()


def test_a_failing_test_is_shown_and_retried_like_any_delivery(
    workspace: Any, lead: User, receiver: Receiver
) -> None:
    webhook, _ = add_webhook(lead, workspace, "Slack", f"{receiver.url}/slack")
    receiver.script["/slack"] = [503]
    with time_machine.travel(T0, tick=False):
        page = logged_in(lead).post(f"/notifications/webhooks/{webhook.pk}/test/")
    assert (
        '<p role="status" class="bad">Test to Slack not delivered yet (HTTP 503: no); it is retried</p>'
        in (unescape(page.content.decode()))
    )
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.next_attempt_at) == ("pending", T0 + timedelta(seconds=5))
    notifications_tick(T0 + timedelta(seconds=5))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert receiver.paths() == ["/slack", "/slack"]


def test_an_agent_cannot_send_a_test(workspace: Any, lead: User, agent: User, receiver: Receiver) -> None:
    webhook, _ = add_webhook(lead, workspace, "Slack", f"{receiver.url}/slack")
    refused = logged_in(agent).post(f"/notifications/webhooks/{webhook.pk}/test/")
    assert refused.status_code == 403
    assert "only the workspace's leads and admins manage its webhooks" in unescape(refused.content.decode())
    assert receiver.calls == []
    assert not Notification.objects.exists()


def test_the_api_lists_adds_tests_and_removes_webhooks(
    workspace: Any, other_workspace: Any, lead: User, receiver: Receiver
) -> None:
    client = logged_in(lead)
    base = "/api/workspaces/acme/webhooks"
    with time_machine.travel(T0, tick=False):
        made = client.post(
            base,
            json.dumps({"name": "Slack", "url": f"{receiver.url}/hook/T1?x=1", "kinds": ["spike"]}),
            content_type="application/json",
        )
    assert made.status_code == 201
    webhook = Webhook.objects.get()
    listed_row = {
        "id": webhook.pk,
        "workspace": "acme",
        "name": "Slack",
        "host": receiver.url,
        "kinds": ["spike"],
        "active": True,
        "created_at": "2026-11-20T09:00:00+00:00",
    }
    assert made.json() == {**listed_row, "secret": webhook.target["secret"]}
    listed = client.get(base)
    assert (listed.status_code, listed.json()) == (200, [listed_row])
    assert webhook.target["secret"] not in listed.content.decode()
    assert "/hook/T1" not in listed.content.decode()

    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        tested = client.post(f"{base}/{webhook.pk}/test")
    delivery = Delivery.objects.get()
    assert (tested.status_code, tested.json()) == (
        200,
        {
            "delivery_id": delivery.pk,
            "status": "sent",
            "attempts": 1,
            "status_code": 200,
            "error": "",
            "summary": "Test delivered to Slack (HTTP 200)",
        },
    )
    assert receiver.paths() == ["/hook/T1?x=1"]
    assert signed(webhook.target["secret"], receiver.calls[0][1], receiver.calls[0][2])

    removed = client.delete(f"{base}/{webhook.pk}")
    assert removed.status_code == 204
    assert not Webhook.objects.exists()


def test_the_api_refuses_agents_and_other_brands(
    workspace: Any, other_workspace: Any, lead: User, agent: User, receiver: Receiver
) -> None:
    webhook, _ = add_webhook(lead, workspace, "Slack", f"{receiver.url}/slack")
    boss = create_user("gina", "globex passphrase here")
    add_member(other_workspace, boss, Role.ADMIN)
    theirs, _ = add_webhook(boss, other_workspace, "Globex", f"{receiver.url}/globex")
    as_agent = logged_in(agent)
    for response in (
        as_agent.get("/api/workspaces/acme/webhooks"),
        as_agent.post(f"/api/workspaces/acme/webhooks/{webhook.pk}/test"),
        as_agent.delete(f"/api/workspaces/acme/webhooks/{webhook.pk}"),
    ):
        assert (response.status_code, response.json()) == (
            403,
            {"detail": "only the workspace's leads and admins manage its webhooks", "code": "forbidden"},
        )
    as_lead = logged_in(lead)
    assert as_lead.get("/api/workspaces/globex/webhooks").status_code == 404
    assert as_lead.post(f"/api/workspaces/acme/webhooks/{theirs.pk}/test").status_code == 404
    assert as_lead.delete(f"/api/workspaces/acme/webhooks/{theirs.pk}").status_code == 404
    bad = as_lead.post(
        "/api/workspaces/acme/webhooks",
        json.dumps({"name": "X", "url": "https://x.test", "kinds": ["test"]}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["detail"].startswith("unknown notification kinds: test; one of: legal_escalation,")
    # Nothing was sent, removed or added
    assert receiver.calls == []
    assert Webhook.objects.count() == 2
    assert not Notification.objects.exists()
