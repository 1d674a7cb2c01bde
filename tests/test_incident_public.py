"""An incident's public status: the only incident values a template may send to customers. Its title
is the desk's internal name and never fills a saved reply."""

from typing import Any

import pytest
from django.test import Client

from socialdesk.conversations.models import Conversation
from socialdesk.errors import DeskError
from socialdesk.incidents.actions import publish_incident_status
from socialdesk.incidents.models import Incident
from socialdesk.ingest.actions import receive_event
from socialdesk.policy.actions import active_policy
from socialdesk.policy.templates import saved_replies
from tests.helpers import T0, post

TITLE = "Many negative posts about Line problem"


@pytest.fixture
def outage(telecom_policy: Any, x_channel: Any) -> Conversation:
    receive_event(x_channel, "1", post("a", "@NimbusMobile no signal in Madrid since this morning"))
    incident = Incident.objects.create(workspace=x_channel.workspace, title=TITLE, opened_at=T0)
    Conversation.objects.update(incident=incident, category="line_problem")
    return Conversation.objects.select_related("incident", "contact").get()


def test_the_known_outage_reply_says_the_public_text_never_the_title(
    outage: Conversation, agent: Any, lead: Any
) -> None:
    assert outage.incident is not None
    publish_incident_status(
        outage.incident, lead, "Mobile data is down in central Madrid.", "https://status.nimbus.example/42"
    )
    policy = active_policy(outage.workspace_id)
    assert policy is not None
    filled = {str(s["name"]): str(s["text"]) for s in saved_replies(policy, outage, agent)}
    assert filled["Known outage"] == (
        "Name, there is an outage in your area; we're fixing it and posting updates here: "
        "Mobile data is down in central Madrid. https://status.nimbus.example/42 ^AL"
    )
    assert TITLE not in " ".join(filled.values())


def test_only_leads_write_the_public_status_and_links_are_https(
    outage: Conversation, agent: Any, lead: Any
) -> None:
    incident = outage.incident
    assert incident is not None
    with pytest.raises(DeskError, match="only leads and admins write an incident's public status"):
        publish_incident_status(incident, agent, "leak", "")
    with pytest.raises(DeskError, match="the public link must start with https://"):
        publish_incident_status(incident, lead, "Down", "javascript:alert(1)")
    assert Incident.objects.values_list("public_text", "public_url").get() == ("", "")


def test_a_lead_publishes_it_from_the_incident_page_and_the_api(outage: Conversation, lead: Any) -> None:
    incident = outage.incident
    assert incident is not None
    client = Client()
    assert client.login(username="lena", password="lead passphrase here")
    response = client.post(
        f"/incidents/{incident.pk}/public/",
        {"public_text": "Calls fail in Madrid.", "public_url": "https://status.nimbus.example/7"},
    )
    assert response.status_code == 302
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "Calls fail in Madrid." in page
    assert "opened 2026-11-20 10:00 CET" in page  # the workspace's clock
    api = client.post(
        f"/api/incidents/{incident.pk}/public",
        {"public_text": "Fixed at 12:00."},
        content_type="application/json",
    ).json()
    assert (api["public_text"], api["public_url"], api["opened_at"]) == (
        "Fixed at 12:00.",
        "",
        "2026-11-20T10:00:00+01:00",
    )
