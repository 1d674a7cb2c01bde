"""The staffing chart, drawn on the server as SVG like the report charts (no script, a title and a
description for screen readers, the same numbers in a table on the page): people required per
interval as bars, people scheduled as a line, and a red band under each understaffed interval."""

from __future__ import annotations

import math
from html import escape

from socialdesk.planning.staffing import Plan

WIDTH, HEIGHT = 960, 260
LEFT, BOTTOM, TOP, RIGHT = 40, 40, 12, 8
REQUIRED, SCHEDULED, UNDER = "#0072B2", "#E69F00", "#D55E00"  # Okabe-Ito, colour-blind safe


def staffing_svg(plan: Plan) -> str:
    intervals = plan.intervals
    count = len(intervals)
    width = WIDTH
    plot_w, plot_h = width - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = max([1.0, *(max(i.required, i.scheduled) for i in intervals)])
    top = float(4 * math.ceil(top / 4))  # four gridlines at whole people
    slot = plot_w / max(count, 1)

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * value / top

    under = plan.under
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {HEIGHT}" role="img" '
        'aria-labelledby="chart-staffing-title chart-staffing-desc" class="chart" id="staffing-chart">',
        '<title id="chart-staffing-title">People required and scheduled per interval</title>',
        f'<desc id="chart-staffing-desc">{count} intervals of {plan.step.seconds // 60} minutes; '
        f"{len(under)} understaffed, {len(plan.over)} overstaffed. "
        "The table below holds every number.</desc>",
    ]
    for step in range(5):
        value = top * step / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" class="grid"/>'
        )
        parts.append(
            f'<text x="{LEFT - 4}" y="{y(value) + 4:.1f}" text-anchor="end" class="axis">{value:g}</text>'
        )
    for index, interval in enumerate(intervals):
        x = LEFT + slot * index
        label = f"{interval.starts:%a %d/%m %H:%M}"
        if interval.starts.hour == 0 and interval.starts.minute == 0:
            day = escape(f"{interval.starts:%a %d/%m}")
            parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" class="axis">{day}</text>')
        if interval.required:
            parts.append(
                f'<rect x="{x:.1f}" y="{y(interval.required):.1f}" width="{max(slot * 0.9, 0.5):.2f}" '
                f'height="{plot_h * interval.required / top:.1f}" fill="{REQUIRED}" class="required">'
                f"<title>{escape(label)}: {interval.required} required, "
                f"{interval.scheduled:g} scheduled</title></rect>"
            )
        if interval.gap < 0:
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h + 2}" width="{max(slot, 0.5):.2f}" height="5" '
                f'fill="{UNDER}" class="under">'
                f"<title>{escape(label)}: short by {-interval.gap:g}</title></rect>"
            )
    points = " ".join(
        f"{LEFT + slot * i:.1f},{y(v.scheduled):.1f} {LEFT + slot * (i + 1):.1f},{y(v.scheduled):.1f}"
        for i, v in enumerate(intervals)
    )
    parts.append(
        f'<polyline points="{points}" fill="none" stroke="{SCHEDULED}" stroke-width="2" class="scheduled">'
        "<title>Scheduled</title></polyline>"
    )
    legend = ((REQUIRED, "Required on shift"), (SCHEDULED, "Scheduled"), (UNDER, "Understaffed"))
    x = LEFT
    for colour, text in legend:
        parts.append(f'<rect x="{x}" y="{HEIGHT - 14}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{HEIGHT - 5}" class="legend">{text}</text>')
        x += 24 + 7 * len(text)
    parts.append("</svg>")
    return "".join(parts)
