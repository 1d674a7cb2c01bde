"""What every detector shares: the folded text they match on, sentences, negation and the finding."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """Words in the draft that break a rule: where they are and why they break it."""

    rule: str
    start: int
    end: int
    why: str


def fold(text: str) -> str:
    """Lower case without accents, one character per character so that offsets stay those of `text`:
    patterns are written once ("numero", "telefono") and still quote the agent's own words."""
    folded = []
    for char in text:
        lower = char.lower()
        if len(lower) != 1:
            lower = char
        base = unicodedata.normalize("NFD", lower)[0]
        folded.append(base if base.isalpha() else lower)
    return "".join(folded)


def words(*alternatives: str) -> str:
    """A regex alternation of whole words or phrases (patterns themselves, not escaped)."""
    return r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)"


def compile_words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(words(*alternatives))


# A sentence ends at . ! ? ; or a line break; "9.99" and "e.g." stay inside one sentence.
_SENTENCE_END = re.compile(r"(?:[.!?;]+(?=\s|$)|\n+)")


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of `text`."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() > start:
            yield start, match.end()
        start = match.end()
    if start < len(text):
        yield start, len(text)


def sentence_at(text: str, position: int) -> tuple[int, int]:
    for start, end in sentences(text):
        if start <= position < end:
            return start, end
    return 0, len(text)


# Negations that turn a request or a blame around: "please don't share your card number here",
# "we will never ask for your PIN", "this is not your fault".
NEGATION = compile_words(
    r"not?",
    r"\w+n't",
    r"never",
    r"nobody",
    r"avoid",
    r"without",
    r"no need to",
    r"nunca",
    r"jamas",
    r"nao",
    r"nem",
    r"evite",
    r"evita",
    r"evitez",
    r"sin",
    r"sem",
    r"sans",
    r"ne",
    r"n'\w+",
    r"pas",
    r"jamais",
    r"nicht",
    r"nie",
    r"niemals",
    r"kein\w*",
    r"ohne",
)


def negated(folded: str, position: int, *, window: int = 30) -> bool:
    """A negation in the same sentence shortly before `position`."""
    sentence_start, _ = sentence_at(folded, position)
    before = folded[max(sentence_start, position - window) : position]
    return NEGATION.search(before) is not None


def first_per_span(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per rule and place: overlapping findings of the same rule are reported once."""
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if not any(k.rule == finding.rule and k.start < finding.end and finding.start < k.end for k in kept):
            kept.append(finding)
    return kept
