"""Business-hours arithmetic: due times that skip nights, weekends and holidays, across DST changes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import holidays

from socialdesk.policy.schema import BusinessHours, Policy, Priority, Targets

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SEARCH_DAYS = 400


class BusinessCalendar:
    def __init__(self, hours: BusinessHours) -> None:
        self.hours = hours
        self.zone = ZoneInfo(hours.timezone)
        self._holiday_years: set[int] = set()

    @cached_property
    def _holidays(self) -> holidays.HolidayBase:
        spec = self.hours.holidays
        if spec.country is None:
            return holidays.HolidayBase()
        return holidays.country_holidays(spec.country, subdiv=spec.subdivision)

    def is_holiday(self, day: date) -> bool:
        return day in self.hours.holidays.extra or (
            self.hours.holidays.country is not None and day in self._holidays
        )

    def intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """Opening intervals of a local calendar day, as aware datetimes (empty on holidays)."""
        if self.is_holiday(day):
            return []
        result = []
        for item in self.hours.week.get(WEEKDAYS[day.weekday()], []):  # type: ignore[call-overload]
            start_text, end_text = item.split("-")
            start = datetime.combine(day, time.fromisoformat(start_text), tzinfo=self.zone)
            if end_text == "24:00":
                end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.zone)
            else:
                end = datetime.combine(day, time.fromisoformat(end_text), tzinfo=self.zone)
            result.append((start, end))
        return result

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        return any(start <= local < end for start, end in self.intervals(local.date()))

    def add(self, start: datetime, minutes: float) -> datetime:
        """The moment `minutes` of opening time after `start`."""
        remaining = timedelta(minutes=minutes)
        local = start.astimezone(self.zone)
        day = local.date()
        for _ in range(SEARCH_DAYS):
            for open_at, close_at in self.intervals(day):
                if close_at <= local:
                    continue
                begin = max(open_at, local)
                # Subtract in UTC so a DST change inside an interval counts real elapsed time.
                available = close_at.astimezone(ZoneInfo("UTC")) - begin.astimezone(ZoneInfo("UTC"))
                if remaining <= available:
                    return (begin.astimezone(ZoneInfo("UTC")) + remaining).astimezone(start.tzinfo)
                remaining -= available
            day += timedelta(days=1)
        raise ValueError(f"no opening hours within {SEARCH_DAYS} days of {start.isoformat()}")

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Opening time between two moments (zero if end is before start)."""
        if end <= start:
            return timedelta(0)
        total = timedelta(0)
        day = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        while day <= last:
            for open_at, close_at in self.intervals(day):
                lo, hi = max(open_at, start), min(close_at, end)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total


def targets_for(policy: Policy, priority: Priority, network: str) -> Targets:
    """The most specific SLA rule: one naming this network, else the priority's default."""
    specific = [r for r in policy.sla.rules if r.priority == priority and network in r.networks]
    default = [r for r in policy.sla.rules if r.priority == priority and not r.networks]
    return (specific or default)[0].targets


_calendars: dict[int, tuple[BusinessHours, BusinessCalendar]] = {}


def calendar_for(hours: BusinessHours) -> BusinessCalendar:
    """One calendar per parsed policy: building the holiday tables is the expensive part."""
    cached = _calendars.get(id(hours))
    if cached is None or cached[0] is not hours:
        if len(_calendars) > 256:
            _calendars.clear()
        cached = _calendars[id(hours)] = (hours, BusinessCalendar(hours))
    return cached[1]


def due_at(policy: Policy, start: datetime, minutes: int, business_hours: bool) -> datetime:
    if not business_hours:
        return start + timedelta(minutes=minutes)
    return calendar_for(policy.business_hours).add(start, minutes)


UNITS = {
    # language: (minute, minutes, hour, hours, day, days)
    "en": ("minute", "minutes", "hour", "hours", "day", "days"),
    "es": ("minuto", "minutos", "hora", "horas", "día", "días"),
    "pt": ("minuto", "minutos", "hora", "horas", "dia", "dias"),
    "fr": ("minute", "minutes", "heure", "heures", "jour", "jours"),
    "de": ("Minute", "Minuten", "Stunde", "Stunden", "Tag", "Tage"),
    "it": ("minuto", "minuti", "ora", "ore", "giorno", "giorni"),
}


def humanize_minutes(minutes: int, language: str = "en") -> str:
    """'45 minutes', '1 hour', '2 hours 30 minutes', '1.7 days' in the customer's language (English
    when it has no entry)."""
    one_min, many_min, one_hour, many_hours, one_day, many_days = UNITS.get(language, UNITS["en"])
    if minutes < 60:
        return f"{minutes} {one_min if minutes == 1 else many_min}"
    hours, rest = divmod(minutes, 60)
    if hours < 24:
        text = f"{hours} {one_hour if hours == 1 else many_hours}"
        return text + (f" {rest} {one_min if rest == 1 else many_min}" if rest else "")
    days = round(minutes / 1440, 1)
    return f"{days:g} {one_day if days == 1 else many_days}"
