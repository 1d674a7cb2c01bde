"""Think twice: with `reply_rules.send_delay_seconds` an agent's reply waits in the outbox (a row due at
`undo_until`) and its author can undo it (nothing reaches the network) or edit it (checked again) until
then. After the delay undo and edit are refused; a crash mid-delay loses nothing and sends once."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine

from socialdesk.channels.models import SandboxDelivery
from socialdesk.conversations.models import Activity, Conversation, DeliveryStatus, Message
from socialdesk.errors import Forbidden
from socialdesk.ingest.actions import receive_event
from socialdesk.outbox.actions import outbox_tick
from socialdesk.outbox.models import OutboxItem
from socialdesk.policy.actions import save_policy
from socialdesk.policy.loader import PolicyError, load_policy
from socialdesk.replies.actions import ReplyRejected, send_reply
from socialdesk.replies.think_twice import AlreadySent, edit_reply, undo_deadlines, undo_reply
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import desk_env, post

TELECOM = (Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml").read_text(
    encoding="utf-8"
)
SENT_AT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
TEXT = "Ana, sorry about that: checking your line now. ^AL"


def with_delay(seconds: int) -> str:
    return TELECOM.replace(
        "  require_signature: true\n", f"  require_signature: true\n  send_delay_seconds: {seconds}\n"
    )


@pytest.fixture
def sent(workspace: Any, x_channel: Any, agent: Any) -> Message:
    """Alice's reply, sent at SENT_AT under a policy with a ten-second delay."""
    save_policy(workspace, with_delay(10))
    receive_event(x_channel, "1", post("a", "@NimbusMobile my line is dead", author="u1"))
    with time_machine.travel(SENT_AT, tick=False):
        return send_reply(Conversation.objects.get(), agent, TEXT)


def _at(seconds: float) -> Any:
    return time_machine.travel(SENT_AT + timedelta(seconds=seconds), tick=False)


def test_the_delay_is_validated_and_off_by_default() -> None:
    assert load_policy(TELECOM).reply_rules.send_delay_seconds == 0
    assert load_policy(with_delay(120)).reply_rules.send_delay_seconds == 120
    for wrong in (121, -1):
        with pytest.raises(PolicyError) as refused:
            load_policy(with_delay(wrong))
        assert [issue.path for issue in refused.value.issues] == ["reply_rules.send_delay_seconds"]


def test_a_delayed_reply_waits_in_the_outbox_until_its_time(sent: Message, agent: Any) -> None:
    assert (sent.delivery_status, sent.undo_until) == (DeliveryStatus.QUEUED, SENT_AT + timedelta(seconds=10))
    item = OutboxItem.objects.get()
    assert (item.status, item.next_attempt_at, item.attempts) == (
        "pending",
        SENT_AT + timedelta(seconds=10),
        0,
    )
    assert SandboxDelivery.objects.count() == 0
    assert undo_deadlines(sent.conversation, agent, SENT_AT + timedelta(seconds=4)) == {
        sent.pk: SENT_AT + timedelta(seconds=10)
    }
    assert outbox_tick(SENT_AT + timedelta(seconds=9)).sent == 0
    assert outbox_tick(SENT_AT + timedelta(seconds=10)).sent == 1
    assert list(SandboxDelivery.objects.values_list("text", flat=True)) == [TEXT]
    assert undo_deadlines(sent.conversation, agent, SENT_AT + timedelta(seconds=4)) == {}


def test_undo_within_the_delay_sends_nothing_and_gives_the_text_back(sent: Message, agent: Any) -> None:
    with _at(9):
        assert undo_reply(sent, agent) == TEXT
    assert Message.objects.filter(pk=sent.pk).exists() is False
    assert OutboxItem.objects.count() == 0
    assert outbox_tick(SENT_AT + timedelta(minutes=5)).sent == 0
    assert SandboxDelivery.objects.count() == 0
    assert list(Activity.objects.values_list("actor__username", "action", "detail", "created_at")) == [
        ("alice", "undid reply", TEXT, SENT_AT + timedelta(seconds=9))
    ]


