"""Threads converge to one conversation whatever order their posts arrive in (issue 21): a reply whose
parent is itself a reply may come before that parent, and the parent then pulls it in."""

import random
import threading
import time
from itertools import permutations
from typing import Any

import pytest
from django.db import connection, connections, transaction

from socialdesk.conversations.actions import thread_inbound
from socialdesk.conversations.models import Activity, Conversation, Message, Status
from socialdesk.ingest.actions import receive_event
from socialdesk.ingest.schema import Author, InboundMessage
from socialdesk.reports.models import Fact, FactKind, Rollup
from tests.helpers import T0, post


def _conv(message_id: str) -> int:
    return Message.objects.get(network_message_id=message_id).conversation_id


def _deliver(channel: Any, posts: list[dict[str, Any]]) -> None:
    for body in posts:
        receive_event(channel, body["id"], body)


def _chain(prefix: str, depth: int) -> list[dict[str, Any]]:
    """A root and `depth` replies, each to the one before it, by two people taking turns."""
    posts = [post(f"{prefix}0", f"{prefix} root", author=f"{prefix}a")]
    for n in range(1, depth + 1):
        author = f"{prefix}a" if n % 2 == 0 else f"{prefix}b"
        posts.append(
            post(
                f"{prefix}{n}",
                f"{prefix} reply {n}",
                author=author,
                minutes=n,
                kind="reply",
                reply_to=f"{prefix}{n - 1}",
            )
        )
    return posts


def test_grandchild_before_its_parent_lands_in_the_same_conversation(x_channel: Any) -> None:
    root, r1, r2 = _chain("t", 2)
    _deliver(x_channel, [r2, r1, root])
    assert _conv("t0") == _conv("t1") == _conv("t2")
    conversation = Conversation.objects.get()
    assert conversation.message_count == 3
    assert conversation.subject == "t root"
    assert conversation.first_inbound_at == T0
    assert conversation.last_inbound_at.isoformat() == "2026-11-20T09:02:00+00:00"


@pytest.mark.parametrize("order", list(permutations(range(4))))
def test_every_arrival_order_of_a_chain_ends_in_one_conversation(
    x_channel: Any, order: tuple[int, ...]
) -> None:
    posts = _chain("p", 3)
    _deliver(x_channel, [posts[i] for i in order])
    assert Conversation.objects.exclude(status=Status.CLOSED).count() == 1
    live = Conversation.objects.exclude(status=Status.CLOSED).get()
    assert live.message_count == 4 == live.messages.count()
    assert live.first_inbound_at == T0
    assert live.subject == "p root"
    # One conversation opened, as the reports count it, whichever conversations were opened on the way.
    assert Fact.objects.filter(kind=FactKind.OPENED).count() == 1
    assert Fact.objects.filter(kind=FactKind.INBOUND, conversation=live).count() == 4
    opened = Rollup.objects.filter(kind=FactKind.OPENED, dimension="all")
    assert sum(r.count for r in opened) == 1


def test_shuffled_replays_of_deep_threads_end_in_one_conversation_each(x_channel: Any) -> None:
    threads = {prefix: _chain(prefix, 5) for prefix in ("a", "b", "c", "d")}
    # A branch too: two replies to the same reply.
    threads["a"].append(post("a9", "a branch", author="ab", minutes=9, kind="reply", reply_to="a2"))
    everything = [body for posts in threads.values() for body in posts]
    random.Random(21).shuffle(everything)  # noqa: S311 (a replay order, not a secret)
    _deliver(x_channel, everything)
    for prefix, posts in threads.items():
        assert len({_conv(body["id"]) for body in posts}) == 1, prefix
    assert Conversation.objects.exclude(status=Status.CLOSED).count() == 4
    assert sorted(c.message_count for c in Conversation.objects.exclude(status=Status.CLOSED)) == [6, 6, 6, 7]


def test_a_merged_conversation_is_closed_and_says_where_it_went(x_channel: Any) -> None:
    root, r1, r2 = _chain("m", 2)
    _deliver(x_channel, [root, r2])  # r2 waits for r1 in a conversation of its own
    orphan = Conversation.objects.get(pk=_conv("m2"))
    assert orphan.pk != _conv("m0")
    _deliver(x_channel, [r1])
    orphan.refresh_from_db()
    survivor = Conversation.objects.get(pk=_conv("m0"))
    assert (orphan.status, orphan.merged_into_id, orphan.message_count) == (Status.CLOSED, survivor.pk, 0)
    assert survivor.message_count == 3 == survivor.messages.count()
    assert Activity.objects.filter(conversation=survivor, action="merged").count() == 1
    # Delivered again: nothing moves twice.
    _deliver(x_channel, [{**r1, "id": "m1"}])
    survivor.refresh_from_db()
    assert survivor.message_count == 3


def test_a_closed_conversation_is_not_merged_back(x_channel: Any) -> None:
    root, r1, r2 = _chain("k", 2)
    _deliver(x_channel, [root, r2])
    Conversation.objects.filter(pk=_conv("k2")).update(status=Status.CLOSED)
    _deliver(x_channel, [r1])
    assert _conv("k0") == _conv("k1") != _conv("k2")


def _inbound(message_id: str, parent: str | None, author: str) -> InboundMessage:
    return InboundMessage(
        network="x",
        message_id=message_id,
        kind="reply" if parent else "mention",
        is_private=False,
        author=Author(network_user_id=author, handle=f"h_{author}"),
        text=f"text {message_id}",
        created_at=T0,
        in_reply_to=parent,
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time")
def test_two_workers_on_a_reply_and_its_parent_end_in_one_conversation(x_channel: Any) -> None:
    """Worker A threads r2 and holds its transaction open; worker B threads r1 meanwhile. Without a lock
    B cannot see r2 and opens a second conversation. (Different authors, so that creating one contact
    handle does not make them take turns by accident.)"""
    threaded = threading.Event()
    errors: list[BaseException] = []

    def worker_a() -> None:
        try:
            with transaction.atomic():
                thread_inbound(x_channel, _inbound("w2", "w1", "u2"))
                threaded.set()
                time.sleep(0.5)
        except BaseException as exc:
            errors.append(exc)
            threaded.set()
        finally:
            connections.close_all()

    def worker_b() -> None:
        try:
            threaded.wait(10)
            with transaction.atomic():
                thread_inbound(x_channel, _inbound("w1", "w0", "u1"))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=worker_a), threading.Thread(target=worker_b)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(20)
    assert errors == []
    thread_inbound(x_channel, _inbound("w0", None, "u0"))
    assert _conv("w0") == _conv("w1") == _conv("w2")
    assert Conversation.objects.exclude(status=Status.CLOSED).count() == 1
