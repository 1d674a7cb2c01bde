"""Words that tell a lead a post is *not* part of today's incident although it sounds like it.

An incident is sudden: many people hit by one thing in the last minutes or hours. A post that says
the trouble has lasted for days or weeks ("since Monday", "desde hace semanas", "há três dias"), or
that it is not the outage ("not the outage", "no tiene nada que ver con la caída"), reports another
problem. Short durations ("for 20 minutes", "desde hace un rato", "since lunch") are the incident's
own words and are not matched. English, Spanish, Catalan, Portuguese, French, Italian, German and
Dutch; accents and case are ignored (the text is folded first).
"""

from __future__ import annotations

import re
import unicodedata

_NUMBER = (
    r"(?:\d+|two|three|four|five|several|a few|dos|tres|cuatro|varios|varias|unos|unas|duas|dois|tres|"
    r"quatro|varios|deux|trois|quatre|plusieurs|due|tre|quattro|diversi|zwei|drei|vier|mehrere|twee|drie|vier)"
)
_LONG = (
    r"(?:days?|weeks?|months?|dias?|semanas?|mes(?:es)?|meses|jours?|semaines?|mois|giorni|settimane|mesi|"
    r"tagen?|wochen?|monaten?|dagen|weken|maanden|dies|setmanes|mesos)"
)
_WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|miercoles|jueves|viernes|"
    r"sabado|domingo|segunda|terca|quarta|quinta|sexta|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"lunedi|martedi|mercoledi|giovedi|venerdi|sabato|montag|dienstag|mittwoch|donnerstag|freitag|samstag|"
    r"sonntag|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|dilluns|dimarts|dimecres|dijous|"
    r"divendres|dissabte|diumenge)"
)
_LONG_STANDING = re.compile(
    "|".join(
        [
            # "since yesterday/Monday/last week", in each language's words for since
            rf"\b(?:since|desde|depuis|seit|sinds|da|dal|dalla|des de|ha|há|fa)\s+"
            rf"(?:el |la |le |o |a |il |lo |"
            rf"last |la semana pasada|letzte[nm]? )?(?:yesterday|ayer|ahir|ontem|hier|gestern|ieri|gisteren|"
            rf"{_WEEKDAY}|last (?:week|month)|la semana pasada|a semana passada|la semaine derniere|"
            rf"letzter woche|vorige week|la settimana scorsa)\b",
            # "for three days", "desde hace semanas", "há dias", "depuis des semaines", "seit Wochen"
            rf"\b(?:for|desde hace|hace|fa|ha|há|depuis|seit|sinds|da|durante|pendant)\s+(?:(?:{_NUMBER}|des|"
            rf"unas?|uns?|umas?|une?|a|one|eine?|een|alcune|einigen?)\s+)?{_LONG}\b",
            rf"\b(?:{_NUMBER}|a|one|una|um|uma|une|ein|eine|een)\s+{_LONG}\s+"
            rf"(?:now|already|in a row|ya|seguid[oa]s|"
            rf"seguits|seguites|seguidos|seguidas|de seguida|d'affilee|di fila|am stuck|op rij)\b",
            rf"\bllev(?:o|a|amos|an) (?:ya )?(?:{_NUMBER} |una |un )?{_LONG}\b",
            r"\b(?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth) day in a row\b",
            r"\bevery (?:evening|night|day|week)\b|\bcada (?:dos por tres|noche|dia|tarde)\b",
            r"\btodas las (?:noches|tardes)\b|\btodos los dias\b|\btodas as noites\b|\btous les soirs\b",
            r"\bnot (?:only|just) today\b|\bno (?:solo|solamente) hoy\b|\bnao (?:so|apenas) hoje\b|"
            r"\bpas (?:seulement|que) aujourd'?hui\b|\bnicht nur heute\b|\bnon solo oggi\b",
            r"\b(?:yesterday|ayer|ahir|ontem|gestern|ieri|gisteren)\b",
            r"\bhier (?:soir|matin|apres-midi)\b|\b(?:anoche|anteayer)\b",
        ]
    )
)
_NOT_THE_INCIDENT = re.compile(
    r"\bnot (?:the|because of the|related to the) (?:outage|incident|problem)\b|\bnothing to do with\b|"
    r"\bunrelated to\b|\bno tiene nada que ver\b|\bno es (?:lo de|por) la (?:caida|averia)\b|"
    r"\bnao tem nada a ver\b|"
    r"\bnada a ver com\b|\brien a voir\b|\bn'a rien a voir\b|\bnichts (?:mit|zu tun)\b|\bnon c'entra\b|"
    r"\bniets te maken\b|\bno te res a veure\b"
)


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def long_standing(text: str) -> bool:
    """The post says its trouble started days or weeks ago."""
    return _LONG_STANDING.search(fold(text)) is not None


def not_the_incident(text: str) -> bool:
    """The post says it is about something else than the outage everyone reports."""
    return _NOT_THE_INCIDENT.search(fold(text)) is not None


def other_problem(text: str) -> bool:
    return long_standing(text) or not_the_incident(text)
