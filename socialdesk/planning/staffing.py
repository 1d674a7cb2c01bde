"""The staffing plan: for each interval of the coming weeks, the forecast volume (times a "what if"
factor), the agents Erlang C (or A, when the policy sets a patience) says it takes to answer the
policy's share within its first-response target, the people that means on shift (occupancy cap and
shrinkage applied), the people the rota has on shift, and the difference; then a suggested rota.

When the normal-priority target counts business hours only, nobody is required while the desk is
closed: what arrives then waits for the opening and is worked off, spread evenly, over the first
`BACKLOG_HOURS` open hours (a night's or a holiday's messages are not all answered in the first half
hour, and Erlang describes arrivals at random, not a queue already waiting)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from django.contrib.auth.models import User

from socialdesk.errors import DeskError
from socialdesk.planning.erlang import agents_needed, with_shrinkage
from socialdesk.planning.forecast import WEEKS, History, interval_starts, recent_weeks, weeks_back
from socialdesk.planning.history import HandleTime, counts_from_history, first_opened, measured_handle_time
from socialdesk.planning.rota import RotaShift, suggest_rota
from socialdesk.policy.actions import active_policy
from socialdesk.policy.clock import calendar_for, targets_for
from socialdesk.policy.zone import workspace_zone
from socialdesk.roster.shifts import scheduled_agents
from socialdesk.workspaces.actions import require_role
from socialdesk.workspaces.models import Role, Workspace

MAX_WEEKS = 8
MAX_FACTOR = 20.0
SHIFT_HOURS = 8
BACKLOG_HOURS = 2


@dataclass(frozen=True)
class Interval:
    starts: datetime  # in the workspace's zone
    open: bool
    volume: float  # new conversations expected (what-if factor applied, backlog from closed hours added)
    agents: int  # answering at once, from Erlang
    required: int  # on shift, shrinkage applied
    scheduled: float  # on shift in the rota (a half-interval shift counts half)
    service_level: float  # predicted with `agents`

    @property
    def gap(self) -> float:
        """Scheduled minus required: negative is understaffed."""
        return round(self.scheduled - self.required, 4)


@dataclass(frozen=True)
class Plan:
    workspace: Workspace
    zone: tzinfo
    step: timedelta
    weeks: int
    volume_factor: float
    model: str  # "Erlang C" or "Erlang A"
    service_level: float
    target_seconds: int
    handle: HandleTime
    patience_seconds: float | None
    occupancy_cap: float
    shrinkage: float
    history_weeks: int
    intervals: list[Interval]
    rota: list[RotaShift]

    @property
    def under(self) -> list[Interval]:
        return [i for i in self.intervals if i.gap < 0]

    @property
    def over(self) -> list[Interval]:
        return [i for i in self.intervals if i.gap > 0]

    def person_hours(self) -> tuple[float, float]:
        """(required, scheduled) person-hours over the plan."""
        hours = self.step / timedelta(hours=1)
        return (
            round(sum(i.required for i in self.intervals) * hours, 2),
            round(sum(i.scheduled for i in self.intervals) * hours, 2),
        )


def parsed_options(weeks: str | None, volume_factor: str | None) -> tuple[int, float]:
    """The plan's options as a form or query string gives them (empty: the defaults)."""
    try:
        found = (int(weeks) if weeks else 2, float(volume_factor) if volume_factor else 1.0)
    except ValueError:
        raise DeskError(
            "weeks is a whole number and the volume factor a number", code="invalid", status=422
        ) from None
    _checked(*found)
    return found


def _checked(weeks: int, volume_factor: float) -> None:
    if not 1 <= weeks <= MAX_WEEKS:
        raise DeskError(f"weeks must be 1 to {MAX_WEEKS}", code="invalid", status=422)
    if not 0 < volume_factor <= MAX_FACTOR:
        raise DeskError(
            f"the volume factor must be above 0 and at most {MAX_FACTOR:g}", code="invalid", status=422
        )


EPOCH = datetime(2000, 1, 3, tzinfo=UTC)  # a Monday; intervals line up on whole steps from it


