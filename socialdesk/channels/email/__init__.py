"""Email: an IMAP mailbox polled in, SMTP replies out, threaded and loop-safe (RFC 3834)."""

from __future__ import annotations

from socialdesk.channels.spec import Capability, NetworkRules, NetworkSpec, SetupField

SPEC = NetworkSpec(
    __name__,
    "email",
    "Email",
    rules=NetworkRules(public_reply=False, private_max=100_000, dm_eligibility="anyone"),
    capabilities=frozenset({Capability.PRIVATE_MESSAGE}),
    poller="poll_inbox",
    setup_fields=(
        SetupField("address", "Support address", config=True),
        SetupField("imap_host", "IMAP host"),
        SetupField("imap_port", "IMAP port"),
        SetupField("smtp_host", "SMTP host"),
        SetupField("smtp_port", "SMTP port"),
        SetupField("security", "ssl, starttls or none"),
        SetupField("username", "Login"),
        SetupField("password", "Password", secret=True),
    ),
)
