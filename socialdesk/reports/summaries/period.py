"""The period a report covers: whole local days in the workspace's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from socialdesk.errors import DeskError

MAX_DAYS = 400


@dataclass(frozen=True)
class Period:
    first_day: date
    last_day: date  # inclusive
    zone: tzinfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time(0), self.zone).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """Exclusive: the start of the day after the last."""
        return datetime.combine(self.last_day + timedelta(days=1), time(0), self.zone).astimezone(UTC)

    @property
    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=n) for n in range((self.last_day - self.first_day).days + 1)]

    def label(self) -> str:
        return f"{self.first_day:%d %b %Y} - {self.last_day:%d %b %Y}"

    def query(self) -> str:
        """The period as the pages and the API take it."""
        return f"from={self.first_day.isoformat()}&to={self.last_day.isoformat()}"


def period_of(
    zone: tzinfo, today: date, first: str | None = None, last: str | None = None, days: int = 30
) -> Period:
    """Parse from/to (ISO dates, inclusive); by default the `days` days up to and including today."""
    try:
        last_day = date.fromisoformat(last) if last else today
        first_day = date.fromisoformat(first) if first else last_day - timedelta(days=days - 1)
    except ValueError as exc:
        raise DeskError("dates are written YYYY-MM-DD", code="bad_period") from exc
    if first_day > last_day:
        raise DeskError("the period starts after it ends", code="bad_period")
    if (last_day - first_day).days >= MAX_DAYS:
        raise DeskError(f"a report covers at most {MAX_DAYS} days", code="bad_period")
    return Period(first_day, last_day, zone)
