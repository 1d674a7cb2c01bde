"""The built-in sandbox network: no accounts needed (scenario replay in, stored deliveries out). A
sandbox channel stands in for the network named in its `simulates` setting, whose rules apply."""

from __future__ import annotations

from socialdesk.channels.spec import Capability, NetworkSpec

SPEC = NetworkSpec(
    __name__,
    "sandbox",
    "Sandbox",
    rules=None,
    capabilities=frozenset(Capability),
)
