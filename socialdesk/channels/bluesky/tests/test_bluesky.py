"""Bluesky end to end against a local PDS (atproto SDK): notifications polled in, replies with root
and parent refs, chat only where allowIncoming lets the brand write, rate limits, and keyword
listening on a local Jetstream (WebSocket) feeding the brand's policy terms."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from websockets.sync.server import ServerConnection, serve

from socialdesk.channels.bluesky.jetstream import listen
from socialdesk.channels.bluesky.poller import poll_notifications
from socialdesk.channels.bluesky.tests.fake_pds import BRAND_DID, FakePds
from socialdesk.channels.models import Channel
from socialdesk.channels.testing import brand_channel
from socialdesk.conversations.models import DeliveryStatus, Message
from socialdesk.listening.actions import take_stream_post
from socialdesk.outbox.actions import outbox_tick
from socialdesk.outbox.models import OutboxItem
from socialdesk.replies.actions import send_reply

FIXTURES = Path(__file__).parent / "fixtures"
RITA = "did:plc:ritaalves00000000000000"
TELECOM = (Path(__file__).parents[3] / "policy" / "examples" / "telecom.yaml").read_text(encoding="utf-8")


def _fixture(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


@pytest.fixture
def pds() -> Iterator[FakePds]:
    server = FakePds("nimbus.bsky.social", "app-pass-1234")
    server.notifications.append(_fixture("notification__mention"))
    chat = {"chat": {"allowIncoming": "all"}}
    server.profiles[RITA] = {
        "did": RITA,
        "handle": "rita.bsky.social",
        "associated": chat,
        "viewer": {"muted": False},
    }
    yield from server.running()


@pytest.fixture
def channel(workspace: Any, pds: FakePds) -> Channel:
    login = {"handle": "nimbus.bsky.social", "app_password": "app-pass-1234"}
    return brand_channel(workspace, "bluesky", "@nimbus.bsky.social", login, api_base=pds.url, did=BRAND_DID)


def test_mentions_are_polled_once_and_the_session_is_kept(channel: Channel, pds: FakePds) -> None:
    assert poll_notifications(channel) == 1
    assert poll_notifications(channel) == 0
    assert pds.sessions == 1  # the second pass reused the stored session
    channel.refresh_from_db()
    assert channel.credentials["session"]
    message = Message.objects.get()
    assert (message.network_message_id, message.kind, message.author_handle) == (
        "at://did:plc:ritaalves00000000000000/app.bsky.feed.post/3lbx7yqz2k22a",
        "mention",
        "rita.bsky.social",
    )
    assert message.text == "@nimbus.bsky.social o 5G caiu outra vez em Lisboa"
    assert message.url == "https://bsky.app/profile/rita.bsky.social/post/3lbx7yqz2k22a"
    assert message.sent_at == datetime(2026, 11, 20, 9, 40, tzinfo=UTC)


def test_a_reply_points_at_root_and_parent_and_chat_follows_allow_incoming(
    channel: Channel, agent: Any, pds: FakePds
) -> None:
    poll_notifications(channel)
    conversation = Message.objects.get().conversation
    reply = send_reply(conversation, agent, "Olá Rita, estamos a verificar Lisboa.")
    reply.refresh_from_db()
    [post] = pds.posts
    mention = _fixture("notification__mention")
    parent = {"$type": "com.atproto.repo.strongRef", "uri": mention["uri"], "cid": mention["cid"]}
    assert post["record"]["reply"] == {
        "$type": "app.bsky.feed.post#replyRef",
        "root": parent,
        "parent": parent,
    }
    assert post["record"]["text"] == "Olá Rita, estamos a verificar Lisboa."
    assert reply.network_message_id == post["uri"]
    chat = send_reply(conversation, agent, "Pode dizer-nos o seu número?", is_private=True)
    chat.refresh_from_db()
    assert (chat.delivery_status, pds.chats[0]["text"]) == (
        DeliveryStatus.SENT,
        "Pode dizer-nos o seu número?",
    )
    assert chat.network_message_id == f"chat:convo-{RITA[-6:]}:{pds.chats[0]['id']}"
    pds.profiles[RITA]["associated"]["chat"]["allowIncoming"] = "following"  # and she does not follow us
    refused = send_reply(conversation, agent, "Mais uma pergunta.", is_private=True)
    refused.refresh_from_db()
    assert (refused.delivery_status, refused.delivery_error) == (
        DeliveryStatus.FAILED,
        "Bluesky: this person accepts chat messages from only accounts they follow; answer in public",
    )
    assert len(pds.chats) == 1


def test_rate_limit_and_recovery_without_a_second_post(channel: Channel, agent: Any, pds: FakePds) -> None:
    poll_notifications(channel)
    conversation = Message.objects.get().conversation
    reset = int((timezone.now() + timedelta(minutes=10)).timestamp())
    pds.fail_next("com.atproto.repo.createRecord", 429, "RateLimitExceeded", "Rate Limit Exceeded",
                  {"ratelimit-remaining": "0", "ratelimit-reset": str(reset)})  # fmt: skip
    reply = send_reply(conversation, agent, "A verificar.")
    item = OutboxItem.objects.get(message=reply)
    assert (item.status, item.last_error) == (
        "pending",
        "Bluesky answered 429 RateLimitExceeded: Rate Limit Exceeded",
    )
    assert abs(item.next_attempt_at.timestamp() - reset) < 5
    assert outbox_tick(item.next_attempt_at + timedelta(seconds=1)).sent == 1
    # As if the sender then died after the post was made: recovery finds it in our feed.
    OutboxItem.objects.filter(pk=item.pk).update(status="sending", claimed_until=timezone.now())
    Message.objects.filter(pk=reply.pk).update(delivery_status="queued", network_message_id=None)
    assert outbox_tick(timezone.now() + timedelta(minutes=3)).recovered == 1
    reply.refresh_from_db()
    assert (reply.delivery_status, reply.network_message_id, len(pds.posts)) == (
        DeliveryStatus.SENT,
        pds.posts[0]["uri"],
        1,
    )


def test_a_wrong_app_password_fails_permanently(channel: Channel, agent: Any, pds: FakePds) -> None:
    poll_notifications(channel)
    channel.credentials = {"handle": "nimbus.bsky.social", "app_password": "revoked"}
    channel.save()
    reply = send_reply(Message.objects.get().conversation, agent, "A verificar.")
    reply.refresh_from_db()
    assert (reply.delivery_status, reply.delivery_error) == (
        DeliveryStatus.FAILED,
        "Bluesky answered 401 AuthenticationRequired: Invalid identifier or password",
    )


def test_jetstream_posts_naming_the_brand_are_taken_for_the_listening_workspace(
    workspace: Any, channel: Channel
) -> None:
    from socialdesk.policy.actions import save_policy

    save_policy(workspace, TELECOM)
    naming = _fixture("jetstream__post")
    unrelated = {**naming, "commit": {**naming["commit"], "rkey": "3lbxother", "record": {
        **naming["commit"]["record"], "text": "cumulonimbus clouds over Porto"}}}  # fmt: skip
    identity = {"did": "did:plc:x", "time_us": 1, "kind": "identity", "identity": {"did": "did:plc:x"}}
    events = [json.dumps(e) for e in (identity, unrelated, naming, naming)]
    seen_paths: list[str] = []

    def handler(connection: ServerConnection) -> None:
        seen_paths.append(connection.request.path if connection.request else "")
        for event in events:
            connection.send(event)
        connection.close()

    with serve(handler, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.socket.getsockname()[1]
        result = listen(take_stream_post, f"ws://127.0.0.1:{port}/subscribe", max_events=4)
        server.shutdown()
    assert seen_paths == ["/subscribe?wantedCollections=app.bsky.feed.post"]
    assert (result.events, result.posts, result.taken) == (4, 3, 1)  # the repeat is stored once
    message = Message.objects.get()
    assert (message.kind, message.network_message_id, message.conversation.channel_id) == (
        "post",
        "at://did:plc:hugopereira0000000000000/app.bsky.feed.post/3lbxa2hj7rk2o",
        channel.pk,
    )


def test_moderation_is_refused_bluesky_has_none_for_others_posts(
    workspace: Any, channel: Channel, pds: FakePds, lead: Any, telecom_policy: Any
) -> None:
    from socialdesk.moderation.actions import ModerationRefused, moderate

    poll_notifications(channel)
    with pytest.raises(ModerationRefused, match="bluesky does not let the brand hide messages"):
        moderate(Message.objects.get(), "hide", "spam", lead)
    assert OutboxItem.objects.count() == 0


def test_connecting_an_account_logs_in_and_keeps_the_session(
    workspace: Any, pds: FakePds, settings: Any
) -> None:
    from socialdesk.channels.setup import SetupError, connect_channel

    settings.SOCIALDESK_API_BASES = {"bluesky": pds.url}
    with pytest.raises(SetupError, match="bluesky refused these credentials: Bluesky answered 401"):
        connect_channel(workspace, "bluesky", {"handle": "nimbus.bsky.social", "app_password": "guess"})
    channel = connect_channel(
        workspace, "bluesky", {"handle": "nimbus.bsky.social", "app_password": "app-pass-1234"}
    )
    assert (channel.handle, channel.config) == ("@nimbus.bsky.social", {"did": BRAND_DID})
    assert channel.credentials["session"]  # later calls reuse it instead of logging in again
