"""Reading the hourly rollups and the facts' durations for a period."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Sum

from socialdesk.reports.models import Fact, Rollup
from socialdesk.reports.summaries.period import Period

SUMS = ("count", "seconds", "business_seconds", "met", "met_wall", "scored", "score")


@dataclass
class Sums:
    count: int = 0
    seconds: float = 0.0
    business_seconds: float = 0.0
    met: int = 0
    met_wall: int = 0
    scored: int = 0
    score: int = 0

    def add(self, other: Sums) -> None:
        for name in SUMS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def met_share(self) -> float | None:
        return 100.0 * self.met / self.count if self.count else None

    @property
    def met_wall_share(self) -> float | None:
        return 100.0 * self.met_wall / self.count if self.count else None

    @property
    def average_score(self) -> float | None:
        return self.score / self.scored if self.scored else None


def _rows(workspace_id: int, period: Period, kind: str, dimension: str, target: str):  # type: ignore[no-untyped-def]
    return Rollup.objects.filter(
        workspace_id=workspace_id,
        dimension=dimension,
        kind=kind,
        target=target,
        hour__gte=period.start,
        hour__lt=period.end,
    )


def totals(
    workspace_id: int, period: Period, kind: str, dimension: str = "all", target: str = ""
) -> dict[str, Sums]:
    """Sums per value of the dimension over the whole period (summed by the database)."""
    found: dict[str, Sums] = {}
    rows = (
        _rows(workspace_id, period, kind, dimension, target)
        .values("value")
        .annotate(**{f"total_{name}": Sum(name) for name in SUMS})
    )
    for row in rows:
        found[row["value"]] = Sums(**{name: row[f"total_{name}"] or 0 for name in SUMS})
    return found


def total(workspace_id: int, period: Period, kind: str, target: str = "") -> Sums:
    return totals(workspace_id, period, kind, "all", target).get("", Sums())


def by_day(
    workspace_id: int, period: Period, kind: str, dimension: str = "all", target: str = ""
) -> dict[tuple[date, str], Sums]:
    """Sums per local day (the workspace's zone) and value."""
    found: dict[tuple[date, str], Sums] = defaultdict(Sums)
    rows = _rows(workspace_id, period, kind, dimension, target).values_list("hour", "value", *SUMS)
    for hour, value, *sums in rows:
        found[(hour.astimezone(period.zone).date(), value)].add(Sums(*sums))
    return found


def by_hour_of_day(workspace_id: int, period: Period, kind: str) -> dict[int, Sums]:
    found: dict[int, Sums] = defaultdict(Sums)
    rows = _rows(workspace_id, period, kind, "all", "").values_list("hour", *SUMS)
    for hour, *sums in rows:
        found[hour.astimezone(period.zone).hour].add(Sums(*sums))
    return found


def durations(
    workspace_id: int,
    period: Period,
    kind: str,
    *,
    target: str = "",
    by: str | None = None,
    column: str = "seconds",
) -> dict[object, list[float]]:
    """Each fact's `column` (wall-clock `seconds` or `business_seconds`) in the period, grouped by a
    fact column (None: all under one key ""), read from the covering (workspace, kind, at, ...) index."""
    facts = Fact.objects.filter(
        workspace_id=workspace_id,
        kind=kind,
        at__gte=period.start,
        at__lt=period.end,
        **{f"{column}__isnull": False},
    )
    if target:
        facts = facts.filter(target=target)
    found: dict[object, list[float]] = defaultdict(list)
    for key, value in facts.values_list(by or "kind", column):
        found["" if by is None or key is None else str(key)].append(value)
    return found


def scores(workspace_id: int, period: Period) -> dict[int, int]:
    """How many ratings of each score (1-5) the period holds."""
    rows = (
        Fact.objects.filter(workspace_id=workspace_id, kind="csat", at__gte=period.start, at__lt=period.end)
        .values_list("score")
        .annotate(n=Count("pk"))
    )
    return {score: n for score, n in rows if score is not None}


def percentile(values: Iterable[float], share: float) -> float | None:
    """The nearest-rank percentile (the value at or below which `share` of the values lie)."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, -(-len(ordered) * share // 1))  # ceil(n * share), at least 1
    return ordered[int(rank) - 1]


def median(values: Iterable[float]) -> float | None:
    """The usual median (the mean of the two middle values for an even count)."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2
