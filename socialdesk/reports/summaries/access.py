"""Reading reports, as pages, the API and exports ask for them: the member's workspace, a period in
that workspace's time zone, then the reports by name."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from socialdesk.errors import DeskError
from socialdesk.policy.zone import workspace_zone
from socialdesk.reports.summaries import catalog
from socialdesk.reports.summaries.period import Period, period_of
from socialdesk.reports.summaries.report import Report
from socialdesk.workspaces.actions import require_member, workspaces_for
from socialdesk.workspaces.models import Workspace


@dataclass(frozen=True)
class Reading:
    workspace: Workspace
    period: Period
    reports: list[Report]


def reporting_workspace(user: User | AnonymousUser, slug: str | None) -> Workspace:
    """The workspace named by slug, or the user's first one; a stranger is told it does not exist."""
    mine = workspaces_for(user).order_by("name", "pk")
    found = mine.filter(slug=slug).first() if slug else mine.first()
    if found is None:
        raise DeskError("no such workspace", code="not_found", status=404)
    return found


def read_reports(
    user: User,
    slug: str | None,
    names: list[str] | None = None,
    first: str | None = None,
    last: str | None = None,
) -> Reading:
    """The named reports (all by default) for the period from `first` to `last` (ISO dates in the
    workspace's zone; the last 30 days by default)."""
    workspace = reporting_workspace(user, slug)
    require_member(user, workspace.pk)
    zone = workspace_zone(workspace.pk)
    period = period_of(zone, timezone.now().astimezone(zone).date(), first, last)
    unknown = [n for n in names or [] if n not in catalog.REPORTS]
    if unknown:
        raise DeskError(
            f"no report {unknown[0]!r} (reports: {', '.join(catalog.NAMES)})", code="not_found", status=404
        )
    return Reading(
        workspace, period, [catalog.build(n, workspace.pk, period) for n in names or catalog.NAMES]
    )
