"""A network that exists only in the tests: everything a network needs, and nothing outside this
package names it. `test_registry` adds it with one registry line and finds it everywhere."""

from __future__ import annotations

from datetime import timedelta

from socialdesk.channels.spec import Capability, NetworkRules, NetworkSpec, SendLimit, SetupField

SPEC = NetworkSpec(
    __name__,
    "tinynet",
    "TinyNet",
    rules=NetworkRules(
        public_reply=True,
        public_max=42,
        private_max=99,
        dm_eligibility="user_wrote_first",
        messaging_window_hours=12,
    ),
    capabilities=frozenset({Capability.REPLY, Capability.PRIVATE_MESSAGE}),
    webhook=True,
    poller="poll",
    setup_fields=(SetupField("token", "Tiny token", secret=True),),
    send_limits=(SendLimit("reply", 2, timedelta(minutes=1)),),
)
