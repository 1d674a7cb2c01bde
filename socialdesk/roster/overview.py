"""The team as a lead sees it (and each member sees their own row): status, shift, load against
capacity, and exposure to abuse."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from socialdesk.policy.actions import active_policy_version
from socialdesk.policy.schema import Assignment
from socialdesk.roster.availability import availability_for
from socialdesk.roster.load import abusive_since, day_start, open_held
from socialdesk.roster.models import Availability, Shift, ShiftException
from socialdesk.roster.shifts import DAYS as WEEKDAYS
from socialdesk.roster.shifts import working_now
from socialdesk.workspaces.actions import has_role, require_member
from socialdesk.workspaces.models import Membership, Role


@dataclass(frozen=True)
class MemberLoad:
    user_id: int
    username: str
    role: str
    status: str
    status_source: str
    status_changed_at: datetime | None
    last_active_at: datetime | None
    on_shift: bool | None  # None: no shifts set
    open: int
    capacity: int
    abusive_today: int
    abusive_week: int
    abusive_in_a_row: int
    languages: list[str]
    networks: list[str]
    categories: list[str]
    week: str  # "mon 09:00-17:00, tue …" in the shifts' zone
    zone: str
    days_off: list[str]

    @property
    def week_lines(self) -> str:
        """The week as the shift form takes it back, one range per line."""
        return self.week.replace(", ", "\n")

    @property
    def load_percent(self) -> int:
        return min(100, round(100 * self.open / self.capacity)) if self.capacity else 0


def week_text(shifts: list[Shift]) -> str:
    """'mon-fri 08:00-16:00, sat 10:00-14:00': consecutive days with the same hours read as a span (the
    shift form takes the text back one span per line)."""
    by_day: dict[int, str] = {}
    for shift in sorted(shifts, key=lambda s: (s.weekday, s.starts)):
        hours = f"{shift.starts:%H:%M}-{shift.ends:%H:%M}"
        by_day[shift.weekday] = f"{by_day[shift.weekday]} {hours}" if shift.weekday in by_day else hours
    spans: list[tuple[int, int, str]] = []
    for day in sorted(by_day):
        if spans and spans[-1][1] == day - 1 and spans[-1][2] == by_day[day]:
            spans[-1] = (spans[-1][0], day, by_day[day])
        else:
            spans.append((day, day, by_day[day]))
    return ", ".join(f"{WEEKDAYS[a]}{'-' + WEEKDAYS[b] if b != a else ''} {hours}" for a, b, hours in spans)


def settings_for(workspace_id: int) -> Assignment:
    found = active_policy_version(workspace_id)
    return found[1].assignment if found else Assignment()


def can_lead(actor: User | None, workspace_id: int) -> bool:
    return actor is None or has_role(workspace_id, actor.pk, (Role.LEAD, Role.ADMIN))


def team_overview(actor: User | None, workspace_id: int, at: datetime | None = None) -> list[MemberLoad]:
    """Every member for leads and admins; only their own row for everyone else."""
    require_member(actor, workspace_id)
    now = at or timezone.now()
    memberships = (
        Membership.objects.filter(workspace_id=workspace_id).select_related("user").order_by("user__username")
    )
    if not can_lead(actor, workspace_id):
        memberships = memberships.filter(user=actor)
    members = list(memberships)
    ids = [m.user_id for m in members]
    if actor is not None and actor.pk in ids:
        availability_for(workspace_id, actor.pk)
    rows = {
        row.user_id: row for row in Availability.objects.filter(workspace_id=workspace_id, user_id__in=ids)
    }
    open_counts = open_held(workspace_id, ids)
    local_day = day_start(workspace_id, now)
    today = abusive_since(workspace_id, ids, local_day)
    week = abusive_since(workspace_id, ids, now - timedelta(days=7))
    working = working_now(workspace_id, ids, now)
    weeks: dict[int, list[Shift]] = {}
    for shift in Shift.objects.filter(workspace_id=workspace_id, user_id__in=ids):
        weeks.setdefault(shift.user_id, []).append(shift)
    days_off: dict[int, list[str]] = {}
    upcoming = ShiftException.objects.filter(
        workspace_id=workspace_id, user_id__in=ids, day__gte=local_day.date()
    )
    for exception in upcoming:
        hours = (
            f" {exception.starts:%H:%M}-{exception.ends:%H:%M}"
            if exception.starts and exception.ends
            else " off"
        )
        days_off.setdefault(exception.user_id, []).append(f"{exception.day:%Y-%m-%d}{hours}")
    default_capacity = settings_for(workspace_id).default_capacity
    found = []
    for membership in members:
        row = rows.get(membership.user_id) or Availability(
            workspace_id=workspace_id, user_id=membership.user_id
        )
        shifts = weeks.get(membership.user_id, [])
        found.append(
            MemberLoad(
                user_id=membership.user_id,
                username=membership.user.username,
                role=membership.role,
                status=row.status,
                status_source=row.status_source,
                status_changed_at=row.status_changed_at,
                last_active_at=row.last_active_at,
                on_shift=working.get(membership.user_id),
                open=open_counts.get(membership.user_id, 0),
                capacity=row.capacity or default_capacity,
                abusive_today=today.get(membership.user_id, 0),
                abusive_week=week.get(membership.user_id, 0),
                abusive_in_a_row=row.abusive_in_a_row,
                languages=list(row.languages),
                networks=list(row.networks),
                categories=list(row.categories),
                week=week_text(shifts),
                zone=shifts[0].timezone if shifts else "",
                days_off=days_off.get(membership.user_id, []),
            )
        )
    return found


def perspective_note(workspace_id: int, user_id: int) -> str:
    """The policy's note for a member who has just had a run of abusive conversations, else ""."""
    found = active_policy_version(workspace_id)
    if found is None:
        return ""
    limit = found[1].assignment.keep_perspective.abusive_in_a_row
    streak = (
        Availability.objects.filter(workspace_id=workspace_id, user_id=user_id)
        .values_list("abusive_in_a_row", flat=True)
        .first()
    )
    return found[1].assignment.keep_perspective.note if limit and streak and streak >= limit else ""
