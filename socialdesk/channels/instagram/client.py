"""Instagram's own calls on the shared Graph client: the account check of the setup."""

from __future__ import annotations

from socialdesk.channels.meta.graph import graph
from socialdesk.channels.models import Channel


def check_account(channel: Channel) -> tuple[str, dict[str, str]]:
    """Account setup: (@account, its Instagram user id) once the Graph API accepts the token."""
    me = graph(channel, "GET", "me", params={"fields": "id,name,username"})
    return f"@{me.get('username') or me.get('name') or me['id']}", {"ig_user_id": str(me["id"])}
