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

    def add(self, values: Sequence[Cell], links: Sequence[str | None] | None = None) -> None:
        self.rows.append(list(values))
        self.links.append(list(links) if links else [None] * len(values))

    def as_dicts(self) -> list[dict[str, Cell]]:
        return [{c.key: value for c, value in zip(self.columns, row, strict=True)} for row in self.rows]
