"""A suggested rota: fixed-length shifts that put at least the required people on every interval,
chosen greedily (the uncovered interval that comes first is covered by the shift, among those that
include it, that covers the most still-uncovered need). Greedy set cover is not optimal, but it is
within a small factor of it, never leaves an interval short, and a lead can read why each shift is
there."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RotaShift:
    starts: datetime
    ends: datetime
    people: int


def suggest_rota(
    starts: list[datetime], required: list[int], step: timedelta, length: int
) -> list[RotaShift]:
    """Shifts of `length` intervals (cut at the end of the plan) covering `required` people per
    interval starting at `starts`."""
    need = list(required)
    chosen: Counter[int] = Counter()
    count = len(need)
    for first in range(count):
        while need[first] > 0:
            candidates = range(max(0, first - length + 1), first + 1)
            best = max(
                candidates, key=lambda s: (sum(1 for j in range(s, min(s + length, count)) if need[j] > 0), s)
            )
            for j in range(best, min(best + length, count)):
                need[j] -= 1
            chosen[best] += 1
    return [
        RotaShift(starts[s], starts[min(s + length, count) - 1] + step, people)
        for s, people in sorted(chosen.items())
    ]
