"""Routing returns one decision: what it changes is exact, and a decision already applied is not made
again (an escalation raises its alert once; nothing else moves)."""

from datetime import timedelta
from typing import Any

from socialdesk.conversations.models import Alert, Message, Priority
from socialdesk.ingest.actions import receive_event
from socialdesk.policy.actions import active_policy_version
from socialdesk.policy.routing import Decision, Escalation, decide, facts_for
from tests.helpers import T0, post


def test_a_decision_changes_only_what_it_names() -> None:
    assert Decision().changes() == {}
    decision = Decision(
        priority=Priority.URGENT,
        team_slug="legal",
        requires_approval=True,
        first_response_due_at=T0,
        clear_sla_warning=True,
        tags=("vip",),
        escalations=(Escalation("Legal threats go to legal", ("legal",)),),
    )
    assert decision.changes() == {
        "priority": Priority.URGENT,
        "requires_approval": True,
        "first_response_due_at": T0,
        "sla_warned_at": None,
    }


def test_an_applied_escalation_is_not_decided_again(
    workspace: Any, x_channel: Any, telecom_policy: Any
) -> None:
    receive_event(
        x_channel, "1", post("a", "@NimbusMobile refund the double charge or my lawyer files a claim")
    )
    message = Message.objects.select_related("conversation__channel").get(network_message_id="a")
    conversation = message.conversation
    assert (conversation.priority, conversation.requires_approval) == (Priority.URGENT, True)
    found = active_policy_version(workspace.pk)
    assert found is not None
    number, policy = found
    facts = facts_for(conversation, message, incident=False)
    later = T0 + timedelta(minutes=5)
    assert decide(policy, number, conversation, facts, first=False, at=later) == Decision()
    assert Alert.objects.filter(kind="escalation").count() == 1
