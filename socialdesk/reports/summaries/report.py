"""A report as every reader gets it: a titled table whose cells may link to the inbox filtered to
the conversations behind the number. Pages draw a chart from it and print the same table under the
chart; CSV, XLSX, the API and the scheduled emails all render this one object."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

Cell = str | int | float | None


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # How the value is shown: text, count, seconds (a duration), percent (0-100), score (CSAT 1-5).
    kind: str = "count"


@dataclass
class Report:
    name: str
    title: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    # Same shape as rows: an inbox link (path and query) for a cell, or None.
    links: list[list[str | None]] = field(default_factory=list)
    # How the page draws it: "bars" (first column labels, the others series), "stacked", "lines", "table".
    chart: str = "bars"
    note: str = ""
    # Events drawn on the chart's timeline: (the row's first cell, e.g. a day, and what happened).
    marks: list[tuple[str, str]] = field(default_factory=list)

    def add(self, values: Sequence[Cell], links: Sequence[str | None] | None = None) -> None:
        self.rows.append(list(values))
        self.links.append(list(links) if links else [None] * len(values))

    def drop(self, key: str) -> None:
        """Leave a column out (a breakdown where it means nothing)."""
        index = next(i for i, c in enumerate(self.columns) if c.key == key)
        del self.columns[index]
        for row, links in zip(self.rows, self.links, strict=True):
            del row[index], links[index]

    def as_dicts(self) -> list[dict[str, Cell]]:
        return [{c.key: value for c, value in zip(self.columns, row, strict=True)} for row in self.rows]


def shown(value: Cell, kind: str) -> str:
    """A cell as people read it: durations in minutes or hours, shares with a percent sign."""
    if value is None:
        return "-"
    if kind == "seconds" and isinstance(value, int | float):
        minutes = value / 60
        if minutes < 60:
            return f"{minutes:.0f} min" if minutes >= 1 else f"{value:.0f} s"
        hours, rest = divmod(round(minutes), 60)
        return f"{hours} h {rest} min" if hours < 48 else f"{minutes / 1440:.1f} days"
    if kind == "percent" and isinstance(value, int | float):
        return f"{value:.1f}%"
    if kind == "score" and isinstance(value, int | float):
        return f"{value:.2f}"
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