def test_undo_after_the_delay_is_refused_and_the_reply_goes_once(sent: Message, agent: Any) -> None:
    with _at(10), pytest.raises(AlreadySent) as refused:
        undo_reply(sent, agent)
    assert (str(refused.value), refused.value.code, refused.value.status) == (
        "already sent: the delay to undo or edit this reply is over",
        "already_sent",
        409,
    )
    assert outbox_tick(SENT_AT + timedelta(seconds=10)).sent == 1
    assert outbox_tick(SENT_AT + timedelta(seconds=40)).sent == 0
    assert list(SandboxDelivery.objects.values_list("text", flat=True)) == [TEXT]
    assert Activity.objects.count() == 0


def test_only_the_author_undoes_or_edits(sent: Message, workspace: Any) -> None:
    bob = create_user("bob", "another long passphrase")
    add_member(workspace, bob, Role.LEAD)
    with _at(2), pytest.raises(Forbidden, match="only the reply's author may undo it"):
        undo_reply(sent, bob)
    with _at(2), pytest.raises(Forbidden, match="only the reply's author may edit it"):
        edit_reply(sent, bob, "Ana, fixed. ^AL")
    assert OutboxItem.objects.get().status == "pending"
    assert Message.objects.get(pk=sent.pk).text == TEXT


def test_an_edit_in_the_delay_is_checked_again_and_the_edit_is_sent(sent: Message, agent: Any) -> None:
    with _at(3), pytest.raises(ReplyRejected) as rejected:
        edit_reply(sent, agent, "Ana, try our new plan with a discount. ^AL")
    assert [v.rule for v in rejected.value.violations] == ["no_selling", "no_selling"]
    assert Message.objects.get(pk=sent.pk).text == TEXT
    edited = "Ana, sorry about that: an engineer is checking your line now. ^AL"
    with _at(4):
        assert edit_reply(sent, agent, edited).text == edited
    # The edit keeps the reply's time: it goes out when it was due.
    assert outbox_tick(SENT_AT + timedelta(seconds=10)).sent == 1
    assert list(SandboxDelivery.objects.values_list("text", flat=True)) == [edited]
    with _at(11), pytest.raises(AlreadySent):
        edit_reply(sent, agent, "Ana, too late. ^AL")
    assert Message.objects.get(pk=sent.pk).text == edited


def test_no_delay_sends_at_once(workspace: Any, x_channel: Any, agent: Any) -> None:
    save_policy(workspace, TELECOM)
    receive_event(x_channel, "1", post("a", "@NimbusMobile my line is dead", author="u1"))
    reply = send_reply(Conversation.objects.get(), agent, TEXT)
    reply.refresh_from_db()
    assert (reply.delivery_status, reply.undo_until) == (DeliveryStatus.SENT, None)
    with pytest.raises(AlreadySent):
        undo_reply(reply, agent)


SEND_THEN_CRASH = """
import os, django
django.setup()
from pathlib import Path
from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.conversations.models import Conversation
from socialdesk.ingest.actions import receive_event
from socialdesk.policy.actions import save_policy
from socialdesk.replies.actions import send_reply
from socialdesk.workspaces.actions import add_member, create_user, create_workspace
workspace = create_workspace("acme", "Acme")
agent = create_user("alice", "correct horse battery staple")
add_member(workspace, agent)
save_policy(workspace, os.environ["POLICY_TEXT"])
channel = sandbox_channel(workspace, "x")
receive_event(channel, "1", {"id": "a", "at": "2026-11-20T09:00:00Z", "network": "x", "kind": "mention",
    "author": {"id": "u1", "handle": "ana", "name": "Ana"}, "text": "@NimbusMobile my line is dead"})
send_reply(Conversation.objects.get(), agent, "Ana, sorry about that: checking your line now. ^AL")
os.kill(os.getpid(), 9)  # the web process dies in the middle of the delay
"""

