"""Weekly shifts and their exceptions, turned into working windows in UTC: who is on shift now, and
how many people are scheduled per planning interval."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.models import User
from django.db import transaction

from socialdesk.errors import DeskError
from socialdesk.roster.availability import member_named, require_self_or_lead
from socialdesk.roster.models import Shift, ShiftException

Window = tuple[datetime, datetime]


@dataclass(frozen=True)
class WeeklyHours:
    weekday: int  # 0 Monday
    starts: time
    ends: time


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DeskError(f"Unknown time zone {name!r} (an IANA name such as Europe/Madrid).") from None


def parse_hours(text: str) -> tuple[time, time]:
    """'09:00-17:30' → (09:00, 17:30); the end must be after the start."""
    try:
        first, second = (part.strip() for part in text.split("-"))
        starts, ends = time.fromisoformat(first), time.fromisoformat(second)
    except ValueError:
        raise DeskError(f"Hours {text!r} are not HH:MM-HH:MM.") from None
    if ends <= starts:
        raise DeskError(f"Hours {text!r} end before they start (split a night shift at midnight).")
    return starts, ends


def set_week(
    actor: User | None, workspace_id: int, username: str, hours: list[WeeklyHours], zone: str
) -> int:
    """Replace a member's weekly shifts."""
    user = member_named(workspace_id, username)
    require_self_or_lead(actor, workspace_id, user.pk, "shifts")
    _zone(zone)
    for row in hours:
        if not 0 <= row.weekday <= 6 or row.ends <= row.starts:
            raise DeskError(f"A shift needs a weekday 0-6 and an end after its start ({row}).")
    with transaction.atomic():
        Shift.objects.filter(workspace_id=workspace_id, user=user).delete()
        Shift.objects.bulk_create(
            Shift(
                workspace_id=workspace_id,
                user=user,
                weekday=r.weekday,
                starts=r.starts,
                ends=r.ends,
                timezone=zone,
            )
            for r in hours
        )
    return len(hours)


def add_exception(
    actor: User | None,
    workspace_id: int,
    username: str,
    day: date,
    zone: str,
    hours: tuple[time, time] | None = None,
    note: str = "",
) -> ShiftException:
    """One date off (no hours) or with other hours; it replaces that date's weekly shifts."""
    user = member_named(workspace_id, username)
    require_self_or_lead(actor, workspace_id, user.pk, "shifts")
    _zone(zone)
    starts, ends = hours if hours else (None, None)
    return ShiftException.objects.create(
        workspace_id=workspace_id,
        user=user,
        day=day,
        starts=starts,
        ends=ends,
        timezone=zone,
        note=note[:200],
    )


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone)


def windows(
    workspace_id: int, start: datetime, end: datetime, user_ids: list[int] | None = None
) -> dict[int, list[Window]]:
    """Each member's working windows overlapping [start, end), in UTC, exceptions applied."""
    shifts = Shift.objects.filter(workspace_id=workspace_id)
    exceptions = ShiftException.objects.filter(
        workspace_id=workspace_id,
        day__gte=(start - timedelta(days=1)).date(),
        day__lte=(end + timedelta(days=1)).date(),
    )
    if user_ids is not None:
        shifts, exceptions = shifts.filter(user_id__in=user_ids), exceptions.filter(user_id__in=user_ids)
    weekly: dict[int, list[Shift]] = defaultdict(list)
    for shift in shifts:
        weekly[shift.user_id].append(shift)
    special: dict[tuple[int, date], list[ShiftException]] = defaultdict(list)
    for exception in exceptions:
        special[(exception.user_id, exception.day)].append(exception)
    found: dict[int, list[Window]] = defaultdict(list)
    first_day, last_day = (start - timedelta(days=1)).date(), (end + timedelta(days=1)).date()
    members = set(weekly) | {user for user, _ in special}
    for user_id in members:
        day = first_day
        while day <= last_day:
            if (user_id, day) in special:
                for row in special[(user_id, day)]:
                    if row.starts is not None and row.ends is not None:
                        zone = ZoneInfo(row.timezone)
                        found[user_id].append((_local(day, row.starts, zone), _local(day, row.ends, zone)))
            else:
                for shift in weekly.get(user_id, []):
                    if shift.weekday == day.weekday():
                        zone = ZoneInfo(shift.timezone)
                        found[user_id].append(
                            (_local(day, shift.starts, zone), _local(day, shift.ends, zone))
                        )
            day += timedelta(days=1)
        found[user_id] = sorted((a, b) for a, b in found[user_id] if b > start and a < end)
    return dict(found)


def working_now(workspace_id: int, user_ids: list[int], at: datetime) -> dict[int, bool]:
    """On shift at `at`, for the members who have shifts; members without any are left out (their
    status alone says whether they work)."""
    scheduled = set(
        Shift.objects.filter(workspace_id=workspace_id, user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )
    scheduled |= set(
        ShiftException.objects.filter(workspace_id=workspace_id, user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )
    spans = windows(workspace_id, at, at + timedelta(seconds=1), sorted(scheduled)) if scheduled else {}
    return {user: any(a <= at < b for a, b in spans.get(user, [])) for user in scheduled}


def scheduled_agents(workspace_id: int, start: datetime, end: datetime, step: timedelta) -> list[float]:
    """People scheduled per interval from `start` (a member on shift for half an interval counts 0.5)."""
    count = int((end - start) / step)
    totals = [0.0] * count
    for spans in windows(workspace_id, start, end).values():
        for a, b in spans:
            index = max(0, int((a - start) / step))
            while index < count:
                lo, hi = start + index * step, start + (index + 1) * step
                overlap = (min(b, hi) - max(a, lo)) / step
                if overlap <= 0 and lo >= b:
                    break
                totals[index] += max(0.0, overlap)
                index += 1
    return [round(value, 4) for value in totals]


def parse_week(text: str) -> list[WeeklyHours]:
    """'mon 09:00-17:00' per line (several ranges on a line: 'sat 09:00-13:00 14:00-18:00'; 'mon-fri'
    spans days) → weekly hours."""
    found: list[WeeklyHours] = []
    for line in text.splitlines():
        parts = line.replace(",", " ").split()
        if not parts:
            continue
        days, ranges = parts[0].lower(), parts[1:]
        first, _, last = days.partition("-")
        try:
            start = DAYS.index(first[:3])
            end = DAYS.index(last[:3]) if last else start
        except ValueError:
            raise DeskError(f"{line.strip()!r}: start with a day (mon … sun, or mon-fri).") from None
        if not ranges or end < start:
            raise DeskError(f"{line.strip()!r}: give the hours, e.g. 'mon-fri 09:00-17:00'.")
        for weekday in range(start, end + 1):
            for hours in ranges:
                starts, ends = parse_hours(hours)
                found.append(WeeklyHours(weekday, starts, ends))
    return found


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
