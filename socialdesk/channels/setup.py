"""Connecting a network account to a workspace: the form's fields per network, and a check of the
credentials against the network before anything is saved (credentials are stored encrypted)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from socialdesk.channels.models import AccountRole, Channel
from socialdesk.channels.registry import DeliveryError
from socialdesk.errors import DeskError
from socialdesk.workspaces.models import Workspace


@dataclass(frozen=True)
class SetupField:
    name: str
    label: str
    secret: bool = False
    config: bool = False  # a setting (kept in the clear), not a credential


_META = [
    SetupField("access_token", "Access token", secret=True),
    SetupField("app_secret", "App secret (signs the webhook)", secret=True),
    SetupField("verify_token", "Webhook verify token (you choose it)", secret=True),
]
SETUP_FIELDS: dict[str, list[SetupField]] = {
    "x": [
        SetupField("consumer_key", "API key (consumer key)"),
        SetupField("consumer_secret", "API key secret", secret=True),
        SetupField("access_token", "Access token"),
        SetupField("access_token_secret", "Access token secret", secret=True),
    ],
    "facebook": _META,
    "instagram": _META,
    "whatsapp": [*_META, SetupField("phone_number_id", "Phone number id", config=True)],
    "telegram": [
        SetupField("bot_token", "Bot token (from @BotFather)", secret=True),
        SetupField("secret_token", "Webhook secret token (you choose it)", secret=True),
    ],
    "mastodon": [
        SetupField("instance", "Instance URL, e.g. https://mastodon.social", config=True),
        SetupField("access_token", "Access token", secret=True),
    ],
    "bluesky": [
        SetupField("handle", "Handle, e.g. brand.bsky.social"),
        SetupField("app_password", "App password", secret=True),
    ],
    "reddit": [
        SetupField("client_id", "App client id"),
        SetupField("client_secret", "App secret", secret=True),
        SetupField("username", "Username"),
        SetupField("password", "Password", secret=True),
    ],
    "email": [
        SetupField("address", "Support address", config=True),
        SetupField("imap_host", "IMAP host"),
        SetupField("imap_port", "IMAP port"),
        SetupField("smtp_host", "SMTP host"),
        SetupField("smtp_port", "SMTP port"),
        SetupField("security", "ssl, starttls or none"),
        SetupField("username", "Login"),
        SetupField("password", "Password", secret=True),
    ],
}


class SetupError(DeskError):
    """The account could not be connected; the message says why, in the network's words."""


def connect_channel(
    workspace: Workspace, network: str, values: dict[str, str], *, role: str = AccountRole.BRAND
) -> Channel:
    """Check the credentials with the network, then save the channel. Reconnecting the same account
    replaces its credentials and keeps its other settings."""
    fields = SETUP_FIELDS.get(network)
    if fields is None:
        raise SetupError(f"{network} accounts cannot be connected from the desk")
    missing = [f.label for f in fields if not values.get(f.name, "").strip()]
    if missing:
        raise SetupError("missing: " + ", ".join(missing))
    credentials = {f.name: values[f.name].strip() for f in fields if not f.config}
    config = {f.name: values[f.name].strip() for f in fields if f.config}
    probe = Channel(workspace=workspace, network=network, credentials=credentials, config=config)
    try:
        handle, found = _verify(probe)
    except DeliveryError as refused:
        raise SetupError(f"{network} refused these credentials: {refused}") from refused
    except OSError as unreachable:
        raise SetupError(f"{network} could not be reached: {unreachable}") from unreachable
    with transaction.atomic():
        channel, _ = Channel.objects.select_for_update().get_or_create(
            workspace=workspace, network=network, handle=handle, account_role=role
        )
        channel.credentials = {
            **credentials,
            **{k: v for k, v in probe.credentials.items() if k == "session"},
        }
        channel.config = {**channel.config, **config, **found}
        channel.name, channel.is_active = handle.lstrip("@"), True
        channel.save()
    return channel


def _verify(channel: Channel) -> tuple[str, dict[str, str]]:
    """(the account's handle, settings learnt from the network) or DeliveryError."""
    network = channel.network
    if network == "x":
        from socialdesk.channels.x.client import verify_credentials

        me = verify_credentials(channel)
        return f"@{me['username']}", {"user_id": me["id"]}
    if network in {"facebook", "instagram", "whatsapp"}:
        from socialdesk.channels.meta.graph import graph

        if network == "whatsapp":
            phone = graph(
                channel, "GET", channel.config["phone_number_id"], params={"fields": "display_phone_number"}
            )
            return str(phone.get("display_phone_number") or phone["id"]), {}
        me = graph(channel, "GET", "me", params={"fields": "id,name,username"})
        key = "page_id" if network == "facebook" else "ig_user_id"
        return f"@{me.get('username') or me.get('name') or me['id']}", {key: str(me["id"])}
    if network == "telegram":
        from socialdesk.channels.telegram.client import who_am_i

        bot = who_am_i(channel)
        return f"@{bot['username']}", {"bot_id": bot["id"]}
    if network == "mastodon":
        from socialdesk.channels.mastodon.client import verify

        account = verify(channel)
        return f"@{account['username']}", {"account_id": account["id"]}
    if network == "bluesky":
        from socialdesk.channels.bluesky.client import client_for

        client = client_for(channel)  # logs in; keeps the session on the probe's credentials
        return f"@{client.me.handle if client.me else channel.credentials['handle']}", {"did": _did(client)}
    if network == "reddit":
        from socialdesk.channels.reddit.client import call, reddit

        redditor = call(lambda: reddit(channel).user.me())
        return f"u/{redditor}", {}
    if network == "email":
        from socialdesk.channels.email.client import check_login

        check_login(channel)
        return str(channel.config["address"]), {}
    raise SetupError(f"no credential check for {network}")


def _did(client: object) -> str:
    session = getattr(client, "_session", None)
    return str(getattr(session, "did", ""))
