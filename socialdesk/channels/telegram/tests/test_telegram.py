"""Telegram end to end against a local fake of the Bot API: secret-token webhook in (forged,
replayed, malformed refused), answers in the chat, private messages only to people who started the
bot, deleting messages, Telegram's flood control through the outbox."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from socialdesk.channels.models import Channel
from socialdesk.channels.telegram.tests.fake_bot_api import FakeBotApi
from socialdesk.channels.testing import brand_channel
from socialdesk.conversations.models import Conversation, DeliveryStatus, Message
from socialdesk.ingest.models import RawEvent
from socialdesk.outbox.actions import outbox_tick
from socialdesk.outbox.models import OutboxItem
from socialdesk.replies.actions import send_reply

FIXTURES = Path(__file__).parent / "fixtures"
TOKEN = "123456:ABC-fake-token"
SECRET = "hook-secret-1"


@pytest.fixture
def bot_api() -> Iterator[FakeBotApi]:
    yield from FakeBotApi(TOKEN).running()


@pytest.fixture
def channel(workspace: Any, bot_api: FakeBotApi) -> Channel:
    tokens = {"bot_token": TOKEN, "secret_token": SECRET}
    return brand_channel(workspace, "telegram", "@NimbusHelpBot", tokens, api_base=bot_api.url)


def _post(channel: Channel, name: str | None = None, body: bytes | None = None, secret: str = SECRET) -> Any:
    data = body if body is not None else (FIXTURES / f"{name}.json").read_bytes()
    response = Client().post(
        f"/hooks/telegram/{channel.pk}/",
        data=data,
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {},
    )
    return response.status_code, response.json()


def test_a_private_message_becomes_a_dm_conversation(channel: Channel) -> None:
    assert _post(channel, "message__private") == (200, {"stored": 1, "events": 1})
    message = Message.objects.get()
    assert (message.network_message_id, message.kind, message.is_private, message.author_handle) == (
        "61234567:58",
        "dm",
        True,
        "pedroalves",
    )
    assert message.conversation.contact.display_name == "Pedro Alves"
    assert message.sent_at.isoformat() == "2026-11-20T09:10:00+00:00"
    assert _post(channel, "edited_message__ignored") == (200, {"stored": 0, "events": 0})


def test_forged_replayed_and_malformed_updates_are_refused(channel: Channel) -> None:
    assert _post(channel, "message__private", secret="") == (401, {"error": "missing secret token"})
    assert _post(channel, "message__private", secret="guess") == (401, {"error": "bad secret token"})
    assert _post(channel, "message__private")[0] == 200
    assert _post(channel, "message__private") == (409, {"error": "this delivery was already received"})
    assert _post(channel, body=b'{"update_id": 1, "message": {"message_id": "x"}}')[0] == 400
    assert _post(channel, body=b"[1, 2")[0] == 400
    assert _post(channel, body=b'{"update_id": 2, "pad": "' + b"x" * 1_000_001 + b'"}')[0] == 413
    assert RawEvent.objects.count() == 1


def test_answers_in_a_group_and_private_only_after_start(
    channel: Channel, agent: Any, bot_api: FakeBotApi
) -> None:
    _post(channel, "message__group_reply")
    conversation = Conversation.objects.get()
    assert (conversation.is_private, Message.objects.get().kind) == (False, "reply")
    reply = send_reply(conversation, agent, "No, Porto is not affected.")
    reply.refresh_from_db()
    assert (reply.delivery_status, reply.network_message_id) == (DeliveryStatus.SENT, "-1001987654321:900")
    assert bot_api.sent == [
        {"chat_id": -1001987654321, "text": "No, Porto is not affected.", "reply_to": 311}
    ]
    # Privately: she never started the bot, so Telegram refuses and the agent is told.
    private = send_reply(conversation, agent, "Can you share your number privately?", is_private=True)
    private.refresh_from_db()
    assert (private.delivery_status, private.delivery_error) == (
        DeliveryStatus.FAILED,
        "Telegram answered: Forbidden: bot can't initiate conversation with a user",
    )
    bot_api.started.add(70000001)
    again = send_reply(conversation, agent, "Can you share your number privately?", is_private=True)
    again.refresh_from_db()
    assert again.delivery_status == DeliveryStatus.SENT
    assert bot_api.sent[-1] == {
        "chat_id": 70000001,
        "text": "Can you share your number privately?",
        "reply_to": None,
    }


def test_a_dm_answer_and_flood_control(channel: Channel, agent: Any, bot_api: FakeBotApi) -> None:
    bot_api.started.add(61234567)
    _post(channel, "message__private")
    bot_api.fail_next("sendMessage", 429, "Too Many Requests: retry after 35", retry_after=35)
    reply = send_reply(Conversation.objects.get(), agent, "Vamos verificar o seu SIM.")
    item = OutboxItem.objects.get()
    assert (item.status, item.last_error) == (
        "pending",
        "Telegram answered: Flood control exceeded. Retry in 35 seconds",
    )
    assert timedelta(seconds=34) < item.next_attempt_at - timezone.now() <= timedelta(seconds=35)
    assert outbox_tick(item.next_attempt_at + timedelta(seconds=1)).sent == 1
    reply.refresh_from_db()
    assert reply.delivery_status == DeliveryStatus.SENT
    assert bot_api.sent == [{"chat_id": 61234567, "text": "Vamos verificar o seu SIM.", "reply_to": 58}]


def test_delete_a_message_and_hiding_is_refused(
    workspace: Any, channel: Channel, bot_api: FakeBotApi, lead: Any, telecom_policy: Any
) -> None:
    from socialdesk.moderation.actions import ModerationRefused, moderate

    _post(channel, "message__group_reply")
    message = Message.objects.get()
    Message.objects.filter(pk=message.pk).update(sent_at=timezone.now() - timedelta(hours=1))
    message.refresh_from_db()
    with pytest.raises(ModerationRefused, match="telegram does not let the brand hide messages"):
        moderate(message, "hide", "spam", lead)
    moderate(message, "delete", "spam", lead)
    assert bot_api.deleted == [(-1001987654321, 311)]


def test_connecting_a_bot_checks_its_token(workspace: Any, bot_api: FakeBotApi, settings: Any) -> None:
    from socialdesk.channels.setup import SetupError, connect_channel

    settings.SOCIALDESK_API_BASES = {"telegram": bot_api.url}
    with pytest.raises(
        SetupError,
        match=r"telegram refused these credentials: Telegram rejected the bot token \(401 Unauthorized\)",
    ):
        connect_channel(workspace, "telegram", {"bot_token": "999:wrong", "secret_token": SECRET})
    channel = connect_channel(workspace, "telegram", {"bot_token": TOKEN, "secret_token": SECRET})
    assert (channel.handle, channel.config, channel.credentials) == (
        "@NimbusHelpBot",
        {"bot_id": "5550001"},
        {"bot_token": TOKEN, "secret_token": SECRET},
    )