def _aligned(moment: datetime, step: timedelta) -> datetime:
    return EPOCH + ((moment - EPOCH) // step) * step


def _history(workspace_id: int, origin: datetime, step: timedelta, zone: tzinfo) -> History:
    """New conversations per interval in the WEEKS weeks before `origin`, from the first one."""
    start = weeks_back(origin, WEEKS, zone)
    first_fact = first_opened(workspace_id, start, origin)
    first = max(start, _aligned(first_fact, step)) if first_fact else origin
    return History(counts_from_history(workspace_id, first, origin, step), first, origin, step, zone)


def with_backlog(volumes: list[float], is_open: list[bool], spread: int) -> list[float]:
    """What each interval has to answer: nothing while closed; what arrived meanwhile is added, in
    equal parts, to the next `spread` open intervals (to what is left of an earlier backlog too)."""
    answered: list[float] = []
    backlog: list[float] = []  # the waiting volume's share for each of the next open intervals
    waiting = 0.0
    for volume, open_now in zip(volumes, is_open, strict=True):
        if not open_now:
            waiting += volume
            answered.append(0.0)
            continue
        if waiting:
            backlog = [
                waiting / spread + (backlog[n] if n < len(backlog) else 0.0)
                for n in range(max(spread, len(backlog)))
            ]
            waiting = 0.0
        answered.append(volume + (backlog.pop(0) if backlog else 0.0))
    return answered


def staffing_plan(
    actor: User | None, workspace: Workspace, now: datetime, weeks: int = 2, volume_factor: float = 1.0
) -> Plan:
    """The plan for `weeks` weeks from the interval that `now` falls in, for leads and admins."""
    require_role(actor, workspace.pk, (Role.LEAD, Role.ADMIN), "Only leads and admins see the staffing plan.")
    _checked(weeks, volume_factor)
    policy = active_policy(workspace.pk)
    if policy is None:
        raise DeskError(
            "the workspace has no policy yet: the plan needs its targets", code="no_policy", status=422
        )
    settings = policy.staffing
    zone = workspace_zone(workspace.pk)
    step = timedelta(minutes=settings.interval_minutes)
    origin = _aligned(now, step)
    count = int(weeks * timedelta(weeks=1) / step)
    starts = interval_starts(origin, count, step)
    history = _history(workspace.pk, origin, step, zone)
    expected = (
        [v * volume_factor for v in recent_weeks(history, starts)]
        if history.first < origin
        else [0.0] * count
    )
    normal = targets_for(policy, "normal", "")
    calendar = calendar_for(policy.business_hours)
    is_open = [not normal.business_hours or calendar.is_open(moment) for moment in starts]
    per_hour = timedelta(hours=1) / step
    to_answer = with_backlog(expected, is_open, int(BACKLOG_HOURS * per_hour))
    target_seconds = 60 * (settings.target_minutes or normal.first_response_minutes)
    if settings.handle_seconds:
        handle = HandleTime(float(settings.handle_seconds), "policy")
    else:
        handle = measured_handle_time(workspace.pk, weeks_back(origin, WEEKS, zone), origin)
    patience = settings.patience_minutes * 60 if settings.patience_minutes else None
    scheduled = scheduled_agents(workspace.pk, origin, origin + count * step, step)
    intervals = []
    for moment, arriving, volume, open_now, on_shift in zip(
        starts, expected, to_answer, is_open, scheduled, strict=True
    ):
        if not open_now:
            intervals.append(
                Interval(moment.astimezone(zone), False, round(arriving, 2), 0, 0, on_shift, 1.0)
            )
            continue
        found = agents_needed(
            round(volume * per_hour, 2),
            handle.seconds,
            target_seconds,
            settings.service_level,
            patience,
            settings.occupancy_cap,
        )
        required = with_shrinkage(found.agents, settings.shrinkage)
        intervals.append(
            Interval(
                moment.astimezone(zone),
                True,
                round(volume, 2),
                found.agents,
                required,
                on_shift,
                found.service_level,
            )
        )
    length = int(timedelta(hours=SHIFT_HOURS) / step)
    rota = suggest_rota(
        starts=[i.starts for i in intervals],
        required=[i.required for i in intervals],
        step=step,
        length=length,
    )
    return Plan(
        workspace=workspace,
        zone=zone,
        step=step,
        weeks=weeks,
        volume_factor=volume_factor,
        model="Erlang A" if patience else "Erlang C",
        service_level=settings.service_level,
        target_seconds=target_seconds,
        handle=handle,
        patience_seconds=patience,
        occupancy_cap=settings.occupancy_cap,
        shrinkage=settings.shrinkage,
        history_weeks=(origin - history.first) // timedelta(weeks=1),
        intervals=intervals,
        rota=rota,
    )
