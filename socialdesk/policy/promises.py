"""What an automatic message promises, said the way the customer says it: `{expected_response}` is the
due time the desk itself computed (business hours included), in the customer's language and the
workspace's time zone. A promise of 'within an hour' when the team opens tomorrow morning is a lie."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_skeleton, format_time

# language: (today, tomorrow, a later day). {time} is the local time, {weekday} the day's name.
PHRASES: dict[str, tuple[str, str, str]] = {
    "en": ("by {time}", "by {time} tomorrow", "by {time} on {weekday}"),
    "es": ("antes de las {time}", "mañana antes de las {time}", "el {weekday} antes de las {time}"),
    "ca": ("abans de les {time}", "demà abans de les {time}", "el {weekday} abans de les {time}"),
    "pt": ("até às {time}", "amanhã até às {time}", "até {weekday} às {time}"),
    "fr": ("d'ici {time}", "demain d'ici {time}", "{weekday} d'ici {time}"),
    "it": ("entro le {time}", "domani entro le {time}", "{weekday} entro le {time}"),
    "de": ("bis {time} Uhr", "morgen bis {time} Uhr", "am {weekday} bis {time} Uhr"),
    "nl": ("vóór {time}", "morgen vóór {time}", "{weekday} vóór {time}"),
}


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def expected_response(due: datetime, now: datetime, language: str, zone: str) -> str:
    """'by 13:30', 'mañana antes de las 9:00', 'am Montag bis 10:00 Uhr': the due time relative to
    `now`, both seen in the workspace's zone. A language without phrases gets the bare date and time
    in its own format rather than an English sentence."""
    tz = ZoneInfo(zone)
    local_due, local_now = due.astimezone(tz), now.astimezone(tz)
    locale = _locale(language)
    if language not in PHRASES:
        if local_due.date() == local_now.date():
            return format_time(local_due, "short", locale=locale)
        return format_datetime(local_due, "short", locale=locale)
    today, tomorrow, later = PHRASES[language]
    clock = format_time(local_due, "HH:mm", locale=locale)
    days = (local_due.date() - local_now.date()).days
    if days <= 0:
        return today.format(time=clock)
    if days == 1:
        return tomorrow.format(time=clock)
    if local_due - local_now > timedelta(days=6):
        # The locale's own day-and-month order and words: "30. November", "30 de novembro".
        weekday = format_skeleton("MMMMd", local_due.date(), locale=locale)
    else:
        weekday = format_date(local_due.date(), "EEEE", locale=locale)
    return later.format(time=clock, weekday=weekday)
