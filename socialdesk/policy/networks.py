"""The networks a policy names, and their rules as the policy sees them. The list and the default
rules come from the channel registry (each network's spec); a policy may override any field per
network (`network_rules`), and `effective_rules` is the one answer both the composer's draft check
and the sender read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from socialdesk.channels.registry import default_rules, policy_networks
from socialdesk.channels.spec import NetworkRules

if TYPE_CHECKING:
    from socialdesk.policy.schema import Policy

__all__ = ["NetworkName", "NetworkRules", "effective_rules", "policy_networks"]


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


NetworkName = Annotated[str, AfterValidator(_known_network), _NetworkEnum()]


def effective_rules(version: tuple[int, Policy] | None, network: str) -> NetworkRules:
    """The network's rules under this (number, policy) version: its spec's defaults with the policy's
    overrides; the defaults alone without a policy."""
    if version is None:
        return default_rules(network)
    return version[1].rules_for(network)
