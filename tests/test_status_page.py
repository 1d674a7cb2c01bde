"""The public status page: no login, open and recent incidents with their bulletins and updates in
order, the public policy, nothing internal, and cacheable (Cache-Control, ETag, 304)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.incidents.actions import resolve_incident
from socialdesk.incidents.bulletins import publish_bulletin
from socialdesk.incidents.models import Incident
from tests.bulletin_setup import BULLETIN, INTERNAL_TITLE, bulletin_policy, incident, linked_conversation
from tests.helpers import T0

NOW = T0 + timedelta(minutes=30)
CUSTOMER_TEXT = "no data at all in Madrid since this morning"


@pytest.fixture
def published(workspace: Any, lead: Any) -> Incident:
    bulletin_policy(workspace)
    channel = sandbox_channel(workspace, "x", ("brand", "@NimbusMobile"))
    outage = incident(workspace)
    linked_conversation(channel, outage, 1, network_id="p1", text=CUSTOMER_TEXT)
    with time_machine.travel(NOW, tick=False):
        publish_bulletin(lead, outage, "en", BULLETIN, NOW)
        publish_bulletin(lead, outage, "en", "Update: half the cells are back.", NOW + timedelta(minutes=40))
    return outage


def test_the_page_shows_bulletins_in_order_and_nothing_internal(published: Incident) -> None:
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        response = Client().get("/status/acme/")
    assert response.status_code == 200
    page = response.content.decode()
    link = f"http://localhost:8000/status/acme/#incident-{published.pk}"
    first = page.index(
        f"Mobile data is down in central Madrid since 08:40. Engineers are on it. Updates: {link}"
    )
    assert first < page.index("Update: half the cells are back.")
    assert f'id="incident-{published.pk}"' in page
    assert "Ongoing" in page
    assert "Nimbus Mobile on social media" in page  # the public policy document
    for internal in (
        INTERNAL_TITLE,
        "NET-8812",
        "line_problem",
        "Line problem",
        CUSTOMER_TEXT,
        "lena",
        "Customer 1",
    ):
        assert internal not in page, internal
    assert "(internal)" not in page


def test_it_needs_no_login_and_is_cacheable(published: Incident) -> None:
    client = Client()
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        response = client.get("/status/acme/")
        assert response["Cache-Control"] == "public, max-age=60"
        etag = response["ETag"]
        again = client.get("/status/acme/", HTTP_IF_NONE_MATCH=etag)
        assert (again.status_code, again.content) == (304, b"")
        assert client.head("/status/acme/").status_code == 200
        assert client.post("/status/acme/").status_code == 405
        assert client.get("/status/nobody/").status_code == 404


def test_a_new_update_or_the_end_changes_the_etag(published: Incident, lead: Any) -> None:
    client = Client()
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        etag = client.get("/status/acme/")["ETag"]
        publish_bulletin(lead, published, "en", "Update: all cells are back.", NOW + timedelta(hours=1))
        newer = client.get("/status/acme/", HTTP_IF_NONE_MATCH=etag)
        assert newer.status_code == 200
        resolve_incident(published, NOW + timedelta(hours=1), actor=lead)
        page = client.get("/status/acme/", HTTP_IF_NONE_MATCH=newer["ETag"])
        assert page.status_code == 200
        assert "Resolved" in page.content.decode()
    # Two weeks after the end it leaves the page
    with time_machine.travel(NOW + timedelta(days=15), tick=False):
        assert (
            "No incidents: everything is working as it should."
            in client.get("/status/acme/").content.decode()
        )


def test_another_workspace_shows_only_its_own(published: Incident, other_workspace: Any) -> None:
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        page = Client().get("/status/globex/").content.decode()
    assert "Mobile data is down" not in page
    assert "No incidents" in page


def test_an_incident_without_a_bulletin_is_not_on_the_page(workspace: Any) -> None:
    bulletin_policy(workspace)
    incident(workspace)
    with time_machine.travel(NOW, tick=False):
        page = Client().get("/status/acme/").content.decode()
    assert "No incidents: everything is working as it should." in page
