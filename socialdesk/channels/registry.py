"""Every network the desk knows, one line each. Everything that differs per network — webhook routes,
polling, account setup, the policy's network list and rules table, display names, sending limits,
the composer's rules — reads the `NetworkSpec` its package exports; adding a network is adding its
package (see socialdesk/channels/x/ for the shape) and one line here."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import import_module
from typing import Annotated, Any

from pydantic import AfterValidator, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from socialdesk.channels.spec import NetworkAdapter, NetworkRules, NetworkSpec

PACKAGES = (
    "socialdesk.channels.sandbox",
    "socialdesk.channels.x",
    "socialdesk.channels.facebook",
    "socialdesk.channels.instagram",
    "socialdesk.channels.whatsapp",
    "socialdesk.channels.mastodon",
    "socialdesk.channels.bluesky",
    "socialdesk.channels.reddit",
    "socialdesk.channels.telegram",
    "socialdesk.channels.email",
)


def load(packages: Iterable[str]) -> dict[str, NetworkSpec]:
    """{name: spec} of the packages' `SPEC`s, in the order given (the order choices and tables show)."""
    specs: dict[str, NetworkSpec] = {}
    for package in packages:
        spec: NetworkSpec = import_module(package).SPEC
        specs[spec.name] = spec
    return specs


@cache
def networks() -> dict[str, NetworkSpec]:
    """Loaded on first use, not on import: the models read the registry for their choices, and the
    network packages' adapters use the models."""
    return load(PACKAGES)


def specs() -> list[NetworkSpec]:
    return list(networks().values())


def spec_for(network: str) -> NetworkSpec:
    try:
        return networks()[network]
    except KeyError:
        raise LookupError(f"no connector is installed for network {network!r}") from None


def adapter_for(network: str) -> NetworkAdapter:
    return spec_for(network).load_adapter()


def display_name(network: str) -> str:
    spec = networks().get(network)
    return spec.display_name if spec else network


def network_choices() -> list[tuple[str, str]]:
    """Channel.network's choices (a callable, so adding a network needs no migration)."""
    return [(spec.name, spec.display_name) for spec in networks().values()]


def policy_networks() -> list[str]:
    """Networks with rules of their own: those a policy names (the sandbox stands in for them)."""
    return [spec.name for spec in networks().values() if spec.rules is not None]


def stands_in_for_others(network: str) -> bool:
    """A network without rules of its own (the sandbox) takes those of the one it simulates."""
    spec = networks().get(network)
    return spec is not None and spec.rules is None


# A network standing in for others, used as itself (a sandbox channel that simulates nothing).
_NO_RULES = NetworkRules(public_reply=True, dm_eligibility="anyone", can_hide=True, can_delete_others=True)


def default_rules(network: str) -> NetworkRules:
    """The network's own rules (a policy may override them: see policy.networks.effective_rules)."""
    return spec_for(network).rules or _NO_RULES


def _known_network(value: str) -> str:
    known = policy_networks()
    if value not in known:
        raise ValueError(f"unknown network {value!r} (networks: {', '.join(known)})")
    return value


class _NetworkEnum:
    """The JSON Schema lists the installed networks, read when the schema is made (not on import)."""

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema: dict[str, Any] = handler(schema)
        return {**json_schema, "enum": policy_networks()}


# A network a policy or a scenario names: one with rules of its own (validated against the registry).
NetworkName = Annotated[str, AfterValidator(_known_network), _NetworkEnum()]
