"""Bulletins, answering everyone and the end of an incident, on sandbox accounts standing in for X
and Mastodon: who may do it, the reply checker, the automatic-message gate, nobody answered twice,
the bulk resolve that leaves other questions open, and its undo."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine

from socialdesk.channels.models import Channel, SandboxDelivery
from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.conversations.models import Conversation, Message, Status
from socialdesk.errors import DeskError
from socialdesk.incidents.answers import answer_everyone, resolve_with_fixed_message, undo_bulk_resolution
from socialdesk.incidents.bulletins import draft_bulletin, publish_bulletin
from socialdesk.incidents.models import AnswerHow, Bulletin, IncidentAnswer, IncidentStatus
from socialdesk.outbox.actions import outbox_tick
from socialdesk.outbox.models import OutboxItem
from tests.bulletin_setup import BULLETIN, INTERNAL_TITLE, bulletin_policy, incident, linked_conversation
from tests.helpers import T0

NOW = T0 + timedelta(minutes=30)
POINTER = {"en": "Sorry, we know: data is down in central Madrid. Follow the fix here: {incident_link}"}
FIXED = {"en": "Data is back in central Madrid. Thanks for your patience! {incident_link}"}


@pytest.fixture
def desk(workspace: Any) -> dict[str, Channel]:
    bulletin_policy(workspace)
    return {
        "x": sandbox_channel(workspace, "x", ("brand", "@NimbusMobile")),
        "mastodon": sandbox_channel(workspace, "mastodon", ("brand", "@nimbus@social.example")),
    }


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_a_lead_publishes_a_bulletin_then_an_update_in_the_same_thread(
    workspace: Any, lead: Any, desk: dict[str, Channel], clock: Any
) -> None:
    outage = incident(workspace)
    first = publish_bulletin(lead, outage, "en", BULLETIN, NOW)
    update = publish_bulletin(lead, outage, "EN", "Update: most cells are back. {incident_link}", NOW)
    link = f"http://localhost:8000/status/acme/#incident-{outage.pk}"
    assert (first.kind, update.kind, update.language) == (Bulletin.Kind.BULLETIN, Bulletin.Kind.UPDATE, "en")
    sent = {d.text: d.in_reply_to for d in SandboxDelivery.objects.order_by("pk")}
    first_ids = {p.channel_id: p.network_id for p in first.posts.all()}
    assert first_ids == {
        desk["x"].pk: f"sbx-post-post-{first.posts.get(channel=desk['x']).pk}",
        desk["mastodon"].pk: f"sbx-post-post-{first.posts.get(channel=desk['mastodon']).pk}",
    }
    assert list(sent) == [BULLETIN.replace("{incident_link}", link), f"Update: most cells are back. {link}"]
    updates = SandboxDelivery.objects.filter(text__startswith="Update").order_by("channel_id")
    assert [(d.channel_id, d.in_reply_to) for d in updates] == sorted(first_ids.items())
    # A bulletin in another language starts its own thread
    spanish = publish_bulletin(lead, outage, "es", "Sin datos en el centro de Madrid. {incident_link}", NOW)
    assert spanish.kind == Bulletin.Kind.BULLETIN
    assert all(p.continues_id is None for p in spanish.posts.all())


def test_only_leads_publish_and_nothing_happens_when_refused(
    workspace: Any, agent: Any, lead: Any, desk: dict[str, Channel], clock: Any
) -> None:
    outage = incident(workspace)
    with pytest.raises(DeskError, match="only leads and admins publish bulletins"):
        publish_bulletin(agent, outage, "en", BULLETIN, NOW)
    with pytest.raises(
        DeskError, match=r"^the bulletin cannot go out: X: 3[0-9]{2} of 280 allowed for a x public"
    ):
        publish_bulletin(lead, outage, "en", "Mobile data is down in central Madrid. " * 8, NOW)
    with pytest.raises(DeskError, match="say which language the bulletin is in"):
        publish_bulletin(lead, outage, "<b>", BULLETIN, NOW)
    with pytest.raises(DeskError, match="the bulletin is empty"):
        publish_bulletin(lead, outage, "en", "   ", NOW)
    assert (Bulletin.objects.count(), OutboxItem.objects.count(), SandboxDelivery.objects.count()) == (
        0,
        0,
        0,
    )
    outage.refresh_from_db()
    assert (outage.public_text, outage.public_url) == ("", "")


def test_the_reply_checker_stops_a_bulletin_that_sells(
    workspace: Any, lead: Any, desk: dict[str, Channel], clock: Any
) -> None:
    outage = incident(workspace)
    with pytest.raises(DeskError, match=r"^the bulletin cannot go out: X: .*promotional"):
        publish_bulletin(lead, outage, "en", "Data is down. Upgrade to our premium plan with 20% off!", NOW)
    assert Bulletin.objects.count() == 0


def test_the_draft_says_only_what_is_public(workspace: Any, lead: Any, desk: dict[str, Channel]) -> None:
    outage = incident(workspace)
    assert draft_bulletin(outage, "en") == (
        "We know about a problem affecting some customers and are working on it. Updates: {incident_link}"
    )
    outage.public_text = "Mobile data is down in central Madrid."
    assert draft_bulletin(outage, "en") == "Mobile data is down in central Madrid. Updates: {incident_link}"
    assert INTERNAL_TITLE not in draft_bulletin(outage, "en")


def _five(desk: dict[str, Channel], outage: Any) -> list[Conversation]:
    return [
        linked_conversation(desk["x"], outage, 1, network_id="p1"),
        linked_conversation(desk["x"], outage, 2, network_id="p2", language="es"),
        linked_conversation(desk["mastodon"], outage, 3, network_id="p3", handle="ana@fosstodon.org"),
        linked_conversation(desk["x"], outage, 4, network_id="p4", category="billing"),
        linked_conversation(desk["x"], outage, 5, network_id="p5"),
    ]


def test_everyone_gets_one_pointer_where_the_gate_allows(
    workspace: Any, lead: Any, agent: Any, desk: dict[str, Channel], clock: Any
) -> None:
    outage = incident(workspace)
    one, spanish, masto, billing, threat = _five(desk, outage)
    Conversation.objects.filter(pk=threat.pk).update(legal_threat=True)
    with pytest.raises(DeskError, match="publish a bulletin first"):
        answer_everyone(lead, outage, reply=True, texts=POINTER, now=NOW)
    publish_bulletin(lead, outage, "en", BULLETIN, NOW)
    with pytest.raises(DeskError, match="only leads and admins answer everyone"):
        answer_everyone(agent, outage, reply=True, texts=POINTER, now=NOW)
    outcome = answer_everyone(lead, outage, reply=True, texts=POINTER, now=NOW)
    assert outcome.counts == {AnswerHow.POINTER: 3, AnswerHow.HELD: 2}
    assert outcome.held == {
        spanish.pk: "no text in the customer's language (es)",
        threat.pk: "legal threat: a person answers",
    }
    link = f"http://localhost:8000/status/acme/#incident-{outage.pk}"
    pointers = Message.objects.filter(automatic=True).order_by("conversation_id")
    assert [(m.conversation_id, m.text, m.is_private) for m in pointers] == [
        (c.pk, f"Sorry, we know: data is down in central Madrid. Follow the fix here: {link}", False)
        for c in (one, masto, billing)
    ]
    # Again, with Spanish now: the Spanish customer gets it; nobody else is answered twice
    again = answer_everyone(
        lead, outage, reply=True, texts={**POINTER, "es": "Lo sabemos: {incident_link}"}, now=NOW
    )
    assert again.counts == {AnswerHow.POINTER: 1, AnswerHow.HELD: 1}
    assert Message.objects.get(conversation=spanish, automatic=True).text == f"Lo sabemos: {link}"
    assert Message.objects.filter(automatic=True).count() == 4
    assert dict(IncidentAnswer.objects.values_list("conversation_id", "how")) == {
        one.pk: AnswerHow.POINTER, spanish.pk: AnswerHow.POINTER, masto.pk: AnswerHow.POINTER,
        billing.pk: AnswerHow.POINTER, threat.pk: AnswerHow.HELD,
    }  # fmt: skip


def test_covered_by_the_bulletin_sends_nothing(
    workspace: Any, lead: Any, desk: dict[str, Channel], clock: Any
) -> None:
    outage = incident(workspace)
    _five(desk, outage)
    publish_bulletin(lead, outage, "en", BULLETIN, NOW)
    before = OutboxItem.objects.count()
    outcome = answer_everyone(lead, outage, reply=False, texts={}, now=NOW)
    assert outcome.counts == {AnswerHow.COVERED: 5}
    assert OutboxItem.objects.count() == before
    assert set(IncidentAnswer.objects.values_list("how", flat=True)) == {AnswerHow.COVERED}


def test_the_end_tells_everyone_resolves_the_rest_in_bulk_and_can_be_undone(
    workspace: Any, lead: Any, agent: Any, desk: dict[str, Channel], clock: Any
) -> None:
    outage = incident(workspace)
    one, spanish, masto, billing, later = _five(desk, outage)
    # One customer asked about their bill afterwards, in the same conversation
    Message.objects.create(
        workspace=workspace, conversation=later, channel=desk["x"], direction="in", kind="mention",
        network_message_id="p5b", text="also, why was I charged twice?", sent_at=T0 + timedelta(minutes=5),
        delivery_status="received", category="billing", intent="question", triage={"flags": ["question"]},
    )  # fmt: skip
    # Another already had an acknowledgment and the pointer: the policy's most automatic messages
    for n, text in enumerate(("Hi, thanks for writing.", "We know: see the bulletin.")):
        Message.objects.create(
            workspace=workspace, conversation=one, channel=desk["x"], direction="out", kind="reply",
            text=text, sent_at=T0 + timedelta(minutes=n), delivery_status="sent", automatic=True,
        )  # fmt: skip
    with pytest.raises(DeskError, match="only leads and admins resolve incidents"):
        resolve_with_fixed_message(agent, outage, texts=FIXED, now=NOW)
    outcome = resolve_with_fixed_message(lead, outage, texts=FIXED, now=NOW)
    assert outcome.counts == {AnswerHow.FIXED: 4, AnswerHow.HELD: 1}
    assert outcome.not_resolved == {
        spanish.pk: "no text in the customer's language (es)",
        billing.pk: "the conversation is about billing, the incident about line_problem",
        later.pk: "a later message asks about billing",
    }
    assert outcome.resolved == 2
    link = f"http://localhost:8000/status/acme/#incident-{outage.pk}"
    assert Message.objects.filter(conversation=one, automatic=True).latest("pk").text == (
        f"Data is back in central Madrid. Thanks for your patience! {link}"
    )
    statuses = dict(Conversation.objects.values_list("pk", "status"))
    assert statuses == {
        one.pk: Status.RESOLVED, spanish.pk: Status.OPEN, masto.pk: Status.RESOLVED,
        billing.pk: Status.OPEN, later.pk: Status.OPEN,
    }  # fmt: skip
    outage.refresh_from_db()
    assert outage.status == IncidentStatus.RESOLVED
    with pytest.raises(DeskError, match="the incident is resolved already"):
        resolve_with_fixed_message(lead, outage, texts=FIXED, now=NOW)
    # Undo: both back to open, once
    assert outcome.resolution is not None
    with pytest.raises(DeskError, match="only leads and admins undo a bulk resolve"):
        undo_bulk_resolution(agent, outcome.resolution, NOW)
    assert undo_bulk_resolution(lead, outcome.resolution, NOW + timedelta(minutes=1)) == 2
    assert set(Conversation.objects.values_list("status", flat=True)) == {Status.OPEN}
    assert Conversation.objects.filter(resolved_at__isnull=False).count() == 0
    with pytest.raises(DeskError, match="undone already"):
        undo_bulk_resolution(lead, outcome.resolution, NOW)


def test_an_update_waits_for_the_bulletin_it_continues(
    workspace: Any, lead: Any, desk: dict[str, Channel], clock: Any
) -> None:
    outage = incident(workspace)
    first = publish_bulletin(lead, outage, "en", BULLETIN, NOW)
    # Given the bulletin's X post is still waiting (the account's sending limit, say)
    x_post = first.posts.get(channel=desk["x"])
    SandboxDelivery.objects.filter(network_message_id=x_post.network_id).delete()
    x_post.network_id = ""
    x_post.save(update_fields=["network_id"])
    later = NOW + timedelta(minutes=10)
    OutboxItem.objects.filter(post=x_post).update(status="pending", next_attempt_at=later, sent_at=None)
    # When the update is published
    update = publish_bulletin(lead, outage, "en", "Update: most cells are back.", NOW)
    x_update = OutboxItem.objects.get(post__in=update.posts.all(), channel=desk["x"])
    # Then it waits rather than start a thread of its own
    assert (x_update.status, x_update.last_error) == (
        "pending",
        "the post this one continues is not published yet",
    )
    assert not SandboxDelivery.objects.filter(channel=desk["x"]).exists()
    # And once the bulletin is out, the update answers it
    clock.move_to(later + timedelta(seconds=5))
    outbox_tick(later + timedelta(seconds=5))
    x_post.refresh_from_db()
    assert list(
        SandboxDelivery.objects.filter(channel=desk["x"]).order_by("pk").values_list("text", "in_reply_to")
    ) == [
        (first.text, ""),
        ("Update: most cells are back.", x_post.network_id),
    ]