TICKS = """
import json, django
django.setup()
from datetime import timedelta
from socialdesk.channels.models import SandboxDelivery
from socialdesk.conversations.models import Message
from socialdesk.outbox.actions import outbox_tick
from socialdesk.outbox.models import OutboxItem
item = OutboxItem.objects.get()
due = item.next_attempt_at
before = (item.status, SandboxDelivery.objects.count())
ticks = [outbox_tick(due + timedelta(seconds=s)).sent for s in (-1, 0, 0, 30)]
reply = Message.objects.get(direction="out")
print(json.dumps({"before": list(before), "ticks": ticks, "deliveries": SandboxDelivery.objects.count(),
    "status": OutboxItem.objects.get().status, "delivery_status": reply.delivery_status,
    "due_is_undo_until": due == reply.undo_until}))
"""


@pytest.mark.slow
def test_a_crash_mid_delay_loses_nothing_and_the_tick_sends_it_once(
    isolated_database_url: str, tmp_path: Path
) -> None:
    env = desk_env(isolated_database_url, tmp_path)
    assert (
        subprocess.run([sys.executable, "-m", "socialdesk.cli", "migrate"], env=env, check=False).returncode
        == 0
    )
    killed = subprocess.run(
        [sys.executable, "-c", SEND_THEN_CRASH],
        env={**env, "POLICY_TEXT": with_delay(120)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert killed.returncode == -9, killed.stderr[-2000:]
    done = subprocess.run([sys.executable, "-c", TICKS], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "before": ["pending", 0],
        "ticks": [0, 1, 0, 0],
        "deliveries": 1,
        "status": "sent",
        "delivery_status": "sent",
        "due_is_undo_until": True,
    }


def test_the_page_offers_undo_with_the_seconds_left_and_undoes_in_place(sent: Message, agent: Any) -> None:
    from django.test import Client

    alice = Client()
    alice.force_login(agent)
    with _at(4):
        page = alice.get(f"/c/{sent.conversation_id}/").content.decode()
    assert 'data-seconds="6"' in page and ">Undo (6s)</button>" in page
    with _at(5):
        undone = alice.post(f"/c/{sent.conversation_id}/m/{sent.pk}/undo/", HTTP_HX_REQUEST="true")
    assert undone.status_code == 200
    assert f'data-undone-text="{TEXT}"' in undone.content.decode()
    assert (Message.objects.filter(pk=sent.pk).count(), OutboxItem.objects.count()) == (0, 0)


def test_the_page_refuses_undo_after_the_delay_in_place(sent: Message, agent: Any) -> None:
    from django.test import Client

    alice = Client()
    alice.force_login(agent)
    with _at(12):
        late = alice.post(f"/c/{sent.conversation_id}/m/{sent.pk}/undo/", HTTP_HX_REQUEST="true")
        page = alice.get(f"/c/{sent.conversation_id}/").content.decode()
    assert (late.status_code, late.content.decode().strip()) == (
        409,
        '<p role="alert" class="bad">already sent: the delay to undo or edit this reply is over</p>',
    )
    assert "Undo (" not in page


def test_undo_restarts_the_next_response_clock_the_reply_stopped(
    sent: Message, agent: Any, x_channel: Any
) -> None:
    outbox_tick(SENT_AT + timedelta(seconds=10))  # the first reply went out
    first_id = Message.objects.get(pk=sent.pk).network_message_id
    receive_event(
        x_channel, "2", post("b", "still nothing", author="u1", minutes=40, kind="reply", reply_to=first_id)
    )
    conversation = Conversation.objects.get()
    due = conversation.next_response_due_at
    assert due is not None
    later = SENT_AT + timedelta(minutes=15)
    with time_machine.travel(later, tick=False):
        second = send_reply(conversation, agent, "Ana, an engineer is on the way to the mast. ^AL")
    assert Conversation.objects.get().next_response_due_at is None
    with time_machine.travel(later + timedelta(seconds=5), tick=False):
        undo_reply(second, agent)
    assert Conversation.objects.get().next_response_due_at == due
