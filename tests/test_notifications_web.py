"""The notification pages and API: the centre with the header's unread count, mark read, each
user's choices, and the workspace's webhooks for its admins; bad input is told, never a 500, and
nobody reaches another user's notifications or another brand's webhooks."""

from __future__ import annotations

from datetime import timedelta
from html import unescape
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from socialdesk.notifications.models import Delivery, Preference, Webhook
from socialdesk.notifications.notify import notify
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import T0, logged_in


@pytest.fixture
def admin(workspace: Any) -> User:
    user = create_user("adam", "admin passphrase here")
    add_member(workspace, user, Role.ADMIN)
    return user


def test_the_centre_lists_counts_and_marks_read(workspace: Any, lead: User, agent: User) -> None:
    notify(workspace, "spike", "40 posts about roaming", at=T0)
    notify(workspace, "incident_opened", "Incident opened: Madrid", link="/incidents/9/", at=T0)
    client = logged_in(lead)
    page = client.get("/notifications/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "40 posts about roaming" in html and "Incident opened: Madrid" in html
    assert 'aria-label="2 unread"' in html  # the header's count
    badge = client.get("/notifications/badge/")
    assert badge.status_code == 200 and 'aria-label="2 unread"' in badge.content.decode()
    newest = Delivery.objects.filter(user=lead).order_by("-pk")[0]
    # Opening one marks it read and goes where it points
    opened = client.post(f"/notifications/{newest.pk}/open/")
    assert (opened.status_code, opened["Location"]) == (302, "/incidents/9/")
    assert 'aria-label="1 unread"' in client.get("/notifications/badge/").content.decode()
    assert "Incident opened: Madrid" not in client.get("/notifications/?unread=1").content.decode()
    done = client.post("/notifications/read-all/")
    assert done.status_code == 302
    assert "unread" not in client.get("/notifications/badge/").content.decode()
    # alice (an agent) got neither; lena's notification is not hers to mark
    other = logged_in(agent).post(f"/notifications/{newest.pk}/read/", {"read": "0"})
    assert other.status_code == 404
    assert Delivery.objects.get(pk=newest.pk).read_at is not None
    # Signed out: the badge keeps quiet instead of swapping a login page into the header
    assert Client().get("/notifications/badge/").status_code == 204


def test_preferences_are_saved_per_workspace_and_bad_input_is_told(
    workspace: Any, other_workspace: Any, lead: User
) -> None:
    client = logged_in(lead)
    assert client.get("/notifications/preferences/").status_code == 200
    saved = client.post(
        "/notifications/preferences/",
        {"workspace": workspace.pk, "in_app_spike": "on", "email_sla_warning": "on"},
    )
    assert saved.status_code == 200 and "your choices are saved" in saved.content.decode()
    stored = {p.kind: (p.in_app, p.email) for p in Preference.objects.filter(user=lead)}
    assert stored["spike"] == (True, False)
    assert stored["sla_warning"] == (False, True)
    assert stored["incident_opened"] == (False, False)
    missing = client.post("/notifications/preferences/", {"workspace": "x"})
    assert missing.status_code == 422
    assert "say which workspace these choices are for" in missing.content.decode()
    # Another brand's workspace is not found
    assert client.post("/notifications/preferences/", {"workspace": other_workspace.pk}).status_code == 404
    reset = client.post("/notifications/preferences/", {"workspace": workspace.pk, "reset": "1"})
    assert reset.status_code == 200 and not Preference.objects.filter(user=lead).exists()


def test_admins_add_webhooks_others_are_refused(workspace: Any, admin: User, agent: User) -> None:
    client = logged_in(admin)
    assert client.get("/notifications/webhooks/").status_code == 200
    added = client.post(
        "/notifications/webhooks/",
        {
            "workspace": workspace.pk,
            "name": "Slack",
            "url": "https://hooks.slack.com/services/T/B/c",
            "kinds": ["spike"],
        },
    )
    webhook = Webhook.objects.get()
    assert added.status_code == 200
    assert f'<code id="new-secret">{webhook.target["secret"]}</code>' in added.content.decode()
    assert (webhook.name, webhook.kinds, webhook.active) == ("Slack", ["spike"], True)
    assert webhook.target["secret"] not in client.get("/notifications/webhooks/").content.decode()
    bad = client.post("/notifications/webhooks/", {"workspace": workspace.pk, "name": "X", "url": "ftp://x"})
    assert bad.status_code == 422
    assert "the webhook URL must be an http:// or https:// address" in bad.content.decode()
    assert client.post(f"/notifications/webhooks/{webhook.pk}/toggle/", {"active": "0"}).status_code == 302
    assert Webhook.objects.get().active is False
    # An agent is neither a lead nor an admin: refused, and nothing changed
    as_agent = logged_in(agent)
    refused = as_agent.post(f"/notifications/webhooks/{webhook.pk}/remove/")
    assert refused.status_code == 403
    assert "only the workspace's leads and admins manage its webhooks" in unescape(refused.content.decode())
    assert (
        as_agent.post(
            "/notifications/webhooks/", {"workspace": workspace.pk, "name": "X", "url": "https://x.test"}
        ).status_code
        == 404
    )
    assert Webhook.objects.count() == 1
    assert client.post(f"/notifications/webhooks/{webhook.pk}/remove/").status_code == 302
    assert Webhook.objects.count() == 0


def test_the_api_lists_marks_read_and_sets_preferences(workspace: Any, lead: User, agent: User) -> None:
    notify(workspace, "spike", "40 posts about roaming", at=T0)
    client = logged_in(lead)
    listed = client.get("/api/notifications")
    assert listed.status_code == 200
    delivery = Delivery.objects.get(user=lead)
    assert listed.json() == {
        "unread": 1,
        "items": [
            {
                "id": delivery.pk,
                "workspace": "acme",
                "kind": "spike",
                "text": "40 posts about roaming",
                "link": "",
                "conversation_id": None,
                "incident_id": None,
                "created_at": "2026-11-20T09:00:00+00:00",
                "read_at": None,
            }
        ],
    }
    unread = client.post(f"/api/notifications/{delivery.pk}/unread")
    assert unread.status_code == 200 and unread.json()["read_at"] is None
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        read = client.post(f"/api/notifications/{delivery.pk}/read")
    assert (read.status_code, read.json()["read_at"]) == (200, "2026-11-20T10:00:00+00:00")
    assert client.get("/api/notifications?unread=true").json() == {"unread": 0, "items": []}
    assert logged_in(agent).post(f"/api/notifications/{delivery.pk}/read").status_code == 404
    assert client.post("/api/notifications/read-all").json() == {"marked": 0}
    put = client.put(
        "/api/notifications/preferences",
        {"workspace": "acme", "kind": "sla_warning", "in_app": True, "email": True},
        content_type="application/json",
    )
    assert put.json() == {
        "workspace": "acme",
        "kind": "sla_warning",
        "label": "Response target about to be missed",
        "in_app": True,
        "email": True,
        "chosen": True,
    }
    choices = client.get("/api/notifications/preferences?workspace=acme").json()
    assert [(c["kind"], c["in_app"], c["email"], c["chosen"]) for c in choices] == [
        ("legal_escalation", False, False, False),
        ("escalation", True, False, False),
        ("approval_waiting", True, False, False),
        ("sla_warning", True, True, True),
        ("sla_breach", True, True, False),
        ("incident_opened", True, True, False),
        ("spike", True, True, False),
    ]
    bad = client.put(
        "/api/notifications/preferences",
        {"workspace": "acme", "kind": "sale", "in_app": True, "email": True},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["detail"].startswith("unknown notification kind 'sale'")
    elsewhere = client.put(
        "/api/notifications/preferences",
        {"workspace": "globex", "kind": "spike", "in_app": True, "email": True},
        content_type="application/json",
    )
    assert elsewhere.status_code == 404
