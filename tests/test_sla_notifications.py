"""SLA notifications are about now: a target missed long before the timer job first sees it (a replayed
day, a desk back after a stop) is not announced, and breaches are told in one notification per
workspace and target per 15 minutes, linking to the inbox of breached conversations."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User

from socialdesk.conversations.models import Alert, Conversation, Message
from socialdesk.ingest.actions import receive_event
from socialdesk.notifications.models import Delivery, Notification
from socialdesk.policy.actions import save_policy
from socialdesk.policy.timers import policy_tick
from tests.helpers import logged_in, post

TELECOM = (Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml").read_text(
    encoding="utf-8"
)
MADRID = ZoneInfo("Europe/Madrid")


@pytest.fixture
def questions(workspace: Any, lead: User, x_channel: Any) -> list[tuple[int, datetime]]:
    """Three unanswered questions, (conversation id, first-response due) by due time."""
    save_policy(workspace, TELECOM)
    for i, minutes in enumerate((0, 2, 4)):
        receive_event(
            x_channel,
            f"q{i}",
            post(f"q{i}", "@NimbusMobile how do I activate roaming?", author=f"u{i}", minutes=minutes),
        )
    rows = Conversation.objects.filter(messages__network_message_id__in=["q0", "q1", "q2"])
    found = sorted((c.first_response_due_at, c.pk) for c in rows if c.first_response_due_at)
    assert len(found) == 3
    return [(pk, due) for due, pk in found]


def _sla_notifications() -> list[tuple[str, str, int | None, datetime]]:
    rows = Notification.objects.filter(kind__in=["sla_warning", "sla_breach"]).order_by("pk")
    return list(rows.values_list("kind", "text", "conversation_id", "created_at"))


def test_targets_missed_over_an_hour_before_the_job_runs_are_not_announced(
    questions: list[tuple[int, datetime]],
) -> None:
    last_due = questions[-1][1]
    # The job first runs an hour and a second after the last target passed (the seeded history)
    result = policy_tick(last_due + timedelta(hours=1, seconds=1))
    assert (result["sla_warnings"], result["sla_breaches"]) == (3, 0)
    assert _sla_notifications() == []
    # The conversations still carry their warning, and the inbox still shows them as breached
    assert Alert.objects.filter(kind="sla_warning").count() == 3
    # Within the hour it is still "now": the last one is told (the other two passed over an hour ago)
    Conversation.objects.update(sla_warned_at=None)
    Alert.objects.all().delete()
    seen_at = last_due + timedelta(minutes=59)
    assert policy_tick(seen_at) == {
        "acknowledgments": 0,
        "still_working": 0,
        "csat": 0,
        "sla_warnings": 3,
        "sla_breaches": 1,
    }
    pk = questions[-1][0]
    local = last_due.astimezone(MADRID)
    assert _sla_notifications() == [
        ("sla_warning", f"Conversation #{pk}: first response due {local:%Y-%m-%d %H:%M %Z}", pk, seen_at),
        (
            "sla_breach",
            f"Conversation #{pk}: first response target missed (due {local:%Y-%m-%d %H:%M %Z})",
            pk,
            seen_at,
        ),
    ]


def test_breaches_are_told_together_at_most_every_15_minutes(
    workspace: Any, questions: list[tuple[int, datetime]], lead: User, agent: User
) -> None:
    (a, due_a), (b, due_b), (c, due_c) = questions
    assert due_b - due_a < timedelta(minutes=15) and due_c - due_a < timedelta(minutes=15)
    Notification.objects.all().delete()  # the acknowledgments' and routing's own, if any
    # The first breach is told at once, about its conversation
    assert policy_tick(due_a)["sla_breaches"] == 1
    local = due_a.astimezone(MADRID)
    first = Notification.objects.get(kind="sla_breach")
    assert (first.text, first.conversation_id, first.link, first.created_at) == (
        f"Conversation #{a}: first response target missed (due {local:%Y-%m-%d %H:%M %Z})",
        a,
        f"/c/{a}/",
        due_a,
    )
    # The next two within 15 minutes wait
    assert policy_tick(due_b)["sla_breaches"] == 0
    assert policy_tick(due_c)["sla_breaches"] == 0
    assert policy_tick(due_a + timedelta(minutes=14, seconds=59))["sla_breaches"] == 0
    # Then one notification names both, and links to the breached conversations in the inbox
    digest_at = due_a + timedelta(minutes=15)
    assert policy_tick(digest_at)["sla_breaches"] == 2
    digest = Notification.objects.filter(kind="sla_breach").order_by("pk").last()
    assert digest is not None
    assert (digest.text, digest.conversation_id, digest.link, digest.created_at) == (
        f"2 conversations breached their first-response target "
        f"(due {due_b.astimezone(MADRID):%H:%M} to {due_c.astimezone(MADRID):%H:%M %Z})",
        None,
        "/?workspace=acme&sla=breached",
        digest_at,
    )
    # The leads hear of it (nobody is assigned); nothing more is told later
    told = Delivery.objects.filter(notification=digest, medium="in_app").values_list(
        "user__username", flat=True
    )
    assert sorted(told) == ["lena"]
    assert policy_tick(digest_at + timedelta(minutes=30))["sla_breaches"] == 0
    assert Notification.objects.filter(kind="sla_breach").count() == 2
    # The link shows each of those conversations
    client = logged_in(lead)
    with time_machine.travel(digest_at, tick=False):
        page = client.get(digest.link).content.decode()
    for pk in (a, b, c):
        assert f'href="/c/{pk}/' in page


def test_a_conversation_answered_before_the_digest_is_not_counted(
    questions: list[tuple[int, datetime]], agent: User
) -> None:
    (_, due_a), (b, _), (c, _) = questions
    policy_tick(due_a)
    Conversation.objects.filter(pk=b).update(status="resolved")
    assert policy_tick(due_a + timedelta(minutes=15))["sla_breaches"] == 1
    last = Notification.objects.filter(kind="sla_breach").order_by("pk").last()
    assert last is not None and (last.conversation_id, last.text.split(":")[0]) == (c, f"Conversation #{c}")
    assert Message.objects.filter(direction="out", automatic=False).count() == 0
