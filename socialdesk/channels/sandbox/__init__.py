"""The built-in sandbox network: no accounts needed (scenario replay in, stored deliveries out). A
sandbox channel stands in for the network named in its `simulates` setting, whose rules apply."""

from __future__ import annotations

from socialdesk.channels.sandbox.adapter import SandboxAdapter
from socialdesk.channels.spec import Capability, NetworkSpec

SPEC = NetworkSpec(
    name="sandbox",
    display_name="Sandbox",
    adapter=SandboxAdapter(),
    rules=None,
    capabilities=frozenset(Capability),
)
