"""The staffing plan in the desk, for leads and admins: required against scheduled people per
interval as a chart, the understaffed intervals, the suggested rota, and a "what if" volume factor."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from socialdesk.errors import DeskError
from socialdesk.planning.chart import staffing_svg
from socialdesk.planning.staffing import parsed_options, staffing_plan
from socialdesk.reports.summaries.access import reporting_workspace
from socialdesk.web.auth import signed_in
from socialdesk.web.clock import use_workspace_clock
from socialdesk.web.errors import shows_desk_errors


def _error_page(request: HttpRequest, error: DeskError, **_: object) -> HttpResponse:
    return render(request, "web/planning.html", {"plan_error": str(error)}, status=error.status)


@login_required
@shows_desk_errors(_error_page)
def planning(request: HttpRequest) -> HttpResponse:
    q = request.GET
    workspace = reporting_workspace(signed_in(request), q.get("workspace"))
    weeks, factor = parsed_options(q.get("weeks"), q.get("volume_factor"))
    plan = staffing_plan(signed_in(request), workspace, timezone.now(), weeks, factor)
    use_workspace_clock(request, workspace.pk)
    required, scheduled = plan.person_hours()
    context = {
        "plan": plan,
        # The SVG is built from escaped text only (chart.py escapes every label).
        "chart": mark_safe(staffing_svg(plan)),  # noqa: S308
        "busy": [i for i in plan.intervals if i.required or i.scheduled],
        "required_hours": required,
        "scheduled_hours": scheduled,
        "interval_minutes": plan.step.seconds // 60,
    }
    return render(request, "web/planning.html", context)
