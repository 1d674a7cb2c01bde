"""Network rules as the policy sees them: the defaults come from each network's spec in the channel
registry, a policy may override any field per network (`network_rules`), and `effective_rules` is
the one answer both the composer's draft check and the sender read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialdesk.channels.registry import NetworkName, default_rules
from socialdesk.channels.spec import NetworkRules

if TYPE_CHECKING:
    from socialdesk.policy.schema import Policy

__all__ = ["NetworkName", "NetworkRules", "effective_rules"]


def effective_rules(version: tuple[int, Policy] | None, network: str) -> NetworkRules:
    """The network's rules under this (number, policy) version: its spec's defaults with the policy's
    overrides; the defaults alone without a policy."""
    if version is None:
        return default_rules(network)
    return version[1].rules_for(network)
