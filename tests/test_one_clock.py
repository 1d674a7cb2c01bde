"""One clock on screen: in a workspace on Madrid time every page and the API show the same times on
that clock, labelled; the SLA chip is read from the current due times, so it never says "about to be
missed" after the target was missed or met."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from socialdesk.conversations.models import Alert, Conversation
from socialdesk.ingest.actions import receive_event
from socialdesk.policy.timers import warn_before_breach
from tests.helpers import T0, post

QUESTION = "@NimbusMobile my calls keep dropping at home"


@pytest.fixture
def alice(agent: Any) -> Client:
    client = Client()
    assert client.login(username="alice", password="correct horse battery staple")
    return client


def _conversation(x_channel: Any) -> Conversation:
    # Friday 2026-11-20 09:00 UTC is 10:00 in Madrid (CET, UTC+1); the telecom policy answers a
    # question within 30 minutes of opening time: due 10:30 Madrid.
    receive_event(x_channel, "1", post("a", QUESTION))
    return Conversation.objects.get()


def test_times_on_the_conversation_page_agree_on_the_workspace_clock(
    telecom_policy: Any, x_channel: Any, alice: Client
) -> None:
    conversation = _conversation(x_channel)
    assert conversation.first_response_due_at == T0 + timedelta(minutes=30)
    with time_machine.travel(T0 + timedelta(minutes=15), tick=False):
        assert warn_before_breach() == 1
        page = alice.get(f"/c/{conversation.pk}/").content.decode()
    # The alert is written on the same clock, labelled with the zone.
    assert list(Alert.objects.values_list("text", flat=True)) == ["first response due 2026-11-20 10:30 CET"]
    assert "Times in Europe/Madrid" in page
    assert '<time class="due" datetime="2026-11-20T10:30:00+01:00">2026-11-20 10:30 CET</time>' in page
    assert "· mention · 2026-11-20 10:00 CET" in page  # when the customer wrote
    assert 'data-sla="due_soon">First response due 10:30 CET: about to be missed</p>' in page
    assert "09:30" not in page  # the UTC time appears nowhere


def test_the_chip_says_missed_after_the_breach_and_nothing_after_the_reply(
    telecom_policy: Any, x_channel: Any, alice: Client
) -> None:
    conversation = _conversation(x_channel)
    with time_machine.travel(T0 + timedelta(minutes=15), tick=False):
        warn_before_breach()
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        late = alice.get(f"/c/{conversation.pk}/").content.decode()
        inbox = alice.get("/").content.decode()
        assert alice.post(f"/c/{conversation.pk}/reply/", {"text": "Checking now ^AL"}).status_code == 302
        answered = alice.get(f"/c/{conversation.pk}/").content.decode()
    assert "about to be missed" not in late
    assert 'data-sla="missed">First response target missed: it was due 2026-11-20 10:30 CET</p>' in late
    assert '2026-11-20T10:30:00+01:00">10:30 CET</time> <span class="chip bad">missed</span>' in inbox
    assert "data-sla" not in answered
    assert "about to be missed" not in answered
    assert "First response 2026-11-20 13:00 CET" in answered  # 12:00 UTC


def test_the_api_says_every_time_with_the_workspace_offset(
    telecom_policy: Any, x_channel: Any, alice: Client
) -> None:
    conversation = _conversation(x_channel)
    detail = alice.get(f"/api/conversations/{conversation.pk}").json()
    assert detail["first_response_due_at"] == "2026-11-20T10:30:00+01:00"
    assert detail["last_message_at"] == "2026-11-20T10:00:00+01:00"
    assert detail["messages"][0]["sent_at"] == "2026-11-20T10:00:00+01:00"
    listed = alice.get("/api/conversations").json()["items"]
    assert [c["first_response_due_at"] for c in listed] == ["2026-11-20T10:30:00+01:00"]


def test_a_workspace_without_a_policy_runs_on_utc(x_channel: Any, alice: Client) -> None:
    receive_event(x_channel, "1", post("a", QUESTION))
    conversation = Conversation.objects.get()
    page = alice.get(f"/c/{conversation.pk}/").content.decode()
    assert "Times in UTC" in page
    assert "· mention · 2026-11-20 09:00 UTC" in page
    detail = alice.get(f"/api/conversations/{conversation.pk}").json()
    assert detail["messages"][0]["sent_at"] == "2026-11-20T09:00:00+00:00"
