"""Four eyes: a reply the policy holds (a legal threat here) is approved or returned by a lead, admin
or legal member who did not write it; who did, and the note, show on the message and in the
conversation's activity log; a returned reply is edited and resubmitted, or discarded. The queue of
held replies is a page and an API."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client

from socialdesk.channels.models import SandboxDelivery
from socialdesk.conversations.models import Activity, Conversation, DeliveryStatus, Message
from socialdesk.errors import DeskError, Forbidden
from socialdesk.ingest.actions import receive_event
from socialdesk.outbox.models import OutboxItem
from socialdesk.policy.actions import save_policy
from socialdesk.replies.actions import ReplyRejected, approve_reply, send_reply
from socialdesk.replies.approval import discard_reply, resubmit_reply, return_reply
from socialdesk.replies.queue import held_replies, waiting_count
from socialdesk.replies.think_twice import edit_reply
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import post

TELECOM = (Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml").read_text(
    encoding="utf-8"
)
THREAT = "@NimbusMobile refund the double charge or my lawyer files a claim"
DRAFT = "Ana, we've refunded the double charge today. ^AL"
REASON = "escalated: Legal threats go to legal"
REVIEWED = datetime(2026, 11, 20, 9, 40, tzinfo=UTC)
NOTE = "Don't confirm the refund before billing has; say we're checking."


@pytest.fixture
def leo(workspace: Any) -> Any:
    """A second lead: the four eyes for what lena writes."""
    user = create_user("leo", "second lead passphrase")
    add_member(workspace, user, Role.LEAD)
    return user


@pytest.fixture
def threat(workspace: Any, x_channel: Any) -> Conversation:
    save_policy(workspace, TELECOM)
    receive_event(x_channel, "1", post("a", THREAT, author="u1"))
    conversation = Conversation.objects.get()
    assert conversation.requires_approval is True
    return conversation


def _log() -> list[tuple[str, str, str]]:
    return list(Activity.objects.order_by("pk").values_list("actor__username", "action", "detail"))


def _delivered() -> list[str]:
    return list(SandboxDelivery.objects.order_by("pk").values_list("text", flat=True))


def test_the_author_cannot_approve_their_own_reply_another_lead_can(
    threat: Conversation, lead: Any, leo: Any, agent: Any
) -> None:
    held = send_reply(threat, lead, DRAFT)
    assert (held.delivery_status, held.held_reason) == (DeliveryStatus.AWAITING_APPROVAL, REASON)
    with pytest.raises(Forbidden) as refused:
        approve_reply(held, lead)
    assert (str(refused.value), refused.value.code, refused.value.status) == (
        "you wrote this reply: another lead, admin or legal member must approve it",
        "own_reply",
        403,
    )
    with pytest.raises(Forbidden, match="only a lead, admin or legal member may approve replies"):
        approve_reply(held, agent)
    assert (Message.objects.get(pk=held.pk).delivery_status, OutboxItem.objects.count(), _delivered()) == (
        DeliveryStatus.AWAITING_APPROVAL,
        0,
        [],
    )
    assert _log() == []

    with time_machine.travel(REVIEWED, tick=False):
        approved = approve_reply(held, leo)
    assert (approved.delivery_status, approved.reviewed_by, approved.reviewed_at) == (
        DeliveryStatus.SENT,
        leo,
        REVIEWED,
    )
    assert _delivered() == [DRAFT]
    assert _log() == [("leo", "approved reply", f"#{held.pk}")]
    assert Activity.objects.get().created_at == REVIEWED


def test_returned_with_a_note_then_edited_checked_and_resubmitted(
    threat: Conversation, lead: Any, agent: Any, workspace: Any
) -> None:
    held = send_reply(threat, agent, DRAFT)
    with pytest.raises(DeskError, match="a returned reply needs a note"):
        return_reply(held, lead, "  ")
    with time_machine.travel(REVIEWED, tick=False):
        returned = return_reply(held, lead, NOTE)
    assert (returned.delivery_status, returned.reviewed_by, returned.reviewed_at, returned.review_note) == (
        DeliveryStatus.RETURNED,
        lead,
        REVIEWED,
        NOTE,
    )
    assert _log() == [("lena", "returned reply", f"#{held.pk}: {NOTE}")]
    with pytest.raises(DeskError, match="no longer waiting"):
        return_reply(returned, lead, "again")

    bob = create_user("bob", "another long passphrase")
    add_member(workspace, bob, Role.AGENT)
    with pytest.raises(Forbidden, match="only the reply's author may resubmit it"):
        resubmit_reply(returned, bob, "Ana, we're checking the charge. ^AL")
    with pytest.raises(ReplyRejected) as rejected:
        resubmit_reply(returned, agent, "Ana, we're checking the charge")
    assert [v.rule for v in rejected.value.violations] == ["signature"]
    assert Message.objects.get(pk=held.pk).delivery_status == DeliveryStatus.RETURNED

    fixed = "Ana, we're checking the double charge with billing now. ^AL"
    again = resubmit_reply(returned, agent, fixed)
    assert (again.delivery_status, again.text, again.reviewed_by, again.review_note, again.held_reason) == (
        DeliveryStatus.AWAITING_APPROVAL,
        fixed,
        None,
        "",
        REASON,
    )
    assert approve_reply(again, lead, seen_text=fixed).delivery_status == DeliveryStatus.SENT
    assert _delivered() == [fixed]
    assert [row[1] for row in _log()] == ["returned reply", "resubmitted reply", "approved reply"]


def test_a_returned_reply_can_be_discarded_by_its_author(threat: Conversation, lead: Any, agent: Any) -> None:
    held = send_reply(threat, agent, DRAFT)
    return_reply(held, lead, NOTE)
    with pytest.raises(Forbidden, match="only the reply's author may discard it"):
        discard_reply(held, lead)
    discard_reply(held, agent)
    assert (Message.objects.filter(pk=held.pk).exists(), OutboxItem.objects.count(), _delivered()) == (
        False,
        0,
        [],
    )
    assert _log()[-1] == ("alice", "discarded reply", f"#{held.pk}: {DRAFT}")


def test_an_edit_of_a_held_reply_is_checked_again_and_not_approved_unread(
    threat: Conversation, lead: Any, agent: Any
) -> None:
    held = send_reply(threat, agent, DRAFT)
    with pytest.raises(ReplyRejected) as rejected:
        edit_reply(held, agent, "Ana, as I already said, we refunded it. ^AL")
    assert [v.rule for v in rejected.value.violations] == ["no_condescension"]
    assert Message.objects.get(pk=held.pk).text == DRAFT
    edited = "Ana, we've refunded the double charge; it shows within 3 days. ^AL"
    assert edit_reply(held, agent, edited).text == edited
    # The lead read the first draft: approving it now would send words nobody approved.
    with pytest.raises(DeskError) as changed:
        approve_reply(held, lead, seen_text=DRAFT)
    assert (changed.value.code, changed.value.status) == ("changed", 409)
    assert approve_reply(held, lead, seen_text=edited.replace("\n", "\r\n")).delivery_status == "sent"
    assert _delivered() == [edited]


def test_the_queue_shows_the_draft_its_check_conversation_and_reason(
    threat: Conversation, lead: Any, leo: Any, agent: Any
) -> None:
    mine = send_reply(threat, lead, DRAFT)
    theirs = send_reply(threat, agent, "Ana, we're on it. ^AL")
    assert (waiting_count(lead), waiting_count(leo), waiting_count(agent)) == (1, 2, 0)
    queue = held_replies(lead)
    assert [(h.message.pk, h.can_review, h.violations, h.last_customer_message) for h in queue] == [
        (mine.pk, False, [], Message.objects.get(network_message_id="a")),
        (theirs.pk, True, [], Message.objects.get(network_message_id="a")),
    ]
    # An agent sees only their own held reply, without the right to review it.
    assert [(h.message.pk, h.can_review) for h in held_replies(agent)] == [(theirs.pk, False)]


def _post(client: Client, url: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    response = client.post(url, json.dumps(body or {}), content_type="application/json")
    return response.status_code, response.json()


def test_the_api_lists_approves_and_returns(threat: Conversation, lead: Any, leo: Any, agent: Any) -> None:
    mine = send_reply(threat, lead, DRAFT)
    theirs = send_reply(threat, agent, "Ana, we're on it. ^AL")
    lena = Client()
    lena.force_login(lead)
    listed = lena.get("/api/approvals").json()
    first = listed[0]
    assert [(h["reply"]["id"], h["can_review"]) for h in listed] == [(mine.pk, False), (theirs.pk, True)]
    assert {k: first[k] for k in ("conversation", "conversation_url", "contact", "network", "author")} == {
        "conversation": threat.pk,
        "conversation_url": f"/c/{threat.pk}/",
        "contact": "Name u1",
        "network": "x",
        "author": "lena",
    }
    assert (first["reply"]["held_reason"], first["violations"], first["last_customer_message"]["text"]) == (
        REASON,
        [],
        THREAT,
    )
    assert first["last_customer_message"]["sent_at"] == "2026-11-20T09:00:00+00:00"  # no policy: UTC
    assert _post(lena, f"/api/approvals/{mine.pk}/approve") == (
        403,
        {
            "detail": "you wrote this reply: another lead, admin or legal member must approve it",
            "code": "own_reply",
        },
    )
    code, body = _post(lena, f"/api/approvals/{theirs.pk}/return", {"note": NOTE})
    assert (code, body["delivery_status"], body["reviewed_by"], body["review_note"]) == (
        200,
        "returned",
        "lena",
        NOTE,
    )
    leo_client = Client()
    leo_client.force_login(leo)
    with time_machine.travel(REVIEWED, tick=False):
        code, body = _post(leo_client, f"/api/approvals/{mine.pk}/approve", {"text": DRAFT})
    assert (code, body["delivery_status"], body["reviewed_by"], body["reviewed_at"]) == (
        200,
        "sent",
        "leo",
        "2026-11-20T09:40:00+00:00",
    )
    alice = Client()
    alice.force_login(agent)
    code, body = _post(
        alice, f"/api/messages/{theirs.pk}/resubmit", {"text": "Ana, checking with billing. ^AL"}
    )
    assert (code, body["delivery_status"]) == (200, "approval")
    assert _post(alice, f"/api/messages/{theirs.pk}/undo") == (
        409,
        {"detail": "already sent: the delay to undo or edit this reply is over", "code": "already_sent"},
    )
    assert _delivered() == [DRAFT]


def test_the_page_shows_who_approved_and_refuses_the_author(
    threat: Conversation, lead: Any, leo: Any, agent: Any
) -> None:
    held = send_reply(threat, lead, DRAFT)
    lena = Client()
    lena.force_login(lead)
    queue = lena.get("/approvals/").content.decode()
    assert "You wrote this reply: another lead, admin or legal member must approve it." in queue
    assert f'action="/approvals/{held.pk}/approve/"' not in queue
    refused = lena.post(f"/approvals/{held.pk}/approve/", {"text": DRAFT})
    assert refused.status_code == 403
    assert "you wrote this reply: another lead" in refused.content.decode()

    leo_client = Client()
    leo_client.force_login(leo)
    page = leo_client.get("/approvals/").content.decode()
    assert f'action="/approvals/{held.pk}/approve/"' in page
    assert REASON in page and THREAT in page
    assert 'aria-label="1 waiting for you"' in page
    with time_machine.travel(REVIEWED, tick=False):
        assert leo_client.post(f"/approvals/{held.pk}/approve/", {"text": DRAFT}).status_code == 302
    conversation_page = lena.get(f"/c/{threat.pk}/").content.decode()
    assert "Approved by <strong>leo</strong>" in conversation_page
    assert f"leo approved reply #{held.pk}" in conversation_page
    assert "No replies are waiting for approval." in leo_client.get("/approvals/").content.decode()


def test_a_refused_edit_on_the_page_keeps_the_reply_and_leaves_the_composer_empty(
    threat: Conversation, agent: Any
) -> None:
    held = send_reply(threat, agent, DRAFT)
    alice = Client()
    alice.force_login(agent)
    refused = alice.post(f"/c/{threat.pk}/m/{held.pk}/edit/", {"text": "Ana, obviously we refunded it. ^AL"})
    page = refused.content.decode()
    assert refused.status_code == 422
    assert "Your edit was not saved:" in page and "<strong>no_condescension</strong>" in page
    assert '<textarea id="reply-text"' in page and 'hx-include="#composer"></textarea>' in page
    assert Message.objects.get(pk=held.pk).text == DRAFT
    assert alice.get("/api/openapi.json").status_code == 200
