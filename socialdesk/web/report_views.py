"""Reports in the desk: every report of the catalog for a chosen period, each a chart above its
table, every number linking to the conversations behind it; and each as CSV or XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from socialdesk.errors import DeskError
from socialdesk.reports.summaries.access import read_reports
from socialdesk.reports.summaries.charts import svg
from socialdesk.reports.summaries.exports import FORMATS
from socialdesk.reports.summaries.exports import render as export
from socialdesk.reports.summaries.report import Report, shown
from socialdesk.web.auth import signed_in
from socialdesk.web.clock import use_workspace_clock
from socialdesk.web.errors import shows_desk_errors


def _error_page(request: HttpRequest, error: DeskError, **_: object) -> HttpResponse:
    return render(request, "web/reports.html", {"report_error": str(error)}, status=error.status)


def _table(report: Report) -> dict[str, object]:
    rows = [
        [
            {"text": shown(value, column.kind), "link": link, "number": column.kind != "text"}
            for column, value, link in zip(report.columns, row, links, strict=True)
        ]
        for row, links in zip(report.rows, report.links, strict=True)
    ]
    # The SVG is built from escaped text only (charts.py escapes every label).
    return {"report": report, "chart": mark_safe(svg(report)), "rows": rows}  # noqa: S308


@login_required
@shows_desk_errors(_error_page)
def reports(request: HttpRequest) -> HttpResponse:
    q = request.GET
    reading = read_reports(signed_in(request), q.get("workspace"), None, q.get("from"), q.get("to"))
    use_workspace_clock(request, reading.workspace.pk)
    context = {
        "reading": reading,
        "tables": [_table(r) for r in reading.reports],
        "query": f"workspace={reading.workspace.slug}&{reading.period.query()}",
    }
    return render(request, "web/reports.html", context)


@login_required
@shows_desk_errors(_error_page)
def report_export(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise DeskError(f"exports are {', '.join(FORMATS)}", code="not_found", status=404)
    q = request.GET
    reading = read_reports(signed_in(request), q.get("workspace"), [name], q.get("from"), q.get("to"))
    period = reading.period
    response = HttpResponse(export(reading.reports[0], fmt), content_type=FORMATS[fmt])
    filename = f"{reading.workspace.slug}-{name}-{period.first_day}-{period.last_day}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
