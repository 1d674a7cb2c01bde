"""What a new desk shows on its first start: words that agree with each other and name things right,
a hint for someone in no workspace, and a members page for a workspace's admins."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.test import Client

from socialdesk.channels.models import SandboxDelivery, WebhookDelivery
from socialdesk.conversations.models import Activity
from socialdesk.web.inbox_views import _shown_total
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role

PASSWORD = "correct horse battery staple"


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_channel_forms_name_the_network_with_its_article(workspace: Any) -> None:
    add_member(workspace, create_user("ada", PASSWORD), Role.ADMIN)
    page = _client("ada").get("/channels/").content.decode()
    assert "Connect an X account" in page
    assert "Connect a Facebook account" in page
    assert "Connect an Instagram account" in page
    assert "Connect an Email account" in page
    assert "Connect a x account" not in page


def test_capped_total_never_falls_below_the_live_count() -> None:
    tallies = {"new": 1000, "open": 300, "pending": 52, "live": 1352}
    assert _shown_total(1001, "", tallies) == "1,352+"
    assert _shown_total(1001, "", {**tallies, "live": 10}) == "1,000+"
    assert _shown_total(1352, "live", tallies) == "1,352"
    assert _shown_total(1001, "resolved", tallies) == "1,000+"
    assert _shown_total(12, "", tallies) == "12"


def test_admin_names_plurals_in_english() -> None:
    assert str(SandboxDelivery._meta.verbose_name_plural) == "sandbox deliveries"
    assert str(WebhookDelivery._meta.verbose_name_plural) == "webhook deliveries"
    assert str(Activity._meta.verbose_name_plural) == "activities"
    plurals = [str(m._meta.verbose_name_plural) for m in admin.site._registry]
    assert not [p for p in plurals if p.endswith("ys") and not p.endswith(("ays", "eys", "oys"))]
