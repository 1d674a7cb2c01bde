"""The inbox's bulk bar through Django's test client: the form's fields reach the bulk action, the
inbox comes back with its filters and what happened; bad input is a page with the reason, never a 500."""

import re
from typing import Any

import pytest

from socialdesk.conversations.models import Activity, Conversation, Message
from socialdesk.incidents.models import Incident, IncidentStatus
from tests.helpers import T0


def _shown(html: str) -> list[str]:
    section = re.search(r'<section id="bulk-result".*?</section>', html, re.S)
    return re.findall(r"<p[^>]*>(.*?)</p>", section.group(0)) if section else []


def test_the_bar_offers_every_saved_reply_and_open_incident_of_the_users_brands(
    bulk_desk: dict[str, Any], workspace: Any
) -> None:
    mine = Incident.objects.create(
        workspace=workspace, title="Porto outage", category="line_problem", opened_at=T0
    )
    Incident.objects.create(
        workspace=workspace, title="Old", category="x", opened_at=T0, status=IncidentStatus.RESOLVED
    )
    Incident.objects.create(
        workspace=bulk_desk["globex"], title="Globex cards", category="cards", opened_at=T0
    )
    html = bulk_desk["client"].get("/").content.decode()
    bar = re.search(r'<form id="bulk".*?</form>', html, re.S)
    assert bar is not None
    replies = re.search(r'<select name="reply">(.*?)</select>', bar.group(0), re.S)
    assert replies is not None
    assert re.findall(r"<option[^>]*>(.*?)</option>", replies.group(1)) == [
        "choose…",
        "Ask to DM",
        "Known outage",
        "Move billing to private",
        "eSIM steps",
    ]
    incidents = re.search(r'<select name="link">(.*?)</select>', bar.group(0), re.S)
    assert incidents is not None
    assert re.findall(r"<option[^>]*>(.*?)</option>", incidents.group(1)) == [
        "choose…",
        f"#{mine.pk} Porto outage",
    ]


def test_tags_the_selection_and_returns_to_the_same_inbox(bulk_desk: dict[str, Any]) -> None:
    client, a, b, z = bulk_desk["client"], bulk_desk["a"], bulk_desk["b"], bulk_desk["z"]
    response = client.post(
        "/inbox/bulk/",
        {"ids": [a, b, z], "verb": "tag", "tag": "porto", "query": "status=live&sort=recent&page=1"},
    )
    assert (response.status_code, response["Location"]) == (302, "/?status=live&sort=recent&page=1")
    page = client.get(response["Location"]).content.decode()
    assert _shown(page) == ["2 tagged “porto”, 1 failed", f"#{z}: not found"]
    assert list(
        Conversation.objects.filter(tags__name="porto").order_by("pk").values_list("pk", flat=True)
    ) == [a, b]
    # Shown once: the next page has no message left.
    assert _shown(client.get("/").content.decode()) == []


def test_the_resolve_button_carries_its_status(bulk_desk: dict[str, Any]) -> None:
    client, a = bulk_desk["client"], bulk_desk["a"]
    response = client.post("/inbox/bulk/", {"ids": [a], "verb": "status:resolved", "status": ""})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert _shown(client.get("/").content.decode()) == ["1 resolved"]
    assert Conversation.objects.get(pk=a).status == "resolved"


def test_a_bulk_reply_shows_what_it_skipped_and_why(bulk_desk: dict[str, Any]) -> None:
    client, a, b = bulk_desk["client"], bulk_desk["a"], bulk_desk["b"]
    client.post("/inbox/bulk/", {"ids": [a], "verb": "reply", "reply": "Ask to DM"})
    client.get("/")  # the first action's report is read
    response = client.post("/inbox/bulk/", {"ids": [a, b], "verb": "reply", "reply": "Ask to DM"})
    assert _shown(client.get(response["Location"]).content.decode()) == [
        "1 replied with “Ask to DM”, 1 skipped",
        f"#{a} skipped: already answered by alice since the customer&#x27;s last message (sent)",
    ]
    assert Message.objects.filter(conversation_id=a, direction="out", automatic=False).count() == 1


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ({"verb": "status:resolved"}, "select at least one conversation"),
        (
            {"ids": ["1", "x"], "verb": "status:resolved"},
            "the selection holds something that is not a conversation number",
        ),
        ({"ids": ["1"], "verb": "status", "status": ""}, "choose a status"),
        ({"ids": ["1"], "verb": "<script>"}, "&#x27;&lt;script&gt;&#x27; is not a bulk action"),
    ],
)
def test_bad_input_shows_the_inbox_with_the_reason(
    bulk_desk: dict[str, Any], form: dict[str, Any], reason: str
) -> None:
    response = bulk_desk["client"].post("/inbox/bulk/", form)
    assert response.status_code == 422
    assert reason in response.content.decode()
    assert not Activity.objects.exists()


def test_the_return_address_stays_in_the_inbox(bulk_desk: dict[str, Any]) -> None:
    response = bulk_desk["client"].post(
        "/inbox/bulk/",
        {"ids": [bulk_desk["a"]], "verb": "unlink", "query": "//evil.example/?x=1\r\nSet-Cookie: a=b"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/?")
    assert "\n" not in response["Location"]
