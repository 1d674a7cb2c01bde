"""The workspace's one clock: every time the desk shows (pages, API, alerts) is in the time zone of
the active policy's business hours, so a due time and the alert about it can never disagree. A
workspace without a policy runs on UTC."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from socialdesk.policy.actions import active_policy_version


def workspace_zone(workspace_id: int) -> tzinfo:
    found = active_policy_version(workspace_id)
    return ZoneInfo(found[1].business_hours.timezone) if found else UTC


def zone_name(zone: tzinfo) -> str:
    """What the pages print next to their times ("Europe/Madrid", "UTC")."""
    return getattr(zone, "key", None) or str(zone)


def in_zone(moment: datetime | None, zone: tzinfo) -> datetime | None:
    """`moment` on the workspace's clock: the API prints it with that offset (ISO 8601)."""
    return moment.astimezone(zone) if moment is not None else None
