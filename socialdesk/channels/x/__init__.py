"""X (Twitter): Account Activity webhooks or mention polling in; replies, DMs (only to people who
accept them) and hidden replies out."""

from __future__ import annotations

from datetime import timedelta

from socialdesk.channels.spec import Capability, NetworkRules, NetworkSpec, SendLimit, SetupField

SPEC = NetworkSpec(
    __name__, "x", "X",
    rules=NetworkRules(
        public_reply=True, public_max=280, public_unit="x_weighted", private_max=10_000,
        dm_eligibility="follows_or_open_dms", can_hide=True,
    ),
    capabilities=frozenset(
        {Capability.REPLY, Capability.PRIVATE_MESSAGE, Capability.HIDE, Capability.PUBLISH}
    ),
    webhook=True,
    poller="poll",
    setup_fields=(
        SetupField("consumer_key", "API key (consumer key)"),
        SetupField("consumer_secret", "API key secret", secret=True),
        SetupField("access_token", "Access token"),
        SetupField("access_token_secret", "Access token secret", secret=True),
    ),
    # DESIGN: X DMs, 15 per 15 minutes per account; the outbox waits its turn instead of a 429.
    # POST /2/tweets: 100 per 15 minutes per user (replies and posts each kept under it).
    send_limits=(
        SendLimit("private", 15, timedelta(minutes=15)),
        SendLimit("reply", 100, timedelta(minutes=15)),
        SendLimit("post", 100, timedelta(minutes=15)),
    ),
)  # fmt: skip
