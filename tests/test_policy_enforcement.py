"""The running desk enforces the policy: sandbox posts in, exact acknowledgments, routing, due times,
escalations, approvals, reply checks and moderation out."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine

from socialdesk.channels.models import AccountRole, Channel, SandboxDelivery
from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.conversations.models import (
    Alert,
    Conversation,
    DeliveryStatus,
    Message,
    ModerationLog,
    Priority,
)
from socialdesk.errors import Forbidden
from socialdesk.ingest.actions import receive_event
from socialdesk.moderation.actions import ModerationRefused, moderate
from socialdesk.policy.actions import save_policy
from socialdesk.policy.loader import PolicyError
from socialdesk.policy.models import PolicyVersion
from socialdesk.policy.timers import policy_tick
from socialdesk.replies.actions import ReplyRejected, approve_reply, send_reply
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import T0, post

EXAMPLES = Path(__file__).parents[1] / "socialdesk" / "policy" / "examples"
DROPPING = "@NimbusMobile my calls keep dropping at home, third time this week"


@pytest.fixture
def telecom(workspace: Any) -> Any:
    save_policy(workspace, (EXAMPLES / "telecom.yaml").read_text(encoding="utf-8"))
    return workspace


def _conversation(message_id: str) -> Conversation:
    return Message.objects.get(network_message_id=message_id).conversation


def _team(conversation: Conversation) -> str:
    return conversation.team.slug if conversation.team else ""


def _texts() -> list[str]:
    return list(SandboxDelivery.objects.order_by("pk").values_list("text", flat=True))


def test_acknowledgment_goes_out_at_the_policy_time_and_only_once(telecom: Any, x_channel: Any) -> None:
    receive_event(x_channel, "1", post("a", DROPPING))
    conversation = _conversation("a")
    assert (conversation.intent, conversation.category, _team(conversation)) == (
        "complaint",
        "line_problem",
        "network",
    )
    assert conversation.priority == Priority.HIGH
    assert conversation.ack_due_at == T0 + timedelta(minutes=10)
    assert conversation.first_response_due_at == T0 + timedelta(minutes=30)

    assert policy_tick(T0 + timedelta(minutes=9, seconds=59))["acknowledgments"] == 0
    assert _texts() == []
    assert policy_tick(T0 + timedelta(minutes=10))["acknowledgments"] == 1
    assert policy_tick(T0 + timedelta(minutes=11))["acknowledgments"] == 0
    assert _texts() == [
        # The promise is the due time the desk computed, in Madrid time (T0 is 10:00 there).
        "Hi Name, thanks for writing to us. A person from our team will answer by 10:30."
    ]
    delivery = SandboxDelivery.objects.get()
    assert (delivery.in_reply_to, delivery.is_private) == ("a", False)
    conversation.refresh_from_db()
    # An acknowledgment is not a response: the first-response clock still runs.
    assert conversation.first_response_at is None
    assert conversation.ack_sent_at == T0 + timedelta(minutes=10)


def test_acknowledgment_in_the_customers_language(telecom: Any, x_channel: Any) -> None:
    receive_event(x_channel, "1", post("a", "@NimbusMobile ¿cómo activo la eSIM en un iPhone 16?"))
    policy_tick(T0 + timedelta(minutes=10))
    assert _texts() == [
        "Hola Name, gracias por escribirnos. Una persona del equipo te responderá antes de las 11:00."
    ]
    assert _team(_conversation("a")) == "care"


def test_no_acknowledgment_to_spam_or_after_an_agent_answered(
    telecom: Any, x_channel: Any, agent: Any
) -> None:
    receive_event(
        x_channel, "1", post("s", "@NimbusMobile FREE iPhone 17 giveaway click here http://x.example.win")
    )
    receive_event(x_channel, "2", post("q", "@NimbusMobile how do I port my number?", author="u2"))
    send_reply(_conversation("q"), agent, "Hi! Here's how: nimbus.example/port ^AL")
    assert policy_tick(T0 + timedelta(minutes=15))["acknowledgments"] == 0
    assert _conversation("s").ack_skipped == "spam"
    assert _conversation("q").ack_skipped == "a person answered first"
    assert _texts() == ["Hi! Here's how: nimbus.example/port ^AL"]


def test_no_private_acknowledgment_outside_the_24_hour_window(workspace: Any) -> None:
    # The longest catch-up window the policy allows, so the messaging window is what holds it back.
    source = (EXAMPLES / "telecom.yaml").read_text(encoding="utf-8")
    save_policy(workspace, source.replace("catch_up_minutes: 15", "catch_up_minutes: 1440"))
    whatsapp = sandbox_channel(workspace, "whatsapp")
    # Wed 23 Dec 2026, 21:55 Madrid. Thursday is a closing day, Friday Christmas: the first response is
    # due on Saturday, but the worker only runs 24 hours later, as WhatsApp's window closed.
    at = datetime(2026, 12, 23, 20, 55, tzinfo=UTC)
    message = post("w", "Hola, sigo sin línea, ¿me podéis ayudar?", network="whatsapp", kind="dm")
    message["at"] = at.isoformat()
    receive_event(whatsapp, "1", message)
    conversation = _conversation("w")
    assert conversation.first_response_due_at == datetime(2026, 12, 26, 8, 25, tzinfo=UTC)
    assert policy_tick(at + timedelta(hours=24, seconds=1))["acknowledgments"] == 0
    conversation.refresh_from_db()
    assert conversation.ack_skipped == "outside the 24-hour messaging window"
    assert _texts() == []


def test_sla_warning_before_breach_once(telecom: Any, x_channel: Any) -> None:
    receive_event(x_channel, "1", post("a", DROPPING))
    assert policy_tick(T0 + timedelta(minutes=14, seconds=59))["sla_warnings"] == 0
    assert policy_tick(T0 + timedelta(minutes=15))["sla_warnings"] == 1
    assert policy_tick(T0 + timedelta(minutes=16))["sla_warnings"] == 0
    assert list(Alert.objects.values_list("kind", "text", "roles")) == [
        ("sla_warning", "first response due 2026-11-20 10:30 CET", ["lead"])
    ]


def test_still_working_update_once_a_person_answered_and_the_case_runs_long(
    telecom: Any, x_channel: Any, agent: Any
) -> None:
    receive_event(x_channel, "1", post("a", DROPPING))
    policy_tick(T0 + timedelta(minutes=10))  # the acknowledgment
    # Nobody has answered yet: "we're still on it" would be a robot talking to itself.
    assert policy_tick(T0 + timedelta(hours=5))["still_working"] == 0
    answered = T0 + timedelta(hours=5, minutes=1)
    with time_machine.travel(answered, tick=False):
        send_reply(_conversation("a"), agent, "Sorry Name, checking your area now, back soon ^AL")
    # The customer writes again: from then on they are waiting on us.
    again = post("b", "@NimbusMobile any news? still dropping", minutes=5 * 60 + 30, reply_to="a", thread="a")
    receive_event(x_channel, "2", again)
    waited = T0 + timedelta(hours=5, minutes=30)
    assert policy_tick(waited + timedelta(hours=3, minutes=59))["still_working"] == 0
    assert policy_tick(waited + timedelta(hours=4))["still_working"] == 1
    assert policy_tick(waited + timedelta(hours=6))["still_working"] == 0
    assert _texts()[2:] == ["Name, we're still on it and haven't forgotten you. Next update soon."]
    log = _conversation("a").automation_log
    assert [(e["kind"], e["sent"]) for e in log] == [("acknowledgment", True), ("update", True)]


def test_legal_threat_escalates_and_replies_need_approval(telecom: Any, x_channel: Any, agent: Any) -> None:
    lead = create_user("lena", "lead-password-123")
    add_member(telecom, lead, Role.LEAD)
    receive_event(
        x_channel, "1", post("a", "@NimbusMobile refund the double charge or my lawyer files a claim")
    )
    conversation = _conversation("a")
    assert (_team(conversation), conversation.priority, conversation.requires_approval) == (
        "legal",
        Priority.URGENT,
        True,
    )
    assert conversation.first_response_due_at == T0 + timedelta(minutes=15)
    assert list(Alert.objects.values_list("kind", "text", "roles")) == [
        ("escalation", "Legal threats go to legal", ["legal", "lead"])
    ]
    reply = send_reply(conversation, agent, "Ana, we've refunded the double charge today. ^AL")
    assert reply.delivery_status == DeliveryStatus.AWAITING_APPROVAL
    with pytest.raises(Forbidden, match="only a lead, admin or legal member") as denied:
        approve_reply(reply, agent)
    assert (denied.value.status, denied.value.code) == (403, "forbidden")
    assert _texts() == []
    assert approve_reply(reply, lead).delivery_status == DeliveryStatus.SENT
    assert _texts() == ["Ana, we've refunded the double charge today. ^AL"]


def test_legal_threat_in_a_later_message_escalates_then(telecom: Any, x_channel: Any) -> None:
    receive_event(x_channel, "1", post("a", "@NimbusMobile how do I port my number?"))
    assert _conversation("a").priority == Priority.NORMAL
    receive_event(
        x_channel,
        "2",
        post("b", "still nothing, my lawyer will hear about this", minutes=30, kind="reply", reply_to="a"),
    )
    conversation = _conversation("a")
    assert (_team(conversation), conversation.priority) == ("legal", Priority.URGENT)
    assert conversation.first_response_due_at == T0 + timedelta(minutes=15)


def test_reply_breaking_the_rules_is_refused_with_reasons(telecom: Any, x_channel: Any, agent: Any) -> None:
    receive_event(x_channel, "1", post("a", DROPPING))
    with pytest.raises(ReplyRejected) as refused:
        send_reply(
            _conversation("a"), agent, "Calm down, our new plan fixes it. Send us your DNI and address"
        )
    assert [v.rule for v in refused.value.violations] == [
        "no_selling",
        "no_personal_data_in_public",
        "hostile_tone",  # "calm down" is impatience, reported once under the built-in rule
        "signature",
    ]
    assert Message.objects.filter(direction="out").count() == 0


def test_moderation_needs_a_listed_reason_and_is_audited(telecom: Any, workspace: Any, agent: Any) -> None:
    x = sandbox_channel(workspace, "x")
    facebook = sandbox_channel(workspace, "facebook")
    receive_event(x, "1", post("s", "@NimbusMobile FREE iPhone giveaway click here"))
    receive_event(
        facebook, "2", post("f", "GANA DINERO DESDE CASA bit.ly/x", network="facebook", kind="comment")
    )
    spam_x = Message.objects.get(network_message_id="s")
    spam_fb = Message.objects.get(network_message_id="f")

    refusals = [
        (spam_x, "hide", ""),
        (spam_x, "hide", "rude"),
        (spam_x, "delete", "abuse"),
        (spam_x, "delete", "spam"),
    ]
    messages = []
    for message, action, reason in refusals:
        with pytest.raises(ModerationRefused) as refused:
            moderate(message, action, reason, agent)
        messages.append(str(refused.value))
    assert messages == [
        "no reason is not a moderation reason in the policy (spam, abuse, personal_data)",
        "rude is not a moderation reason in the policy (spam, abuse, personal_data)",
        "the policy allows only hide for abuse, not delete",
        "x does not let the brand delete others' messages",
    ]
    assert ModerationLog.objects.count() == 0

    moderate(spam_x, "hide", "spam", agent, note="giveaway scam")
    moderate(spam_fb, "delete", "spam", agent)
    with pytest.raises(ModerationRefused, match="already hidden"):
        moderate(spam_x, "hide", "spam", agent)
    log = list(
        ModerationLog.objects.order_by("pk").values_list(
            "message__network_message_id", "action", "reason", "actor__username", "policy_version", "note"
        )
    )
    assert log == [
        ("s", "hide", "spam", "alice", 1, "giveaway scam"),
        ("f", "delete", "spam", "alice", 1, ""),
    ]
    assert (Message.objects.get(pk=spam_x.pk).hidden, Message.objects.get(pk=spam_fb.pk).deleted) == (
        True,
        True,
    )


def test_bank_answers_brand_account_questions_from_the_support_account(workspace: Any, agent: Any) -> None:
    save_policy(workspace, (EXAMPLES / "bank.yaml").read_text(encoding="utf-8"))
    brand = sandbox_channel(workspace, "x")
    support = Channel.objects.create(
        workspace=workspace,
        network="sandbox",
        handle="@LumenHelp",
        account_role=AccountRole.SUPPORT,
        config={"simulates": "x"},
    )
    # A plain question (one that complains, "why hasn't my transfer arrived?", is a complaint and stays
    # with the brand account's care team)
    receive_event(brand, "1", post("q", "@LumenBank how do I set up a standing order?"))
    conversation = _conversation("q")
    assert conversation.reply_channel == support
    send_reply(conversation, agent, "We'll check it with you in a private message. - Alice")
    delivery = SandboxDelivery.objects.get()
    assert (delivery.channel_id, delivery.in_reply_to) == (support.pk, "q")
    assert Message.objects.get(direction="out").author_handle == "@LumenHelp"


def test_invalid_policy_is_refused_and_the_active_one_stays(telecom: Any) -> None:
    with pytest.raises(PolicyError, match="line 1, column 1: a policy is a mapping"):
        save_policy(telecom, "- not a policy\n")
    assert list(PolicyVersion.objects.values_list("number", "is_active")) == [(1, True)]
    save_policy(
        telecom, (EXAMPLES / "telecom.yaml").read_text(encoding="utf-8").replace("2026.11-1", "2026.11-2")
    )
    assert list(PolicyVersion.objects.order_by("number").values_list("number", "label", "is_active")) == [
        (1, "2026.11-1", False),
        (2, "2026.11-2", True),
    ]


def test_a_crisis_escalates_new_conversations_to_the_leads(telecom: Any, x_channel: Any) -> None:
    # The telecom policy: 12 negative line-problem conversations within an hour are a crisis (the crisis
    # rule alone here: burst detection would open an incident at the fifth alike post).
    source = (EXAMPLES / "telecom.yaml").read_text(encoding="utf-8")
    save_policy(
        telecom,
        source.replace("  min_conversations: 12\n", "  min_conversations: 12\n  min_similar_posts: 1000\n"),
    )
    for i in range(13):
        text = "@NimbusMobile no signal, my calls keep dropping"
        receive_event(x_channel, str(i), post(f"o{i}", text, author=f"u{i}", minutes=i * 5))
    teams = [_team(_conversation(f"o{i}")) for i in range(13)]
    assert teams == ["network"] * 11 + ["leads"] * 2
    assert _conversation("o12").priority == Priority.URGENT
    assert Alert.objects.filter(kind="escalation", text="Crises go to the shift leads").count() == 2


def test_next_response_due_and_warned_after_the_customer_writes_again(
    telecom: Any, x_channel: Any, agent: Any
) -> None:
    receive_event(x_channel, "1", post("a", DROPPING))
    send_reply(_conversation("a"), agent, "Sorry Name, checking your area now. ^AL")
    assert policy_tick(T0 + timedelta(minutes=20))["sla_warnings"] == 0  # answered: no first-response warning
    receive_event(x_channel, "2", post("b", "still dropping", minutes=60, kind="reply", reply_to="a"))
    conversation = _conversation("a")
    # High priority: the next response is due 60 business minutes after the customer's new message.
    assert conversation.next_response_due_at == T0 + timedelta(minutes=120)
    assert policy_tick(T0 + timedelta(minutes=104))["sla_warnings"] == 0
    assert policy_tick(T0 + timedelta(minutes=105))["sla_warnings"] == 1
    assert policy_tick(T0 + timedelta(minutes=106))["sla_warnings"] == 0
    assert list(Alert.objects.values_list("text", flat=True)) == ["next response due 2026-11-20 12:00 CET"]
