"""Inbound volume per planning interval for the coming weeks, from the workspace's history of new
conversations (`FactKind.OPENED`: each one is a first response to give).

The method ("recent weeks, weighted, with a trend"):

1. **Shape.** Each interval is the weighted average of the same local interval (same weekday and wall
   clock time in the workspace's zone, so a daylight-saving change keeps 09:00 at 09:00) in the last
   `WEEKS` weeks, weight `DECAY**(k-1)` for the week k weeks back, then blended with its neighbours
   (¼, ½, ¼) so that one busy half hour in one week does not become a peak for every week after.
   Weeks before the history began are left out of the average, not counted as zero.
2. **Level.** A straight line through the weekly totals of those weeks gives the total expected for the
   forecast week; the shape is scaled by that total over the total the weighted average implies. The
   scale is kept between ½ and 2 and needs four weeks of history (fewer: no trend).

The baseline it must beat is seasonal naive: the same interval one week earlier (for later weeks of
the horizon, the last week seen). `errors` scores both on weeks held back from the history."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

WEEKS = 8
DECAY = 0.75
TREND_MIN_WEEKS = 4
WEEK = timedelta(weeks=1)


def interval_starts(start: datetime, count: int, step: timedelta) -> list[datetime]:
    return [start + i * step for i in range(count)]


def weeks_back(moment: datetime, weeks: int, zone: tzinfo) -> datetime:
    """The same wall-clock time `weeks` weeks earlier in `zone`, in UTC."""
    local = moment.astimezone(zone)
    return (local - weeks * WEEK).astimezone(UTC)


@dataclass(frozen=True)
class History:
    """Counts per interval start, known from `first` (inclusive) to `origin` (exclusive)."""

    counts: Counter[datetime]
    first: datetime
    origin: datetime
    step: timedelta
    zone: tzinfo

    def at(self, moment: datetime) -> float | None:
        """The count of the interval starting at `moment`, or None outside the known history."""
        if not self.first <= moment < self.origin:
            return None
        return float(self.counts.get(moment, 0))


def seasonal_naive(history: History, starts: list[datetime]) -> list[float]:
    """The same interval a week before; for the weeks after the first, the last week seen."""
    values = []
    for moment in starts:
        for weeks in range(1, 1 + math.ceil((moment - history.origin + history.step) / WEEK) + 1):
            seen = history.at(weeks_back(moment, weeks, history.zone))
            if seen is not None:
                values.append(seen)
                break
        else:
            values.append(0.0)
    return values


def _weighted(history: History, moment: datetime, ahead: int) -> float | None:
    """Weighted mean of the same local interval in the WEEKS weeks before the history's origin."""
    total = weight = 0.0
    for k in range(1, WEEKS + 1):
        seen = history.at(weeks_back(moment, ahead + k - 1, history.zone))
        if seen is not None:
            total += DECAY ** (k - 1) * seen
            weight += DECAY ** (k - 1)
    return total / weight if weight else None


def _weekly_totals(history: History) -> list[float]:
    """Totals of the whole weeks before the origin, most recent first."""
    totals = []
    for k in range(1, WEEKS + 1):
        week_start = weeks_back(history.origin, k, history.zone)
        if week_start < history.first:
            break
        week_end = weeks_back(history.origin, k - 1, history.zone)
        totals.append(float(sum(v for at, v in history.counts.items() if week_start <= at < week_end)))
    return totals


def _level(totals: list[float], weeks_ahead: int) -> float:
    """Expected total `weeks_ahead` weeks after the last one (1: the next week) over the total the
    weighted average stands for; 1 without enough weeks."""
    if len(totals) < TREND_MIN_WEEKS:
        return 1.0
    ages = list(range(1, len(totals) + 1))  # 1: the last whole week
    mean_age = sum(ages) / len(ages)
    mean_total = sum(totals) / len(totals)
    spread = sum((a - mean_age) ** 2 for a in ages)
    slope = sum((a - mean_age) * (t - mean_total) for a, t in zip(ages, totals, strict=True)) / spread
    weights = [DECAY ** (a - 1) for a in ages]
    weighted_age = sum(w * a for w, a in zip(weights, ages, strict=True)) / sum(weights)
    weighted_total = mean_total + slope * (weighted_age - mean_age)
    expected = mean_total + slope * (1 - weeks_ahead - mean_age)
    if weighted_total <= 0:
        return 1.0
    return min(2.0, max(0.5, expected / weighted_total))


def recent_weeks(history: History, starts: list[datetime]) -> list[float]:
    """The documented method (module docstring): shape from weighted recent weeks, level from the
    trend of weekly totals."""
    totals = _weekly_totals(history)
    shaped = []
    for moment in starts:
        ahead = max(1, math.ceil((moment - history.origin + history.step) / WEEK))
        around = [_weighted(history, moment + shift * history.step, ahead) for shift in (-1, 0, 1)]
        centre = around[1] if around[1] is not None else 0.0
        sides = [value if value is not None else centre for value in (around[0], around[2])]
        shaped.append((0.25 * sides[0] + 0.5 * centre + 0.25 * sides[1]) * _level(totals, ahead))
    return shaped


@dataclass(frozen=True)
class Errors:
    mae: float
    rmse: float
    wape: float  # sum of absolute errors over the sum of actual volume (MAPE without dividing by zero)


def errors(forecast: list[float], actual: list[float]) -> Errors:
    diffs = [f - a for f, a in zip(forecast, actual, strict=True)]
    n = len(diffs) or 1
    volume = sum(actual)
    return Errors(
        mae=sum(abs(d) for d in diffs) / n,
        rmse=math.sqrt(sum(d * d for d in diffs) / n),
        wape=sum(abs(d) for d in diffs) / volume if volume else 0.0,
    )


def backtest(history: History, held_weeks: int) -> dict[str, Errors]:
    """Hold back the last `held_weeks` weeks, forecast them from before, score both methods."""
    origin = weeks_back(history.origin, held_weeks, history.zone)
    known = History(history.counts, history.first, origin, history.step, history.zone)
    starts = []
    moment = origin
    while moment < history.origin:
        starts.append(moment)
        moment += history.step
    actual = [float(history.counts.get(m, 0)) for m in starts]
    return {
        "seasonal naive": errors(seasonal_naive(known, starts), actual),
        "recent weeks": errors(recent_weeks(known, starts), actual),
    }
