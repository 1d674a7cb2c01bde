"""Linking one conversation to an incident, or taking it out, from the conversation page: the verb the
bulk bar repeats. The incident's count follows; another brand's incident is not found."""

from typing import Any

from django.test import Client

from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.conversations.models import Activity, Conversation, Message
from socialdesk.incidents.models import Incident, IncidentStatus
from socialdesk.ingest.actions import receive_event
from tests.helpers import T0, post


def test_link_and_unlink_from_the_conversation_page(
    workspace: Any, other_workspace: Any, x_channel: Any, agent: Any
) -> None:
    receive_event(x_channel, "1", post("a", "@NimbusMobile no signal in Porto", author="u1"))
    receive_event(sandbox_channel(other_workspace, "x"), "1", post("z", "@GlobexBank card declined"))
    pk = Message.objects.get(network_message_id="a").conversation_id
    outage = Incident.objects.create(workspace=workspace, title="Porto outage", category="line", opened_at=T0)
    Incident.objects.create(
        workspace=workspace, title="Over", category="old", opened_at=T0, status=IncidentStatus.RESOLVED
    )
    theirs = Incident.objects.create(workspace=other_workspace, title="Cards", category="cards", opened_at=T0)
    client = Client()
    assert client.login(username="alice", password="correct horse battery staple")

    page = client.get(f"/c/{pk}/").content.decode()
    # Only the brand's open incidents are offered.
    assert f'<option value="{outage.pk}">#{outage.pk} Porto outage</option></select>' in page
    assert "Over" not in page and "Cards" not in page

    assert client.post(f"/c/{pk}/link/", {"value": str(theirs.pk)}).status_code == 404
    assert client.post(f"/c/{pk}/link/", {"value": "not a number"}).status_code == 404
    assert Conversation.objects.get(pk=pk).incident_id is None

    assert client.post(f"/c/{pk}/link/", {"value": str(outage.pk)}).status_code == 302
    assert (
        Conversation.objects.get(pk=pk).incident_id,
        Incident.objects.get(pk=outage.pk).conversation_count,
    ) == (
        outage.pk,
        1,
    )
    assert f"Unlink from incident #{outage.pk}" in client.get(f"/c/{pk}/").content.decode()
    assert client.post(f"/c/{pk}/unlink/").status_code == 302
    assert (
        Conversation.objects.get(pk=pk).incident_id,
        Incident.objects.get(pk=outage.pk).conversation_count,
    ) == (
        None,
        0,
    )
    assert list(Activity.objects.order_by("pk").values_list("action", "detail")) == [
        ("linked", f"incident #{outage.pk}"),
        ("unlinked", f"incident #{outage.pk}"),
    ]
