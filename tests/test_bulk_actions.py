"""Bulk actions: one desk verb on many conversations, each through the single-conversation action in a
transaction of its own. Another brand's conversation is reported as not found and never touched; one
refused conversation is reported with its reason and the others go ahead."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine

from socialdesk.bulk.actions import BulkResult, Failure, bulk_update
from socialdesk.channels.models import SandboxDelivery
from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.conversations.models import Activity, Conversation, DeliveryStatus, Message, Status
from socialdesk.errors import DeskError
from socialdesk.incidents.models import Incident
from socialdesk.ingest.actions import receive_event
from socialdesk.policy.actions import save_policy
from socialdesk.replies.actions import send_reply
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import T0, post

TELECOM = (Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml").read_text(
    encoding="utf-8"
)
LATER = T0 + timedelta(hours=2)
ASK_TO_DM = "Name, sorry about the signal. Send us a private message with your postcode so we can check. ^AL"


@pytest.fixture
def desk(workspace: Any, other_workspace: Any, x_channel: Any, agent: Any) -> dict[str, Any]:
    """Three conversations of Acme (alice is an agent there) and one of Globex (she is not a member)."""
    save_policy(workspace, TELECOM)
    receive_event(x_channel, "1", post("a", "@NimbusMobile my calls keep dropping at home", author="u1"))
    receive_event(x_channel, "2", post("b", "@NimbusMobile no signal in Porto", author="u2", minutes=1))
    receive_event(x_channel, "3", post("c", "@NimbusMobile how do I get an eSIM?", author="u3", minutes=2))
    receive_event(
        sandbox_channel(other_workspace, "x"), "1", post("z", "@GlobexBank card declined", author="u9")
    )
    ids = {str(m.network_message_id): m.conversation_id for m in Message.objects.all()}
    return {**ids, "globex": other_workspace}


def _statuses() -> dict[int, str]:
    return dict(Conversation.objects.values_list("pk", "status"))


def _activities() -> list[tuple[int, str, str, str]]:
    rows = Activity.objects.order_by("pk").values_list(
        "conversation_id", "actor__username", "action", "detail"
    )
    return list(rows)


def test_resolves_the_selection_and_reports_another_brands_conversation_as_not_found(
    desk: dict[str, Any], agent: Any
) -> None:
    a, b, z = desk["a"], desk["b"], desk["z"]
    with time_machine.travel(LATER, tick=False):
        result = bulk_update(agent, [a, b, z, 987654, a], "status", "resolved")
    assert result == BulkResult(
        verb="status",
        value="resolved",
        done=[a, b],
        held=[],
        failed=[Failure(z, "not_found", "not found"), Failure(987654, "not_found", "not found")],
    )
    assert result.summary() == "2 resolved, 2 failed"
    assert _statuses() == {a: "resolved", b: "resolved", desk["c"]: "new", z: "new"}
    assert list(Conversation.objects.filter(pk__in=[a, b]).values_list("resolved_at", flat=True)) == [
        LATER,
        LATER,
    ]
    # One log line per conversation, as the conversation page writes; nothing at all on Globex's.
    assert _activities() == [(a, "alice", "status", "resolved"), (b, "alice", "status", "resolved")]
    assert set(Activity.objects.values_list("created_at", flat=True)) == {LATER}


def test_a_refused_conversation_is_reported_and_the_others_still_change(
    desk: dict[str, Any], agent: Any
) -> None:
    a, b, c = desk["a"], desk["b"], desk["c"]
    Conversation.objects.filter(pk=b).update(status=Status.CLOSED)
    result = bulk_update(agent, [a, b, c], "status", "open")
    assert (result.done, result.failed) == (
        [a, c],
        [Failure(b, "refused", "a closed conversation stays closed; a new message opens a new one")],
    )
    assert result.summary() == "2 opened, 1 failed"
    assert _statuses()[a] == _statuses()[c] == "open"
    assert _statuses()[b] == "closed"
    assert [row[0] for row in _activities()] == [a, c]


def test_assigns_per_workspace_membership(desk: dict[str, Any], agent: Any, workspace: Any) -> None:
    # alice works for both brands; bob only for Acme, so Globex's conversation cannot be his.
    add_member(desk["globex"], agent, Role.AGENT)
    add_member(workspace, create_user("bob", "another long passphrase"), Role.AGENT)
    a, b, z = desk["a"], desk["b"], desk["z"]
    result = bulk_update(agent, [a, z, b], "assign", "bob")
    assert (result.done, result.failed) == (
        [a, b],
        [Failure(z, "refused", "bob is not a member of this workspace")],
    )
    assert result.summary() == "2 assigned to bob, 1 failed"
    assignees = dict(Conversation.objects.values_list("pk", "assignee__username"))
    assert assignees == {a: "bob", b: "bob", desk["c"]: None, z: None}
    assert _activities() == [(a, "alice", "assigned", "bob"), (b, "alice", "assigned", "bob")]
    # An empty value unassigns.
    assert bulk_update(agent, [a], "assign", "").summary() == "1 unassigned"
    assert Conversation.objects.get(pk=a).assignee is None


def test_tags_and_untags(desk: dict[str, Any], agent: Any) -> None:
    a, b = desk["a"], desk["b"]
    assert bulk_update(agent, [a, b], "tag", "  outage-porto ").summary() == "2 tagged “outage-porto”"
    tagged = (
        Conversation.objects.filter(tags__name="outage-porto").order_by("pk").values_list("pk", flat=True)
    )
    assert list(tagged) == [a, b]
    assert bulk_update(agent, [b], "untag", "outage-porto").summary() == "1 untagged “outage-porto”"
    assert list(Conversation.objects.filter(tags__name="outage-porto").values_list("pk", flat=True)) == [a]
    assert _activities() == [
        (a, "alice", "tagged", "outage-porto"),
        (b, "alice", "tagged", "outage-porto"),
        (b, "alice", "untagged", "outage-porto"),
    ]


def test_links_and_unlinks_keeping_each_incidents_count(
    desk: dict[str, Any], agent: Any, workspace: Any
) -> None:
    a, b, c = desk["a"], desk["b"], desk["c"]
    outage = Incident.objects.create(
        workspace=workspace, title="Porto outage", category="line_problem", opened_at=T0
    )
    esim = Incident.objects.create(workspace=workspace, title="eSIM", category="esim", opened_at=T0)
    result = bulk_update(agent, [a, b, c], "link", str(outage.pk))
    assert (result.done, result.failed, result.summary()) == (
        [a, b, c],
        [],
        f"3 linked to incident #{outage.pk}",
    )
    bulk_update(agent, [c], "link", str(esim.pk))  # moved: out of the outage, into the eSIM incident
    counts = dict(Incident.objects.values_list("pk", "conversation_count"))
    assert counts == {outage.pk: 2, esim.pk: 1}
    # b twice: asking again changes nothing and logs nothing.
    assert bulk_update(agent, [b], "link", str(outage.pk)).done == [b]
    assert bulk_update(agent, [a, c], "unlink").summary() == "2 unlinked from their incident"
    assert dict(Conversation.objects.values_list("pk", "incident_id")) == {
        a: None,
        b: outage.pk,
        c: None,
        desk["z"]: None,
    }
    assert dict(Incident.objects.values_list("pk", "conversation_count")) == {outage.pk: 1, esim.pk: 0}
    assert _activities() == [
        (a, "alice", "linked", f"incident #{outage.pk}"),
        (b, "alice", "linked", f"incident #{outage.pk}"),
        (c, "alice", "linked", f"incident #{outage.pk}"),
        (c, "alice", "linked", f"incident #{esim.pk}"),
        (a, "alice", "unlinked", f"incident #{outage.pk}"),
        (c, "alice", "unlinked", f"incident #{esim.pk}"),
    ]


def test_another_brands_incident_is_not_found_or_refused_per_conversation(
    desk: dict[str, Any], agent: Any
) -> None:
    theirs = Incident.objects.create(workspace=desk["globex"], title="Cards", category="cards", opened_at=T0)
    # Not a member of Globex: the incident does not exist for alice; nothing happens.
    with pytest.raises(DeskError) as refused:
        bulk_update(agent, [desk["a"]], "link", str(theirs.pk))
    assert (str(refused.value), refused.value.status) == (f"incident '{theirs.pk}' not found", 404)
    # A member of both: Globex's incident takes Globex's conversation, never Acme's.
    add_member(desk["globex"], agent, Role.AGENT)
    result = bulk_update(agent, [desk["a"], desk["z"]], "link", str(theirs.pk))
    assert (result.done, result.failed) == (
        [desk["z"]],
        [Failure(desk["a"], "other_workspace", f"incident #{theirs.pk} belongs to another brand")],
    )
    assert Incident.objects.get(pk=theirs.pk).conversation_count == 1
    assert Conversation.objects.get(pk=desk["a"]).incident_id is None


def test_replies_with_a_saved_reply_through_the_normal_send_path(desk: dict[str, Any], agent: Any) -> None:
    # Globex (alice works there too) has a saved reply of the same name that breaks its reply rules.
    add_member(desk["globex"], agent, Role.AGENT)
    save_policy(desk["globex"], TELECOM.replace("with your postcode so we can check", "about our new plan"))
    a, b, z = desk["a"], desk["b"], desk["z"]
    result = bulk_update(agent, [a, z, b], "reply", "Ask to DM")
    assert result.done == [a, b]
    refusal = "“new plan” is promotional; service replies don't sell (policy reply_rules.sales_terms)."
    assert result.failed == [Failure(z, "reply_rejected", refusal)]
    assert result.summary() == "2 replied with “Ask to DM”, 1 failed"
    sent = Message.objects.filter(direction="out").order_by("conversation_id")
    assert list(sent.values_list("conversation_id", "text", "author_user__username", "delivery_status")) == [
        (a, ASK_TO_DM, "alice", DeliveryStatus.SENT),
        (b, ASK_TO_DM, "alice", DeliveryStatus.SENT),
    ]
    # Through the outbox to the network: the sandbox received exactly these two.
    assert SandboxDelivery.objects.count() == 2
    assert not Message.objects.filter(conversation_id=z, direction="out").exists()


def test_a_saved_reply_the_policy_lacks_and_an_approval_hold_are_reported(
    desk: dict[str, Any], agent: Any
) -> None:
    a, b = desk["a"], desk["b"]
    Conversation.objects.filter(pk=b).update(requires_approval=True)
    result = bulk_update(agent, [a, b], "reply", "Ask to DM")
    assert (result.done, result.held, result.summary()) == (
        [a, b],
        [b],
        "2 replied with “Ask to DM” (1 held for approval)",
    )
    held = Message.objects.get(conversation_id=b, direction="out")
    assert held.delivery_status == DeliveryStatus.AWAITING_APPROVAL
    missing = bulk_update(agent, [a], "reply", "No such reply")
    assert missing.failed == [
        Failure(a, "no_saved_reply", "this brand's policy has no saved reply named “No such reply”")
    ]


@pytest.mark.parametrize(
    ("ids", "verb", "value", "message"),
    [
        ([], "status", "resolved", "select at least one conversation"),
        (list(range(1, 502)), "status", "resolved", "at most 500 conversations at once (501 selected)"),
        (
            [1],
            "delete",
            "",
            "'delete' is not a bulk action (assign, tag, untag, status, link, unlink, reply)",
        ),
        ([1], "tag", "  ", "type a tag"),
        ([1], "reply", "", "choose a saved reply"),
        ([1], "status", "done", "'done' is not a status (new, open, pending, resolved, closed)"),
        ([1], "link", "²", "incident '²' not found"),
        ([1], "link", "99999999999999999999999", "incident '99999999999999999999999' not found"),
    ],
)
def test_bad_requests_are_refused_whole_and_touch_nothing(
    desk: dict[str, Any], agent: Any, ids: list[int], verb: str, value: str, message: str
) -> None:
    before = _statuses()
    with pytest.raises(DeskError) as refused:
        bulk_update(agent, ids, verb, value)
    assert str(refused.value) == message
    assert _statuses() == before
    assert _activities() == []


def test_ids_no_column_can_hold_are_not_found(desk: dict[str, Any], agent: Any) -> None:
    result = bulk_update(agent, [2**70, -1, desk["a"]], "tag", "x")
    assert [f.id for f in result.failed] == [2**70, -1]
    assert result.done == [desk["a"]]


def test_a_bulk_reply_skips_conversations_already_answered_since_the_customer_wrote(
    desk: dict[str, Any], agent: Any, lead: Any, x_channel: Any
) -> None:
    a, b, c = desk["a"], desk["b"], desk["c"]
    # Given the lead answered b on its page, and c's reply is held for approval
    Conversation.objects.filter(pk=c).update(requires_approval=True)
    with time_machine.travel(LATER, tick=False):
        send_reply(Conversation.objects.get(pk=b), lead, "Lena here: we are on it. ^LE")
        held = bulk_update(lead, [c], "reply", "Ask to DM")
    assert (held.done, held.held) == ([c], [c])
    # When alice replies to all three with a saved reply
    with time_machine.travel(LATER + timedelta(minutes=1), tick=False):
        result = bulk_update(agent, [a, b, c], "reply", "Ask to DM")
    # Then only a is answered; b and c are skipped with who answered them and how
    assert result == BulkResult(
        verb="reply",
        value="Ask to DM",
        done=[a],
        skipped=[
            Failure(
                b, "already_answered", "already answered by lena since the customer's last message (sent)"
            ),
            Failure(
                c,
                "already_answered",
                "already answered by lena since the customer's last message (awaiting approval)",
            ),
        ],
    )
    assert result.summary() == "1 replied with “Ask to DM”, 2 skipped"
    replies = Message.objects.filter(direction="out", automatic=False).order_by("pk")
    assert list(replies.values_list("conversation_id", "author_user__username")) == [
        (b, "lena"),
        (c, "lena"),
        (a, "alice"),
    ]
    # And a second lead's bulk reply to the same selection answers nobody twice
    with time_machine.travel(LATER + timedelta(minutes=2), tick=False):
        again = bulk_update(lead, [a, b, c], "reply", "Ask to DM")
    assert (again.done, [s.id for s in again.skipped], again.summary()) == (
        [],
        [a, b, c],
        "0 replied with “Ask to DM”, 3 skipped",
    )
    assert again.skipped[0].reason == "already answered by alice since the customer's last message (sent)"
    assert SandboxDelivery.objects.count() == 2  # b's and a's; c waits for approval
    # When a's customer writes again, a may be answered again
    with time_machine.travel(LATER + timedelta(minutes=3), tick=False):
        receive_event(x_channel, "4", post("a2", "@NimbusMobile still dropping", author="u1", reply_to="a"))
        assert Message.objects.get(network_message_id="a2").conversation_id == a
        after = bulk_update(lead, [a, b], "reply", "Ask to DM")
    assert (after.done, [s.id for s in after.skipped]) == ([a], [b])


def test_a_failed_or_automatic_message_is_no_answer(desk: dict[str, Any], agent: Any) -> None:
    a, b = desk["a"], desk["b"]
    with time_machine.travel(LATER, tick=False):
        bulk_update(agent, [a, b], "reply", "Ask to DM")
    Message.objects.filter(conversation_id=a, direction="out").update(delivery_status=DeliveryStatus.FAILED)
    Message.objects.filter(conversation_id=b, direction="out").update(automatic=True)
    with time_machine.travel(LATER + timedelta(minutes=1), tick=False):
        result = bulk_update(agent, [a, b], "reply", "Ask to DM")
    assert (result.done, result.skipped) == ([a, b], [])
