"""Bluesky: notifications polled in and Jetstream for keyword listening; replies and chat out.
Bluesky gives an account no way to remove others' posts."""

from __future__ import annotations

from socialdesk.channels.spec import Capability, NetworkRules, NetworkSpec, SetupField

SPEC = NetworkSpec(
    __name__, "bluesky", "Bluesky",
    rules=NetworkRules(
        public_reply=True, public_max=300, public_unit="graphemes", private_max=1000,
        private_unit="graphemes", dm_eligibility="allow_incoming",
    ),
    capabilities=frozenset({Capability.REPLY, Capability.PRIVATE_MESSAGE}),
    poller="poll_notifications",
    setup_fields=(
        SetupField("handle", "Handle, e.g. brand.bsky.social"),
        SetupField("app_password", "App password", secret=True),
    ),
)  # fmt: skip
