"""Connecting a network account to a workspace: the form's fields per network, and a check of the
credentials against the network before anything is saved (they are stored encrypted)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from socialdesk.channels.models import AccountRole, Channel
from socialdesk.channels.registry import DeliveryError
from socialdesk.workspaces.models import Workspace


@dataclass(frozen=True)
class SetupField:
    name: str
    label: str
    secret: bool


SETUP_FIELDS: dict[str, list[SetupField]] = {
    "x": [
        SetupField("consumer_key", "API key (consumer key)", secret=False),
        SetupField("consumer_secret", "API key secret", secret=True),
        SetupField("access_token", "Access token", secret=False),
        SetupField("access_token_secret", "Access token secret", secret=True),
    ],
}


class SetupError(ValueError):
    """The account could not be connected; the message says why, in the network's words."""


def connect_channel(
    workspace: Workspace,
    network: str,
    values: dict[str, str],
    *,
    role: str = AccountRole.BRAND,
) -> Channel:
    """Check the credentials with the network, then save the channel (credentials encrypted at rest).
    Reconnecting the same account replaces its credentials."""
    fields = SETUP_FIELDS.get(network)
    if fields is None:
        raise SetupError(f"{network} accounts cannot be connected from the desk yet")
    missing = [f.label for f in fields if not values.get(f.name, "").strip()]
    if missing:
        raise SetupError("missing: " + ", ".join(missing))
    credentials = {f.name: values[f.name].strip() for f in fields}
    probe = Channel(workspace=workspace, network=network, credentials=credentials, config={})
    try:
        identity = _verify(probe)
    except DeliveryError as refused:
        raise SetupError(f"{network} refused these credentials: {refused}") from refused
    with transaction.atomic():
        channel, _ = Channel.objects.select_for_update().get_or_create(
            workspace=workspace, network=network, handle=f"@{identity['username']}", account_role=role
        )
        channel.credentials = credentials
        channel.config = {**channel.config, "user_id": identity["id"]}
        channel.name, channel.is_active = identity["username"], True
        channel.save()
    return channel


def _verify(channel: Channel) -> dict[str, str]:
    if channel.network == "x":
        from socialdesk.channels.x.client import verify_credentials

        return verify_credentials(channel)
    raise SetupError(f"no credential check for {channel.network}")
