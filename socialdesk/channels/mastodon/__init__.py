"""Mastodon: mention notifications polled in; replies and direct messages (visibility=direct with
the person's @mention) out. Mastodon gives an account no way to remove others' replies."""

from __future__ import annotations

from socialdesk.channels.spec import Capability, NetworkRules, NetworkSpec, SetupField

SPEC = NetworkSpec(
    __name__, "mastodon", "Mastodon",
    rules=NetworkRules(
        public_reply=True, public_max=500, public_unit="graphemes", private_max=500, private_unit="graphemes",
        dm_eligibility="anyone",
    ),
    capabilities=frozenset({Capability.REPLY, Capability.PRIVATE_MESSAGE}),
    poller="poll_mentions",
    setup_fields=(
        SetupField("instance", "Instance URL, e.g. https://mastodon.social", config=True),
        SetupField("access_token", "Access token", secret=True),
    ),
)  # fmt: skip
