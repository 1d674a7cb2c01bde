"""The policy's retention limits, applied by the `retention-sweep` job on explicit dates: raw payloads
of done events deleted after `raw_payload_days` (never a pending or quarantined one), conversations
resolved or closed for `anonymise_closed_after_months` anonymised, in bounded batches, idempotent,
each run in the privacy audit log with its counts. The section is validated and rendered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User

from socialdesk.conversations.actions import set_status
from socialdesk.conversations.models import Contact, ContactHandle, Conversation, Message
from socialdesk.ingest.actions import receive_event
from socialdesk.ingest.models import EventStatus, RawEvent
from socialdesk.jobs import job_named
from socialdesk.policy.loader import PolicyError, load_policy
from socialdesk.policy.render import render_internal
from socialdesk.privacy import retention
from socialdesk.privacy.models import AuditEntry
from socialdesk.privacy.retention import months_before, retention_sweep
from socialdesk.reports.models import Fact
from tests.helpers import T0, post
from tests.test_policy_file import TELECOM

RESOLVED = "@NimbusMobile bill for 612 345 678 is wrong"
OPEN = "@NimbusMobile no signal in Porto"


@pytest.fixture
def history(telecom_policy: Any, x_channel: Any, agent: User) -> dict[str, Any]:
    """At T0: u1's conversation (resolved an hour later) and u2's (left open), both processed; one
    event still pending and one quarantined, received at T0 too."""
    with time_machine.travel(T0, tick=False):
        receive_event(x_channel, "e1", post("a", RESOLVED, author="u1"))
        receive_event(x_channel, "e2", post("b", OPEN, author="u2"))
    resolved = Conversation.objects.get(messages__network_message_id="a")
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        set_status(resolved, "resolved", agent)
    for event_id, status in (("p1", EventStatus.PENDING), ("q1", EventStatus.QUARANTINED)):
        RawEvent.objects.create(
            channel=x_channel,
            event_id=event_id,
            payload=post(event_id, "wait"),
            received_at=T0,
            status=status,
        )
    return {"resolved": resolved, "open": Conversation.objects.get(messages__network_message_id="b")}


def _payloads() -> dict[str, bool]:
    return {e: bool(p) for e, p in RawEvent.objects.order_by("event_id").values_list("event_id", "payload")}


def test_raw_payloads_go_after_30_days_never_while_pending_or_quarantined(history: dict[str, Any]) -> None:
    assert retention_sweep(T0 + timedelta(days=30) - timedelta(minutes=1)) == {
        "acme": {"raw_payloads": 0, "conversations": 0, "messages": 0, "notes": 0, "contacts": 0}
    }
    assert _payloads() == {"e1": True, "e2": True, "p1": True, "q1": True}
    late = T0 + timedelta(days=30, minutes=1)
    assert retention_sweep(late) == {
        "acme": {"raw_payloads": 2, "conversations": 0, "messages": 0, "notes": 0, "contacts": 0}
    }
    assert _payloads() == {"e1": False, "e2": False, "p1": True, "q1": True}
    assert list(
        RawEvent.objects.filter(payload_erased_at=late)
        .order_by("event_id")
        .values_list("event_id", flat=True)
    ) == [
        "e1",
        "e2",
    ]
    # Again: nothing more to do, and the run is still recorded.
    assert retention_sweep(late)["acme"]["raw_payloads"] == 0
    assert list(
        AuditEntry.objects.order_by("pk").values_list("action", "actor_name", "created_at", "counts")
    ) == [
        (
            "retention",
            "retention job",
            T0 + timedelta(days=30) - timedelta(minutes=1),
            {"raw_payloads": 0, "conversations": 0, "messages": 0, "notes": 0, "contacts": 0},
        ),
        (
            "retention",
            "retention job",
            late,
            {"raw_payloads": 2, "conversations": 0, "messages": 0, "notes": 0, "contacts": 0},
        ),
        (
            "retention",
            "retention job",
            late,
            {"raw_payloads": 0, "conversations": 0, "messages": 0, "notes": 0, "contacts": 0},
        ),
    ]
    # The messages themselves are untouched by payload retention.
    assert sorted(Message.objects.values_list("text", flat=True)) == sorted([RESOLVED, OPEN])


def test_batches_are_bounded_and_the_backlog_drains_over_runs(
    history: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retention, "BATCH", 1)
    late = T0 + timedelta(days=31)
    assert [retention_sweep(late)["acme"]["raw_payloads"] for _ in range(3)] == [1, 1, 0]
    assert _payloads() == {"e1": False, "e2": False, "p1": True, "q1": True}


def test_resolved_conversations_are_anonymised_after_24_months(history: dict[str, Any]) -> None:
    resolved, still_open = history["resolved"], history["open"]
    facts = Fact.objects.count()
    # Its last message was at T0 (2026-11-20 09:00): 24 months later to the minute it is not yet due
    # (the payloads, 30 days old long since, go on that run).
    assert retention_sweep(datetime(2028, 11, 20, 9, 0, tzinfo=UTC)) == {
        "acme": {"raw_payloads": 2, "conversations": 0, "messages": 0, "notes": 0, "contacts": 0}
    }
    at = datetime(2028, 11, 20, 9, 1, tzinfo=UTC)
    assert retention_sweep(at) == {
        "acme": {"raw_payloads": 0, "conversations": 1, "messages": 1, "notes": 0, "contacts": 1}
    }
    resolved.refresh_from_db()
    assert (resolved.subject, resolved.status, resolved.anonymised_at) == ("[erased]", "closed", at)
    message = Message.objects.get(conversation=resolved)
    assert (message.text, message.author_handle, message.intent) == (
        "[erased]",
        f"erased-contact-{resolved.contact_id}",
        "complaint",
    )
    # u1 had nothing else: their name and handle go too; u2 keeps theirs (an open conversation).
    assert list(Contact.objects.order_by("pk").values_list("display_name", flat=True)) == [
        f"erased-contact-{resolved.contact_id}",
        "Name u2",
    ]
    assert list(ContactHandle.objects.values_list("network_user_id", flat=True)) == ["u2"]
    assert Message.objects.get(conversation=still_open).text == OPEN
    assert Fact.objects.count() == facts
    assert retention_sweep(at)["acme"]["conversations"] == 0  # idempotent


def test_the_job_is_listed_and_skips_workspaces_without_limits(workspace: Any) -> None:
    assert job_named("retention-sweep").run() == {}
    assert AuditEntry.objects.count() == 0


def test_months_are_calendar_months() -> None:
    assert months_before(datetime(2026, 3, 31, 12, tzinfo=UTC), 1) == datetime(2026, 2, 28, 12, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 24) == datetime(2024, 1, 15, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(2024, 12, 15, tzinfo=UTC)


def _issues(text: str) -> list[str]:
    with pytest.raises(PolicyError) as refused:
        load_policy(text, source="telecom.yaml")
    return [str(issue) for issue in refused.value.issues]


SECTION = "retention:\n  raw_payload_days: 30\n  anonymise_closed_after_months: 24\n"


def test_the_retention_section_is_validated_with_clear_errors() -> None:
    assert SECTION in TELECOM
    policy = load_policy(TELECOM)
    assert policy.retention is not None
    assert (policy.retention.raw_payload_days, policy.retention.anonymise_closed_after_months) == (30, 24)
    without = load_policy(TELECOM.replace(SECTION, ""))
    assert without.retention is None
    assert _issues(TELECOM.replace(SECTION, "retention:\n  raw_payload_days: 0\n  keep_forever: true\n")) == [
        "line 278, column 21: retention.raw_payload_days: Input should be greater than or equal to 1",
        "line 279, column 3: retention.keep_forever: unknown key (check the spelling; see "
        "`socialdesk policy schema`)",
    ]
    assert _issues(TELECOM.replace(SECTION, "retention: {}\n")) == [
        "line 277, column 12: retention: retention needs raw_payload_days and/or "
        "anonymise_closed_after_months (or leave it out)"
    ]


def test_the_policy_document_says_how_long_data_is_kept() -> None:
    text = render_internal(load_policy(TELECOM))
    section = text[text.index("## Personal data") : text.index("## Who gets what")]
    assert section == (
        "## Personal data\n\n"
        "- Raw deliveries: their payload is deleted 30 days after arrival (never while waiting to be "
        "processed or in quarantine).\n"
        "- Conversations resolved or closed with nothing new for 24 months are anonymised: texts and the "
        "customer's identity go; labels, times and report numbers stay.\n\n"
        "A contact's data is exported or erased on request by an admin (export: leads too), and each "
        "export, erasure and retention run is in the privacy audit log.\n\n"
    )
    without = render_internal(load_policy(TELECOM.replace(SECTION, "")))
    assert "No retention limits: raw deliveries and conversations are kept until erased." in without
