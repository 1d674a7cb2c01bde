"""Generated weeks of inbound volume for the forecast benchmark and tests: a daily shape (either a
smooth care-desk day or the hourly shape of the shipped Nimbus day, outage included), weekday factors,
a weekly trend, Poisson noise, and one outage afternoon somewhere in the history."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from socialdesk.planning.forecast import History

MADRID = ZoneInfo("Europe/Madrid")
NIMBUS_DAY = Path(__file__).parents[1] / "demo" / "nimbus_day.jsonl"
# Monday to Sunday: Mondays bring the weekend's problems, weekends are quieter.
WEEKDAY_FACTORS = (1.2, 1.05, 1.0, 1.0, 0.95, 0.7, 0.6)
# New conversations per hour on an average weekday, by local hour: quiet nights, a lunchtime and an
# evening peak.
SMOOTH_DAY = (
    0.6, 0.4, 0.3, 0.3, 0.3, 0.5, 1.2, 3.0, 6.0, 8.0, 9.0, 9.5,
    10.0, 9.5, 8.5, 8.0, 8.0, 8.5, 9.0, 9.5, 9.0, 7.0, 4.0, 1.5,
)  # fmt: skip


def nimbus_day_shape() -> tuple[float, ...]:
    """Posts per local (Madrid) hour on the shipped Nimbus day, its afternoon outage included, with a
    floor of 0.3 per hour so that the night is quiet rather than impossible."""
    hours = Counter[int]()
    for line in NIMBUS_DAY.read_text(encoding="utf-8").splitlines():
        row = json.loads(line) if line.strip() else {}
        if "at" in row and "id" in row:
            at = datetime.fromisoformat(row["at"].replace("Z", "+00:00")).astimezone(MADRID)
            hours[at.hour] += 1
    return tuple(max(0.3, float(hours[h])) for h in range(24))


def generated_history(
    weeks: int,
    *,
    day: tuple[float, ...] = SMOOTH_DAY,
    scale: float = 1.0,
    trend: float = 0.02,
    step: timedelta = timedelta(minutes=30),
    seed: int = 1,
    origin: datetime = datetime(2026, 11, 30, 23, 0, tzinfo=UTC),  # Monday 00:00 in Madrid
) -> History:
    """`weeks` weeks before `origin`: rate = day[hour] * weekday factor * scale * (1 + trend)^week,
    Poisson counts per interval, and an outage (three hours at four times the volume) on one weekday
    afternoon of the history."""
    rng = np.random.default_rng(seed)
    first = origin - timedelta(weeks=weeks)
    per_hour_intervals = timedelta(hours=1) / step
    outage_day = int(rng.integers(0, weeks * 7))
    counts: Counter[datetime] = Counter()
    moment = first
    while moment < origin:
        local = moment.astimezone(MADRID)
        week = (moment - first) // timedelta(weeks=1)
        rate = day[local.hour] * WEEKDAY_FACTORS[local.weekday()] * scale * (1 + trend) ** week
        if (moment - first).days == outage_day and 14 <= local.hour < 17:
            rate *= 4
        counts[moment] = int(rng.poisson(rate / per_hour_intervals))
        moment += step
    return History(counts, first, origin, step, MADRID)
