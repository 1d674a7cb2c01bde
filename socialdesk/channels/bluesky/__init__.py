"""Bluesky: notifications polled in and Jetstream for keyword listening; replies and chat out.
Bluesky gives an account no way to remove others' posts."""

from __future__ import annotations

from datetime import timedelta

from socialdesk.channels.spec import Capability, NetworkRules, NetworkSpec, SendLimit, SetupField

SPEC = NetworkSpec(
    __name__, "bluesky", "Bluesky",
    rules=NetworkRules(
        public_reply=True, public_max=300, public_unit="graphemes", private_max=1000,
        private_unit="graphemes", dm_eligibility="allow_incoming",
    ),
    capabilities=frozenset({Capability.REPLY, Capability.PRIVATE_MESSAGE, Capability.PUBLISH}),
    poller="poll_notifications",
    setup_fields=(
        SetupField("handle", "Handle, e.g. brand.bsky.social"),
        SetupField("app_password", "App password", secret=True),
    ),
    # A PDS allows 5,000 write points an hour per account and a created record costs 3: 1,666 posts.
    send_limits=(SendLimit("reply", 1666, timedelta(hours=1)), SendLimit("post", 1666, timedelta(hours=1))),
)  # fmt: skip
