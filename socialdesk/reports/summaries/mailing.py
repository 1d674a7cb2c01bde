"""The scheduled report email: an HTML part whose charts are tables of coloured cells (mail clients
strip SVG and scripts) above each report's numbers, a plain-text part with the same numbers, and each
report's CSV attached."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from socialdesk.reports.summaries.exports import render
from socialdesk.reports.summaries.period import Period
from socialdesk.reports.summaries.report import Cell, Column, Report

BAR_COLOUR = "#3b6fd8"
FONT = "font-family:Arial,Helvetica,sans-serif;font-size:13px"
MAX_BARS = 31  # a month of days; longer tables are still printed in full below the chart


@dataclass(frozen=True)
class Mailing:
    subject: str
    text: str
    html: str
    attachments: list[tuple[str, bytes, str]]


def shown(column: Column, value: Cell) -> str:
    """A cell as people read it: durations in minutes (as the CSV has them), percentages, scores."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    if column.kind == "seconds":
        return f"{value / 60:.1f} min"
    if column.kind == "percent":
        return f"{value:.1f}%"
    if column.kind == "score":
        return f"{value:.2f}"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}"


# Which column a chart draws: the share met, else the typical duration, else the score, else a count.
PREFERRED = ("percent", "seconds", "score", "count")


def _labels(report: Report) -> int:
    """How many leading text columns name a row (SLA rows are a target and a priority)."""
    count = 0
    for column in report.columns:
        if column.kind != "text":
            break
        count += 1
    return count


def _series(report: Report) -> int | None:
    if report.chart == "table" or not report.rows or not 0 < _labels(report) < len(report.columns):
        return None
    for kind in PREFERRED:
        for index, column in enumerate(report.columns):
            if column.kind == kind:
                return index
    return None


def _label(report: Report, row: list[Cell]) -> str:
    return " · ".join(shown(c, v) for c, v in zip(report.columns[: _labels(report)], row, strict=False))


def chart_html(report: Report) -> str:
    index = _series(report)
    if index is None:
        return ""
    column = report.columns[index]
    values = [row[index] if isinstance(row[index], int | float) else 0 for row in report.rows[:MAX_BARS]]
    top = max((float(v) for v in values if v is not None), default=0.0)
    lines = [
        f'<p style="{FONT};margin:8px 0 4px"><b>{escape(column.label)}</b></p>',
        '<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%">',
    ]
    for row, value in zip(report.rows[:MAX_BARS], values, strict=False):
        width = round(float(value or 0) / top * 100) if top > 0 else 0
        bar = (
            f'<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="{width}%"><tr>'
            f'<td bgcolor="{BAR_COLOUR}" style="background:{BAR_COLOUR};height:14px;font-size:0;'
            'line-height:0">&nbsp;</td></tr></table>'
            if width
            else ""
        )
        lines.append(
            f'<tr><td style="{FONT};width:30%;padding:2px 6px 2px 0;white-space:nowrap">'
            f"{escape(_label(report, row))}</td>"
            f'<td style="padding:2px 0">{bar}</td>'
            f'<td style="{FONT};width:80px;padding:2px 0 2px 6px;text-align:right">'
            f"{escape(shown(column, row[index]))}</td></tr>"
        )
    lines.append("</table>")
    return "\n".join(lines)


def _align(column: Column) -> str:
    return "left" if column.kind == "text" else "right"


def table_html(report: Report) -> str:
    cell = f"{FONT};padding:3px 8px;border-bottom:1px solid #ddd"
    head = "".join(
        f'<th scope="col" style="{cell};text-align:{_align(c)}">{escape(c.label)}</th>'
        for c in report.columns
    )
    body = [
        "<tr>"
        + "".join(
            f'<td style="{cell};text-align:{_align(c)}">{escape(shown(c, v))}</td>'
            for c, v in zip(report.columns, row, strict=True)
        )
        + "</tr>"
        for row in report.rows
    ]
    if not report.rows:
        body = [f'<tr><td colspan="{len(report.columns)}" style="{cell}">Nothing in this period.</td></tr>']
    return (
        '<table cellpadding="0" cellspacing="0" border="0" '
        'style="border-collapse:collapse;margin:8px 0 20px">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def table_text(report: Report) -> str:
    grid = [[c.label for c in report.columns]] + [
        [shown(c, v) for c, v in zip(report.columns, row, strict=True)] for row in report.rows
    ]
    widths = [max(len(line[i]) for line in grid) for i in range(len(report.columns))]
    out = []
    for line in grid:
        cells = [
            text.ljust(width) if column.kind == "text" else text.rjust(width)
            for text, width, column in zip(line, widths, report.columns, strict=True)
        ]
        out.append("  ".join(cells).rstrip())
    if not report.rows:
        out.append("Nothing in this period.")
    return "\n".join(out)


def compose(
    workspace_name: str, schedule_name: str, period: Period, reports: list[Report], link: str
) -> Mailing:
    one_day = period.first_day == period.last_day
    label = f"{period.first_day:%a %d %b %Y}" if one_day else period.label()
    subject = f"[{workspace_name}] {schedule_name}: {label}"
    text = [f"{schedule_name} · {workspace_name}", label, ""]
    html = [
        f'<html><body style="{FONT};color:#222">',
        f'<h1 style="font-size:18px">{escape(schedule_name)} · {escape(workspace_name)}</h1>',
        f'<p style="{FONT}">{escape(label)}</p>',
    ]
    attachments = []
    for report in reports:
        text += [report.title, "-" * len(report.title), table_text(report), ""]
        html += [f'<h2 style="font-size:15px;margin:20px 0 4px">{escape(report.title)}</h2>']
        if report.note:
            text.insert(len(text) - 1, report.note)
            html.append(f'<p style="{FONT};color:#555">{escape(report.note)}</p>')
        html += [chart_html(report), table_html(report)]
        filename = f"{report.name}-{period.first_day.isoformat()}-{period.last_day.isoformat()}.csv"
        attachments.append((filename, render(report, "csv"), "text/csv"))
    text += ["--", f"Change or stop this email: {link}"]
    html += [
        f'<p style="{FONT};color:#555">Change or stop this email: '
        f'<a href="{escape(link)}">{escape(link)}</a></p>',
        "</body></html>",
    ]
    return Mailing(subject[:200], "\n".join(text) + "\n", "\n".join(html) + "\n", attachments)


def message(mailing: Mailing, to: str, schedule_id: int) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=mailing.subject,
        body=mailing.text,
        from_email=settings.SOCIALDESK_EMAIL_FROM,
        to=[to],
        headers={"Auto-Submitted": "auto-generated", "X-Socialdesk-Schedule": str(schedule_id)},
    )
    email.attach_alternative(mailing.html, "text/html")
    for filename, content, mimetype in mailing.attachments:
        email.attach(filename, content, mimetype)
    return email
