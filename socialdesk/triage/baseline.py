"""Rule-based triage: the fast baseline every message gets on ingest.

Word lists and patterns, no models: it keeps ingest fast and gives the policy engine its inputs.
The measured, model-based triage (issue 4) refines these fields; the shape stays the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

STOPWORDS = {
    "en": {
        "the",
        "is",
        "my",
        "and",
        "you",
        "for",
        "why",
        "how",
        "not",
        "this",
        "it",
        "i",
        "to",
        "of",
        "your",
        "no",
    },
    "es": {
        "el",
        "la",
        "de",
        "que",
        "y",
        "mi",
        "por",
        "no",
        "es",
        "en",
        "los",
        "se",
        "me",
        "hay",
        "sin",
        "una",
    },
    "pt": {
        "o",
        "a",
        "de",
        "que",
        "e",
        "meu",
        "minha",
        "não",
        "em",
        "um",
        "uma",
        "está",
        "por",
        "sem",
        "como",
    },
    "fr": {"le", "la", "de", "et", "je", "mon", "pas", "est", "pour", "les", "un", "une", "depuis", "plus"},
    "de": {"der", "die", "und", "ich", "nicht", "ist", "mein", "das", "mit", "ein", "eine", "seit", "kein"},
    "it": {"il", "la", "di", "che", "e", "non", "mio", "per", "un", "una", "sono", "ho", "da"},
}
LEGAL = re.compile(
    r"(?i)\b(lawyer|attorney|solicitor|lawsuit|sue|suing|legal action|court|small claims|ombudsman|"
    r"consumer protection|abogad[oa]|denunci\w*|demand\w*|tribunal|juzgado|ocu|facua|advogad[oa]|processar|"
    r"procon|avocat|tribunal|anwalt|klage)\b"
)
ABUSE = re.compile(
    r"(?i)(\b(idiots?|morons?|stupid|imbeciles?|scum|pathetic|f\*+k?|fuck\w*|shit\w*|bastards?|"
    r"idiotas?|inútiles|imbéciles?|ladrones|gilipollas|cabrones|mierda|otários?|idiotas|merda)\b|f\*{2,})"
)
SPAM = re.compile(
    r"(?i)(earn \$?\d|\$\d{3,}/(week|day)|giveaway|free iphone|crypto|dm me for|follow ?back|#f4f|"
    r"gana dinero|click here|bit\.ly|\.win\b)"
)
EMAIL = re.compile(r"(?i)\b[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}\b")
PHONE = re.compile(r"(?<![\w@])\+?\d[\d ().-]{7,}\d(?!\w)")
CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
NATIONAL_ID = re.compile(r"(?i)\b(dni|nie|passport|pasaporte|ssn)\b\s*:?\s*[a-z0-9]{6,}")
NEGATIVE = re.compile(
    r"(?i)\b(worst|terrible|awful|useless|disaster|dead|dropping|drops|no signal|unusable|charged twice|"
    r"still waiting|nobody|never|broken|outage|down|fails?|failed|angry|shame|vergüenza|desastre|"
    r"sin (línea|cobertura|servicio|sinal)|no funciona|não funciona|absurdo|cobrado|cobrado duas|"
    r"inadmissible|caído|caiu|se han caído|no puedo|sigo esperando|ninguém|nadie|unacceptable)\b"
)
POSITIVE = re.compile(
    r"(?i)(\b(thanks|thank you|great|love|loving|best|awesome|amazing|shoutout|gracias|genial|"
    r"obrigad[oa]|merci|top|excellent|quickly)\b|🙌|❤️|👏)"
)
QUESTION = re.compile(
    r"(?i)(\?|^\s*(@\w+\s+)?(how|what|when|where|why|can|could|does|do|is|are|anyone|any update)\b|"
    r"\b(cómo|cuándo|qué|por qué|puedo|hay|como|quando|porque|comment|pourquoi)\b)"
)


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


@dataclass(frozen=True)
class Triage:
    language: str
    sentiment: str
    intent: str
    category: str = ""
    personal_data: list[str] = field(default_factory=list)
    legal_threat: bool = False
    abusive: bool = False


def detect_language(text: str) -> str:
    words = [w.lower() for w in WORD.findall(text)]
    if not words:
        return "und"
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] > 0 else "und"


def find_personal_data(text: str) -> list[str]:
    """Kinds of personal data in a text: email, phone, card (Luhn-valid), national_id."""
    kinds = []
    if EMAIL.search(text):
        kinds.append("email")
    cards = [m.group(0) for m in CARD.finditer(text) if luhn_ok(re.sub(r"\D", "", m.group(0)))]
    if cards:
        kinds.append("card")
    without_cards = CARD.sub(" ", text) if cards else text
    if any(len(re.sub(r"\D", "", m.group(0))) >= 9 for m in PHONE.finditer(without_cards)):
        kinds.append("phone")
    if NATIONAL_ID.search(text):
        kinds.append("national_id")
    return kinds


def classify_category(text: str, categories: Iterable[tuple[str, list[str]]]) -> str:
    """The policy category whose examples share the most words with the text (ties: first listed)."""
    words = {w.lower() for w in WORD.findall(text) if len(w) > 2}
    best, best_score = "", 0
    for code, examples in categories:
        vocabulary = {w.lower() for example in examples for w in WORD.findall(example) if len(w) > 2}
        score = len(words & vocabulary)
        if score > best_score:
            best, best_score = code, score
    return best


def triage(text: str, categories: Iterable[tuple[str, list[str]]] = ()) -> Triage:
    abusive = bool(ABUSE.search(text))
    negative = bool(NEGATIVE.search(text)) or abusive
    positive = bool(POSITIVE.search(text))
    sentiment = "negative" if negative else "positive" if positive else "neutral"
    if SPAM.search(text):
        intent = "spam"
    elif abusive:
        intent = "abuse"
    elif QUESTION.search(text) and not (negative and "?" not in text):
        intent = "question"
    elif negative:
        intent = "complaint"
    elif positive:
        intent = "praise"
    else:
        intent = "other"
    return Triage(
        language=detect_language(text),
        sentiment=sentiment,
        intent=intent,
        category=classify_category(text, categories) if intent not in {"spam", "abuse", "praise"} else "",
        personal_data=find_personal_data(text),
        legal_threat=bool(LEGAL.search(text)),
        abusive=abusive,
    )
