"""Reports in the REST API: the same tables the desk draws, as JSON rows (durations in seconds,
shares in percent), or as CSV/XLSX with `format`."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from socialdesk.api.auth import signed_in
from socialdesk.api.schemas import Problem
from socialdesk.reports.summaries.access import read_reports
from socialdesk.reports.summaries.catalog import NAMES
from socialdesk.reports.summaries.exports import FORMATS
from socialdesk.reports.summaries.exports import render as export

router = Router(tags=["reports"])


class ColumnOut(Schema):
    key: str
    label: str
    kind: str


class ReportOut(Schema):
    name: str
    title: str
    workspace: str
    first_day: str
    last_day: str
    time_zone: str
    columns: list[ColumnOut]
    rows: list[dict[str, Any]]
    note: str


class ReportIndex(Schema):
    reports: list[str]


@router.get("", response=ReportIndex)
def report_names(request: HttpRequest) -> dict[str, object]:
    signed_in(request)
    return {"reports": list(NAMES)}


@router.get("/{name}", response={200: ReportOut, 404: Problem, 422: Problem})
def report(
    request: HttpRequest,
    name: str,
    workspace: str = "",
    start: str = "",
    end: str = "",
    format: Literal["json", "csv", "xlsx"] = "json",
) -> Any:
    """`start`/`end`: ISO dates (inclusive) in the workspace's zone; the last 30 days by default."""
    reading = read_reports(signed_in(request), workspace or None, [name], start or None, end or None)
    found, period = reading.reports[0], reading.period
    if format != "json":
        response = HttpResponse(export(found, format), content_type=FORMATS[format])
        filename = f"{reading.workspace.slug}-{name}-{period.first_day}-{period.last_day}.{format}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return {
        "name": found.name,
        "title": found.title,
        "workspace": reading.workspace.slug,
        "first_day": period.first_day.isoformat(),
        "last_day": period.last_day.isoformat(),
        "time_zone": str(getattr(period.zone, "key", period.zone)),
        "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in found.columns],
        "rows": found.as_dicts(),
        "note": found.note,
    }
