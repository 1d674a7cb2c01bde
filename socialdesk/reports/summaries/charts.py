"""Charts drawn on the server as SVG: no script, no network, readable by screen readers (each chart
has a title and description, and the page prints the same numbers as a table below it).

A report's first column labels the x axis; its other number columns are the series."""

from __future__ import annotations

from html import escape

from socialdesk.reports.summaries.report import Report

WIDTH, HEIGHT = 720, 240
LEFT, BOTTOM, TOP, RIGHT = 48, 36, 12, 8
# Colour-blind safe (Okabe-Ito).
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
SENTIMENT_COLOURS = {"negative": "#D55E00", "neutral": "#999999", "positive": "#009E73"}


def _series(report: Report) -> list[tuple[str, str, list[float]]]:
    """(key, label, values) of each number column, for the chart."""
    found = []
    for index, column in enumerate(report.columns[1:], start=1):
        if column.kind == "text":
            continue
        values = [_number(row[index]) for row in report.rows]
        found.append((column.key, column.label, values))
    return found


def _kind(report: Report, key: str) -> str:
    return next(c.kind for c in report.columns if c.key == key)


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _colour(key: str, index: int) -> str:
    return SENTIMENT_COLOURS.get(key, COLOURS[index % len(COLOURS)])


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step: float = 10.0 ** len(str(int(value))) / 10
    for factor in (1, 2, 2.5, 5, 10):
        if value <= step * factor:
            return step * factor
    return value


def svg(report: Report) -> str:
    """The chart for a report, or "" when the report is best read as a table."""
    if report.chart not in ("bars", "stacked", "lines") or not report.rows:
        return ""
    series = _series(report)
    if report.columns[1].kind == "text":  # e.g. SLA: target and priority name the row together
        labels = [f"{row[0]} {row[1]}" for row in report.rows]
    else:
        labels = [str(row[0]) for row in report.rows]
    if report.name == "response_times":
        series = [
            (k, f"{label} (minutes)", [v / 60 for v in values])
            for k, label, values in series
            if k in ("median", "p90")
        ]
    if report.name == "sla":
        series = [s for s in series if s[0] in ("met_share", "met_wall_share")]
    stacked = report.chart == "stacked"
    if stacked:
        top = max((sum(values[i] for _, _, values in series) for i in range(len(labels))), default=0)
    else:
        top = max((max(values, default=0) for _, _, values in series), default=0)
    percent = all(_kind(report, key) == "percent" for key, _, _ in series)
    top = 100.0 if percent else _nice_max(top)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(labels), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-{report.name}-title chart-{report.name}-desc" class="chart">',
        f'<title id="chart-{report.name}-title">{escape(report.title)}</title>',
        f'<desc id="chart-{report.name}-desc">{escape(_description(report, series, labels))}</desc>',
    ]
    for step in range(5):  # gridlines and y labels
        value = top * step / 4
        y = TOP + plot_h - plot_h * step / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" class="axis">{_short(value)}</text>'
        )
    every = max(1, len(labels) // 12)
    for i, label in enumerate(labels):
        if i % every == 0:
            x = LEFT + slot * (i + 0.5)
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle" class="axis">'
                f"{escape(_tick(label))}</text>"
            )
    if report.chart == "lines":
        for n, (key, label, values) in enumerate(series):
            points = " ".join(
                f"{LEFT + slot * (i + 0.5):.1f},{TOP + plot_h - plot_h * v / top:.1f}"
                for i, v in enumerate(values)
            )
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{_colour(key, n)}" stroke-width="2">'
                f"<title>{escape(label)}</title></polyline>"
            )
    else:
        width = slot * 0.8 / (1 if stacked else max(len(series), 1))
        for i in range(len(labels)):
            base = 0.0
            for n, (key, label, values) in enumerate(series):
                v = values[i]
                h = plot_h * v / top
                x = LEFT + slot * i + slot * 0.1 + (0 if stacked else width * n)
                y = TOP + plot_h - h - (plot_h * base / top if stacked else 0)
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{h:.1f}" '
                    f'fill="{_colour(key, n)}">'
                    f"<title>{escape(labels[i])}: {escape(label)} {_short(v)}</title></rect>"
                )
                if stacked:
                    base += v
    for label, text in report.marks:
        if label in labels:
            x = LEFT + slot * (labels.index(label) + 0.5)
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{TOP + plot_h}" class="mark">'
                f"<title>{escape(label)}: {escape(text)}</title></line>"
            )
    legend_x = LEFT
    for n, (key, label, _) in enumerate(series):
        parts.append(
            f'<rect x="{legend_x}" y="{HEIGHT - 14}" width="10" height="10" fill="{_colour(key, n)}"/>'
        )
        parts.append(f'<text x="{legend_x + 14}" y="{HEIGHT - 5}" class="legend">{escape(label)}</text>')
        legend_x += 24 + 7 * len(label)
    parts.append("</svg>")
    return "".join(parts)


def _description(report: Report, series: list[tuple[str, str, list[float]]], labels: list[str]) -> str:
    totals = ", ".join(f"{label}: {_short(sum(values))} in all" for _, label, values in series[:4])
    marked = "".join(f" Marked {label}: {text}." for label, text in report.marks)
    return f"{len(labels)} rows; {totals}.{marked} The table below the chart holds every number."


def _tick(label: str) -> str:
    """Dates shortened to day/month; other labels cut to fit."""
    if len(label) == 10 and label[4] == "-" and label[7] == "-":
        return f"{label[8:10]}/{label[5:7]}"
    return label if len(label) <= 12 else label[:11] + "…"


def _short(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:.1f}k".replace(".0k", "k")
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"
