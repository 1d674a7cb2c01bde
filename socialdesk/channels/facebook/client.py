"""Facebook's own calls on the shared Graph client: the account check of the setup."""

from __future__ import annotations

from socialdesk.channels.meta.graph import graph
from socialdesk.channels.models import Channel


def check_account(channel: Channel) -> tuple[str, dict[str, str]]:
    """Account setup: (@page, the Page id) once the Graph API accepts the Page token."""
    me = graph(channel, "GET", "me", params={"fields": "id,name,username"})
    return f"@{me.get('username') or me.get('name') or me['id']}", {"page_id": str(me["id"])}
