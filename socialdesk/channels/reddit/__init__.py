"""Reddit: the brand account's inbox polled in; replies, private messages only to people who wrote
to us privately (their consent), and moderator removal in subreddits the account moderates out."""

from __future__ import annotations

import re

from socialdesk.channels.spec import Capability, NetworkRules, NetworkSpec, SetupField


def subreddit(value: str) -> str:
    """The subreddit the brand moderates and posts bulletins in, stored without its "r/"."""
    name = value.removeprefix("r/")
    if re.fullmatch(r"[A-Za-z0-9_]{3,21}", name):
        return name
    raise ValueError("a subreddit is r/name or name, 3-21 letters, digits or _")


SPEC = NetworkSpec(
    __name__, "reddit", "Reddit",
    rules=NetworkRules(
        public_reply=True, public_max=10_000, private_max=10_000, dm_eligibility="user_consent",
        can_hide=True, can_delete_others=True,
    ),
    capabilities=frozenset(Capability),
    poller="poll_inbox",
    setup_fields=(
        SetupField("client_id", "App client id"),
        SetupField("client_secret", "App secret", secret=True),
        SetupField("username", "Username"),
        SetupField("password", "Password", secret=True),
        SetupField(
            "subreddit", "Subreddit the brand moderates, for bulletins (r/name)",
            config=True, optional=True, check=subreddit,
        ),
    ),
)  # fmt: skip
