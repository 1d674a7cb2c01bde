"""The outbox: every reply, private message and moderation action is a row sent once; a sender
killed before or after the network accepted it neither loses it nor sends it twice."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from socialdesk.channels.models import SandboxDelivery
from socialdesk.conversations.models import Conversation, DeliveryStatus, Message
from socialdesk.ingest.actions import receive_event
from socialdesk.moderation.actions import moderate
from socialdesk.outbox.actions import backoff, outbox_tick
from socialdesk.outbox.models import OutboxItem
from socialdesk.replies.actions import approve_reply, send_reply
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import post

TELECOM = (Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml").read_text(
    encoding="utf-8"
)


def test_a_reply_is_one_outbox_row_sent_once(x_channel: Any, agent: Any) -> None:
    receive_event(x_channel, "1", post("a", "my line is dead"))
    reply = send_reply(Conversation.objects.get(), agent, "Sorry to hear that, checking now.")
    item = OutboxItem.objects.get()
    reply.refresh_from_db()
    assert (item.kind, item.idempotency_key, item.status, item.attempts) == (
        "reply",
        f"msg-{reply.pk}",
        "sent",
        1,
    )
    assert item.network_id == reply.network_message_id == f"sbx-out-msg-{reply.pk}"
    # Ticking later sends nothing again.
    assert outbox_tick(timezone.now() + timedelta(hours=1)).__dict__ == {
        "recovered": 0,
        "sent": 0,
        "failed": 0,
        "retrying": 0,
    }
    assert SandboxDelivery.objects.count() == 1


def test_moderation_goes_through_the_outbox(
    workspace: Any, x_channel: Any, agent: Any, lead: Any, telecom_policy: Any
) -> None:

    receive_event(x_channel, "1", post("a", "@NimbusMobile buy followers cheap at spam.example"))
    message = Message.objects.get(network_message_id="a")
    entry = moderate(message, "hide", "spam", lead)
    item = OutboxItem.objects.get(kind="hide")
    assert (item.idempotency_key, item.status) == (f"mod-{entry.pk}", "sent")
    assert list(SandboxDelivery.objects.values_list("text", "in_reply_to")) == [("[hide]", "a")]


def test_a_held_reply_has_no_outbox_row_until_approved(workspace: Any, x_channel: Any, agent: Any) -> None:
    receive_event(x_channel, "1", post("a", "my line is dead"))
    conversation = Conversation.objects.get()
    Conversation.objects.filter(pk=conversation.pk).update(requires_approval=True)
    conversation.refresh_from_db()
    reply = send_reply(conversation, agent, "We are on it.")
    assert (reply.delivery_status, OutboxItem.objects.count()) == (DeliveryStatus.AWAITING_APPROVAL, 0)
    lead = create_user("lena", "lead passphrase here")
    add_member(workspace, lead, Role.LEAD)
    assert approve_reply(reply, lead).delivery_status == DeliveryStatus.SENT
    assert OutboxItem.objects.get().status == "sent"


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4, 10, 30)] == [5, 10, 20, 40, 2560, 3600]


SEND = """
import django
django.setup()
from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.replies.actions import send_reply
from socialdesk.conversations.models import Conversation
from socialdesk.ingest.actions import receive_event
from socialdesk.workspaces.actions import add_member, create_user, create_workspace
workspace = create_workspace("acme", "Acme")
agent = create_user("alice", "correct horse battery staple")
add_member(workspace, agent)
channel = sandbox_channel(workspace, "x")
receive_event(channel, "1", {"id": "a", "at": "2026-11-20T09:00:00Z", "network": "x", "kind": "mention",
    "author": {"id": "u1", "handle": "ana", "name": "Ana"}, "text": "my line is dead"})
send_reply(Conversation.objects.get(), agent, "Sorry, checking now.")
print("not killed")
"""

RECOVER = """
import json, django
django.setup()
from datetime import timedelta
from django.utils import timezone
from socialdesk.channels.models import SandboxDelivery
from socialdesk.conversations.models import Message
from socialdesk.outbox.actions import outbox_tick
from socialdesk.outbox.models import OutboxItem
before = OutboxItem.objects.get().status
# Past the lease: the killed sender's claim has run out.
result = outbox_tick(timezone.now() + timedelta(minutes=3))
item = OutboxItem.objects.get()
reply = Message.objects.get(direction="out")
print(json.dumps({"before": before, "tick": result.__dict__, "status": item.status,
    "attempts": item.attempts, "deliveries": SandboxDelivery.objects.count(),
    "delivery_status": reply.delivery_status,
    "network_id_matches": reply.network_message_id == item.network_id}))
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("point", "tick", "attempts"),
    [
        # Killed after the network accepted the reply: recovery finds it there and records it.
        ("outbox-delivered", {"recovered": 1, "sent": 0, "failed": 0, "retrying": 0}, 1),
        # Killed after claiming, before calling the network: recovery finds nothing, sends it once.
        ("outbox-claimed", {"recovered": 1, "sent": 1, "failed": 0, "retrying": 0}, 2),
    ],
)
def test_a_sender_killed_mid_send_neither_loses_nor_doubles_the_reply(
    isolated_database_url: str, tmp_path: Path, point: str, tick: dict[str, int], attempts: int
) -> None:
    import json

    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIALDESK_FAULT")}
    env.update(DATABASE_URL=isolated_database_url, SOCIALDESK_DATA_DIR=str(tmp_path / "data"))
    env["DJANGO_SETTINGS_MODULE"] = "socialdesk.settings"
    migrate = subprocess.run([sys.executable, "-m", "socialdesk.cli", "migrate"], env=env, check=False)
    assert migrate.returncode == 0
    killed = subprocess.run(
        [sys.executable, "-c", SEND],
        env={**env, "SOCIALDESK_FAULT_KILL_AT": f"{point}:1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert killed.returncode == -9, killed.stderr[-2000:]
    done = subprocess.run(
        [sys.executable, "-c", RECOVER], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "before": "sending",
        "tick": tick,
        "status": "sent",
        "attempts": attempts,
        "deliveries": 1,
        "delivery_status": "sent",
        "network_id_matches": True,
    }
