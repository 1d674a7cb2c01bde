"""Connecting a network account to a workspace: the form's fields per network, and a check of the
credentials against the network before anything is saved (credentials are stored encrypted)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from socialdesk.channels.errors import DeliveryError
from socialdesk.channels.models import AccountRole, Channel
from socialdesk.channels.registry import networks, spec_for, specs
from socialdesk.channels.spec import SetupField
from socialdesk.errors import DeskError
from socialdesk.workspaces.actions import require_role
from socialdesk.workspaces.models import Role, Workspace


def setup_fields(network: str) -> tuple[SetupField, ...]:
    """The connect form's fields for the network (none: it cannot be connected from the desk)."""
    spec = networks().get(network)
    return spec.setup_fields if spec is not None else ()


def connectable() -> dict[str, tuple[SetupField, ...]]:
    """{network: its form's fields} for every network the desk can connect."""
    return {spec.name: spec.setup_fields for spec in specs() if spec.setup_fields}


class SetupError(DeskError):
    """The account could not be connected; the message says why, in the network's words."""


def connect_channel(
    workspace: Workspace, network: str, values: dict[str, str], *, role: str = AccountRole.BRAND
) -> Channel:
    """Check the credentials with the network, then save the channel. Reconnecting the same account
    replaces its credentials and keeps its other settings."""
    fields = setup_fields(network)
    if not fields:
        raise SetupError(f"{network} accounts cannot be connected from the desk")
    missing = [f.label for f in fields if not f.optional and not values.get(f.name, "").strip()]
    if missing:
        raise SetupError("missing: " + ", ".join(missing))
    given = _checked(fields, values)
    credentials = {f.name: given[f.name] for f in fields if not f.config}
    # A blank optional setting keeps what a reconnected account had.
    config = {f.name: given[f.name] for f in fields if f.config and given[f.name]}
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


def settings_fields(network: str) -> tuple[SetupField, ...]:
    """The settings of a connected account that can be changed without its credentials."""
    return tuple(f for f in setup_fields(network) if f.config and f.optional)


def change_channel_settings(actor: User, channel: Channel, values: dict[str, str]) -> Channel:
    """Set (or clear, when blank) the account's optional settings; only the brand's admins may."""
    require_role(
        actor, channel.workspace_id, (Role.ADMIN,), "only an admin of the brand changes its accounts"
    )
    fields = settings_fields(channel.network)
    if not fields:
        raise SetupError(f"{channel.get_network_display()} accounts have no settings to change")
    given = _checked(fields, values)
    with transaction.atomic():
        locked = Channel.objects.select_for_update().get(pk=channel.pk)
        config = {k: v for k, v in locked.config.items() if k not in given}
        locked.config = {**config, **{k: v for k, v in given.items() if v}}
        locked.save(update_fields=["config"])
    return locked


def switch_channel(actor: User, channel: Channel) -> Channel:
    """Switch the account off (nothing is received or sent through it) or back on; only admins may."""
    require_role(
        actor,
        channel.workspace_id,
        (Role.ADMIN,),
        "only an admin of the brand switches its accounts on or off",
    )
    with transaction.atomic():
        locked = Channel.objects.select_for_update().get(pk=channel.pk)
        locked.is_active = not locked.is_active
        locked.save(update_fields=["is_active"])
    return locked


def _checked(fields: tuple[SetupField, ...], values: dict[str, str]) -> dict[str, str]:
    """{field: its value, stripped and normalized by the field's check}; SetupError names the field."""
    given = {f.name: values.get(f.name, "").strip() for f in fields}
    for f in fields:
        if f.check is not None and given[f.name]:
            try:
                given[f.name] = f.check(given[f.name])
            except ValueError as wrong:
                raise SetupError(f"{f.label}: {wrong}") from wrong
    return given


def _verify(channel: Channel) -> tuple[str, dict[str, str]]:
    """(the account's handle, settings learnt from the network) or DeliveryError."""
    check = spec_for(channel.network).check_credentials()
    if check is None:
        raise SetupError(f"no credential check for {channel.network}")
    return check(channel)
