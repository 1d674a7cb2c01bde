"""Where bulletins go: a Telegram bot's broadcast channel and a Reddit account's subreddit, set on the
connect form or changed later on the channels page without the credentials, checked as typed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from socialdesk.channels.models import Channel
from socialdesk.channels.reddit import subreddit
from socialdesk.channels.telegram import broadcast_chat
from socialdesk.channels.telegram.tests.fake_bot_api import FakeBotApi
from socialdesk.channels.testing import brand_channel
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role

TOKEN = "123456:ABC-fake-token"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def bot_api(settings: Any) -> Iterator[FakeBotApi]:
    api = FakeBotApi(TOKEN)
    for running in api.running():
        settings.SOCIALDESK_API_BASES = {"telegram": running.url}
        yield running


@pytest.fixture
def admin(workspace: Any) -> Client:
    add_member(workspace, create_user("ada", PASSWORD), Role.ADMIN)
    client = Client()
    assert client.login(username="ada", password=PASSWORD)
    return client


def _connect(client: Client, workspace: Any, chat: str) -> Any:
    form = {"workspace": workspace.pk, "network": "telegram", "role": "brand"}
    return client.post(
        "/channels/", {**form, "bot_token": TOKEN, "secret_token": "s1", "broadcast_chat": chat}
    )


def test_a_telegram_chat_is_a_username_or_a_negative_id() -> None:
    assert broadcast_chat("@nimbus_status") == "@nimbus_status"
    assert broadcast_chat("-1001987654321") == "-1001987654321"
    for wrong in ("nimbus_status", "@abc", "@1nimbus", "1001987654321", "@nimbus-status", "-"):
        with pytest.raises(ValueError, match="a Telegram chat is @name"):
            broadcast_chat(wrong)


def test_a_subreddit_is_stored_without_its_prefix() -> None:
    assert subreddit("r/NimbusHelp") == "NimbusHelp"
    assert subreddit("nimbus_help") == "nimbus_help"
    assert subreddit("abc") == "abc"
    assert subreddit("a" * 21) == "a" * 21
    for wrong in ("ab", "a" * 22, "r/nimbus-help", "/r/nimbus", "nimbus help", "r/"):
        with pytest.raises(ValueError, match="a subreddit is r/name or name"):
            subreddit(wrong)


def test_the_connect_form_sets_the_broadcast_chat(workspace: Any, admin: Client, bot_api: FakeBotApi) -> None:
    page = admin.get("/channels/").content.decode()
    assert '<input name="broadcast_chat" >' in page  # optional: no "required"
    assert '<input name="subreddit" >' in page

    response = _connect(admin, workspace, " @nimbus_status ")

    assert response.status_code == 200
    assert "Telegram @NimbusHelpBot connected to Acme Telecom" in response.content.decode()
    channel = Channel.objects.get(workspace=workspace, network="telegram")
    assert channel.config == {"bot_id": "5550001", "broadcast_chat": "@nimbus_status"}


def test_a_wrong_chat_connects_nothing(workspace: Any, admin: Client, bot_api: FakeBotApi) -> None:
    response = _connect(admin, workspace, "nimbus_status")

    assert response.status_code == 422
    assert (
        "Channel for bulletins (@name or -100… id; the bot is its admin): a Telegram chat is @name "
        "(5-32 letters, digits or _) or a negative numeric id"
    ) in response.content.decode()
    assert not Channel.objects.filter(network="telegram").exists()


def test_reconnecting_without_a_chat_keeps_it(workspace: Any, admin: Client, bot_api: FakeBotApi) -> None:
    _connect(admin, workspace, "-1001987654321")
    _connect(admin, workspace, "")
    channel = Channel.objects.get(workspace=workspace, network="telegram")
    assert channel.config == {"bot_id": "5550001", "broadcast_chat": "-1001987654321"}


def _reddit(workspace: Any) -> Channel:
    app = {"client_id": "app-id", "client_secret": "s", "username": "NimbusMobile", "password": "p"}
    return brand_channel(workspace, "reddit", "u/NimbusMobile", app, api_base="http://127.0.0.1:9")


def test_an_admin_sets_and_clears_the_subreddit(workspace: Any, admin: Client) -> None:
    channel = _reddit(workspace)
    before = dict(channel.config)

    saved = admin.post(f"/channels/{channel.pk}/settings/", {"subreddit": "r/NimbusHelp"})

    assert saved.status_code == 200
    assert "Reddit u/NimbusMobile: settings saved" in saved.content.decode()
    channel.refresh_from_db()
    assert channel.config == {**before, "subreddit": "NimbusHelp"}
    assert 'name="subreddit" value="NimbusHelp"' in admin.get("/channels/").content.decode()
    # The credentials are untouched by a settings change.
    assert channel.credentials["client_id"] == "app-id"

    refused = admin.post(f"/channels/{channel.pk}/settings/", {"subreddit": "r/no"})
    assert refused.status_code == 422
    assert "a subreddit is r/name or name, 3-21 letters, digits or _" in refused.content.decode()
    channel.refresh_from_db()
    assert channel.config["subreddit"] == "NimbusHelp"

    admin.post(f"/channels/{channel.pk}/settings/", {"subreddit": ""})
    channel.refresh_from_db()
    assert channel.config == before


def test_only_an_admin_changes_settings(workspace: Any, lead: Any, other_workspace: Any) -> None:
    channel = _reddit(workspace)
    before = dict(channel.config)
    client = Client()
    assert client.login(username="lena", password="lead passphrase here")

    response = client.post(f"/channels/{channel.pk}/settings/", {"subreddit": "NimbusHelp"})

    assert response.status_code == 403
    assert "only an admin of the brand changes its accounts" in response.content.decode()
    channel.refresh_from_db()
    assert channel.config == before
    # Someone else's channel does not exist for this member.
    foreign = _reddit(other_workspace)
    assert client.post(f"/channels/{foreign.pk}/settings/", {"subreddit": "x_y_z"}).status_code == 404


def test_an_admin_switches_an_account_off_and_on_an_agent_cannot(workspace: Any, admin: Client) -> None:
    channel = brand_channel(workspace, "x", "@NimbusMobile", {"bearer_token": "t"})
    assert channel.is_active
    assert admin.post(f"/channels/{channel.pk}/toggle/").status_code == 302
    channel.refresh_from_db()
    assert not channel.is_active
    add_member(workspace, create_user("agnes", PASSWORD), Role.AGENT)
    agent = Client()
    assert agent.login(username="agnes", password=PASSWORD)
    refused = agent.post(f"/channels/{channel.pk}/toggle/")
    assert refused.status_code == 403
    assert "only an admin of the brand switches its accounts on or off" in refused.content.decode()
    channel.refresh_from_db()
    assert not channel.is_active
    admin.post(f"/channels/{channel.pk}/toggle/")
    channel.refresh_from_db()
    assert channel.is_active
