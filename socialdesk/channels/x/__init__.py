"""X (Twitter): Account Activity webhooks or mention polling in; replies, DMs (only to people who
accept them) and hidden replies out."""

from __future__ import annotations

from datetime import timedelta

from socialdesk.channels.spec import Capability, NetworkRules, NetworkSpec, SendLimit, SetupField
from socialdesk.channels.x.adapter import XAdapter

SPEC = NetworkSpec(
    name="x",
    display_name="X",
    adapter=XAdapter(),
    rules=NetworkRules(
        public_reply=True, public_max=280, public_unit="x_weighted", private_max=10_000,
        dm_eligibility="follows_or_open_dms", can_hide=True,
    ),
    capabilities=frozenset({Capability.REPLY, Capability.PRIVATE_MESSAGE, Capability.HIDE}),
    webhook="socialdesk.channels.x.receiver.webhook",
    poller="socialdesk.channels.x.poller.poll",
    setup_fields=(
        SetupField("consumer_key", "API key (consumer key)"),
        SetupField("consumer_secret", "API key secret", secret=True),
        SetupField("access_token", "Access token"),
        SetupField("access_token_secret", "Access token secret", secret=True),
    ),
    credential_check="socialdesk.channels.x.client.check_account",
    # DESIGN: X DMs, 15 per 15 minutes per account; the outbox waits its turn instead of a 429.
    send_limits=(SendLimit("private", 15, timedelta(minutes=15)),),
)  # fmt: skip
