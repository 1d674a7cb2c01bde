"""Mastodon: mention notifications polled in; replies and direct messages (visibility=direct with
the person's @mention) out. Mastodon gives an account no way to remove others' replies."""

from __future__ import annotations

from datetime import timedelta

from socialdesk.channels.spec import Capability, NetworkRules, NetworkSpec, SendLimit, SetupField

SPEC = NetworkSpec(
    __name__, "mastodon", "Mastodon",
    rules=NetworkRules(
        public_reply=True, public_max=500, public_unit="graphemes", private_max=500, private_unit="graphemes",
        dm_eligibility="anyone",
    ),
    capabilities=frozenset({Capability.REPLY, Capability.PRIVATE_MESSAGE, Capability.PUBLISH}),
    poller="poll_mentions",
    setup_fields=(
        SetupField("instance", "Instance URL, e.g. https://mastodon.social", config=True),
        SetupField("access_token", "Access token", secret=True),
    ),
    # Mastodon's default: 300 statuses per 3 hours per account (replies and posts are all statuses).
    send_limits=(
        SendLimit("reply", 300, timedelta(hours=3)),
        SendLimit("private", 300, timedelta(hours=3)),
        SendLimit("post", 300, timedelta(hours=3)),
    ),
)  # fmt: skip
