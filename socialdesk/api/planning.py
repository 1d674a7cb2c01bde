"""The staffing plan in the REST API, for a workspace's leads and admins: the same numbers as the
planning page (per interval, the suggested rota, the basis of the calculation)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from socialdesk.api.auth import signed_in
from socialdesk.api.clock import use_workspace_clock
from socialdesk.api.schemas import Problem
from socialdesk.planning.staffing import parsed_options, staffing_plan
from socialdesk.policy.zone import zone_name
from socialdesk.workspaces.actions import workspaces_for

router = Router(tags=["planning"])


class IntervalOut(Schema):
    starts: str
    open: bool
    volume: float
    agents: int
    required: int
    scheduled: float
    gap: float
    service_level: float


class ShiftOut(Schema):
    starts: str
    ends: str
    people: int


class StaffingOut(Schema):
    workspace: str
    time_zone: str
    interval_minutes: int
    weeks: int
    volume_factor: float
    model: str
    service_level: float
    target_seconds: int
    handle_seconds: float
    handle_source: str
    patience_seconds: float | None
    occupancy_cap: float
    shrinkage: float
    history_weeks: int
    understaffed: int
    overstaffed: int
    required_person_hours: float
    scheduled_person_hours: float
    intervals: list[IntervalOut]
    rota: list[ShiftOut]


@router.get("/{slug}/staffing", response={200: StaffingOut, 403: Problem, 404: Problem, 422: Problem})
def staffing(request: HttpRequest, slug: str, weeks: str = "", volume_factor: str = "") -> Any:
    """`weeks` (1-8, default 2) from now; `volume_factor` multiplies the forecast (what if x2)."""
    workspace = get_object_or_404(workspaces_for(request.user), slug=slug)
    use_workspace_clock(workspace.pk)
    chosen_weeks, factor = parsed_options(weeks, volume_factor)
    plan = staffing_plan(signed_in(request), workspace, timezone.now(), chosen_weeks, factor)
    required, scheduled = plan.person_hours()
    return {
        "workspace": workspace.slug,
        "time_zone": zone_name(plan.zone),
        "interval_minutes": plan.step.seconds // 60,
        "weeks": plan.weeks,
        "volume_factor": plan.volume_factor,
        "model": plan.model,
        "service_level": plan.service_level,
        "target_seconds": plan.target_seconds,
        "handle_seconds": plan.handle.seconds,
        "handle_source": plan.handle.source,
        "patience_seconds": plan.patience_seconds,
        "occupancy_cap": plan.occupancy_cap,
        "shrinkage": plan.shrinkage,
        "history_weeks": plan.history_weeks,
        "understaffed": len(plan.under),
        "overstaffed": len(plan.over),
        "required_person_hours": required,
        "scheduled_person_hours": scheduled,
        "intervals": [
            {
                "starts": i.starts.isoformat(),
                "open": i.open,
                "volume": i.volume,
                "agents": i.agents,
                "required": i.required,
                "scheduled": i.scheduled,
                "gap": i.gap,
                "service_level": round(i.service_level, 4),
            }
            for i in plan.intervals
        ],
        "rota": [
            {"starts": s.starts.isoformat(), "ends": s.ends.isoformat(), "people": s.people}
            for s in plan.rota
        ],
    }
