"""The inbox's default order: the customer waiting longest first. An automatic acknowledgment or an
agent's reply never moves a conversation to the top; `e` on a conversation resolves it and opens the
next one of the inbox it came from (see test_browser for the key itself)."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client

from socialdesk.conversations.inbox import InboxFilter, inbox, next_in_inbox, ordered
from socialdesk.conversations.models import Conversation, Message, Status
from socialdesk.conversations.waiting import refresh_waiting
from socialdesk.ingest.actions import receive_event
from socialdesk.outbox.queue import queue_outbound
from socialdesk.replies.think_twice import undo_reply
from tests.helpers import T0, post

NOW = T0 + timedelta(hours=1)


@pytest.fixture
def desk(workspace: Any, x_channel: Any, agent: Any) -> dict[str, int]:
    """a wrote first and was answered by an agent; b got only the automatic acknowledgment; c wrote
    twice, unanswered; d wrote last. Returns the conversation ids by name."""
    with time_machine.travel(NOW, tick=False):
        receive_event(x_channel, "1", post("a", "@NimbusMobile my bill is wrong", author="u1", minutes=0))
        receive_event(x_channel, "2", post("b", "@NimbusMobile no signal", author="u2", minutes=1))
        receive_event(
            x_channel, "3", post("c", "@NimbusMobile how do I port my number", author="u3", minutes=2)
        )
        receive_event(x_channel, "4", post("d", "@NimbusMobile roaming?", author="u4", minutes=3))
        ids = {m.network_message_id: m.conversation_id for m in Message.objects.all()}
        a, b, _c = (Conversation.objects.get(pk=ids[k]) for k in "abc")
        queue_outbound(
            a,
            "Sorry about that, checking your bill now ^AL",
            is_private=False,
            author=agent,
            now=T0 + timedelta(minutes=10),
        )
        queue_outbound(
            b,
            "Thanks, we got your message and answer soon.",
            is_private=False,
            automatic=True,
            automatic_reason="acknowledgment",
            now=T0 + timedelta(minutes=5),
        )
        receive_event(x_channel, "5", post("c2", "hello??", author="u3", minutes=20, reply_to="c"))
    return {k: ids[k] for k in "abcd"}


def _order(user: Any, sort: str = "", **filters: Any) -> list[int]:
    return list(ordered(inbox(user, InboxFilter(**filters)), sort).values_list("pk", flat=True))


def test_longest_waiting_first_and_replies_do_not_jump(desk: dict[str, int], agent: Any) -> None:
    a, b, c, d = (desk[k] for k in "abcd")
    waiting = {x.pk: (x.waiting, x.waiting_since) for x in Conversation.objects.all()}
    assert waiting == {
        a: (False, None),  # the agent answered
        b: (True, T0 + timedelta(minutes=1)),  # the acknowledgment answers nobody
        c: (True, T0 + timedelta(minutes=2)),  # the oldest unanswered message counts
        d: (True, T0 + timedelta(minutes=3)),
    }
    assert _order(agent) == [b, c, d, a]
    assert _order(agent, status="live") == [b, c, d, a]
    assert _order(agent, status="new") == [b, c, d, a]
    # Newest activity first is still there: the reply and the acknowledgment moved a and b up.
    assert _order(agent, "recent") == [c, a, b, d]

    # The answered customer writes again: waiting since then, behind those waiting longer.
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        x_channel = Conversation.objects.get(pk=a).channel
        receive_event(x_channel, "6", post("a2", "still wrong", author="u1", minutes=30, reply_to="a"))
    assert _order(agent) == [b, c, d, a]
    assert Conversation.objects.get(pk=a).waiting_since == T0 + timedelta(minutes=30)

    # Resolving ends the wait; the thread-derived value agrees with the running one.
    with time_machine.travel(NOW + timedelta(minutes=6), tick=False):
        from socialdesk.conversations.actions import set_status

        set_status(Conversation.objects.get(pk=b), Status.RESOLVED, agent)
    assert _order(agent) == [c, d, a, b]
    before = {x.pk: (x.waiting, x.waiting_since) for x in Conversation.objects.all()}
    refresh_waiting(Conversation.objects.all())
    assert {x.pk: (x.waiting, x.waiting_since) for x in Conversation.objects.all()} == before


def test_api_default_order(desk: dict[str, int]) -> None:
    client = Client()
    assert client.login(username="alice", password="correct horse battery staple")
    body = client.get("/api/conversations").json()
    assert [x["id"] for x in body["items"]] == [desk[k] for k in "bcda"]
    assert body["items"][0]["waiting_since"].startswith("2026-11-20T09:01:00")
    assert body["items"][3]["waiting_since"] is None
    body = client.get("/api/conversations?sort=recent").json()
    assert [x["id"] for x in body["items"]] == [desk[k] for k in "cabd"]


def test_undone_reply_leaves_the_customer_waiting(desk: dict[str, int], workspace: Any, agent: Any) -> None:
    d = Conversation.objects.get(pk=desk["d"])
    with time_machine.travel(NOW, tick=False):
        reply = queue_outbound(
            d, "On it ^AL", is_private=False, author=agent, undo_until=NOW + timedelta(seconds=30)
        )
        assert not Conversation.objects.get(pk=d.pk).waiting
        undo_reply(reply, agent)
    assert Conversation.objects.get(pk=d.pk).waiting_since == T0 + timedelta(minutes=3)


def test_resolve_with_inbox_opens_the_next(desk: dict[str, int]) -> None:
    client = Client()
    assert client.login(username="alice", password="correct horse battery staple")
    b, c, d, a = (desk[k] for k in "bcda")
    # From the middle of the list: the one after it.
    response = client.post(f"/c/{c}/status/", {"value": "resolved", "inbox": "status=live"})
    assert response.status_code == 302 and response["Location"] == f"/c/{d}/"
    assert Conversation.objects.get(pk=c).status == Status.RESOLVED
    # The last one of the list: back to the inbox with its filters.
    response = client.post(f"/c/{a}/status/", {"value": "resolved", "inbox": "status=live&sort=waiting"})
    assert response["Location"] == "/?status=live&sort=waiting"
    # Without `inbox` (the Resolve button): the conversation again.
    response = client.post(f"/c/{b}/status/", {"value": "resolved"})
    assert response["Location"] == f"/c/{b}/"


def test_next_in_inbox(desk: dict[str, int], agent: Any) -> None:
    b, c, _d, a = (desk[k] for k in "bcda")
    assert next_in_inbox(agent, "", b) == c
    assert next_in_inbox(agent, "sort=recent", c) == a
    assert next_in_inbox(agent, "", a) is None
    assert next_in_inbox(agent, "intent=nothing-like-this", a) is None


def test_default_order_reads_an_index(desk: dict[str, int], agent: Any, workspace: Any) -> None:
    """No sort step: the database walks conv_inbox_waiting(_status) in order."""
    for f in (InboxFilter(), InboxFilter(status="new")):
        qs = ordered(inbox(agent, f), "waiting")[:50]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_sort = off")
            plan = qs.explain()
            assert "Sort" not in plan.replace("Sort Key", ""), plan
            assert "conv_inbox_waiting" in plan, plan
        else:
            plan = qs.explain()
            assert "TEMP B-TREE" not in plan, plan
            assert "conv_inbox_waiting" in plan, plan
