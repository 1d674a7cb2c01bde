"""A multi-pattern matcher for keyword listening: every term of every brand in one Aho-Corasick
automaton (pyahocorasick), so a post is scanned once whatever the number of terms.

Text and terms are folded the same way (case, accents, compatibility forms, runs of spaces), and a
hit counts only on word boundaries: "nimbus" finds "Nimbus!" and "#nimbus" but not "cumulonimbus".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick

INCLUDE, EXCLUDE = 0, 1


def fold(text: str) -> str:
    """Lower case, no accents, NFKC forms, one space between words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFKC", plain).split())


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@dataclass(frozen=True)
class Hit:
    term: str
    owner: str  # who listens for it (a workspace slug), so one automaton serves every brand


@dataclass
class Matcher:
    automaton: ahocorasick.Automaton = field(default_factory=ahocorasick.Automaton)
    size: int = 0

    @classmethod
    def build(cls, rules: Iterable[tuple[str, Iterable[str], Iterable[str]]]) -> Matcher:
        """rules: (owner, terms, exclusions) per listener."""
        matcher = cls()
        entries: dict[str, list[tuple[int, str, str]]] = {}
        for owner, terms, exclusions in rules:
            for kind, words in ((INCLUDE, terms), (EXCLUDE, exclusions)):
                for word in words:
                    key = fold(word)
                    if key:
                        entries.setdefault(key, []).append((kind, owner, word))
        for key, values in entries.items():
            matcher.automaton.add_word(key, (len(key), values))
        matcher.size = len(entries)
        if entries:
            matcher.automaton.make_automaton()
        return matcher

    def hits(self, text: str) -> list[Hit]:
        """Terms found in `text`, for each owner whose exclusions are absent."""
        if not self.size:
            return []
        folded = fold(text)
        found: dict[str, list[str]] = {}
        excluded: set[str] = set()
        for end, (length, values) in self.automaton.iter(folded):
            start = end - length + 1
            if start > 0 and _is_word(folded[start - 1]) and _is_word(folded[start]):
                continue
            if end + 1 < len(folded) and _is_word(folded[end + 1]) and _is_word(folded[end]):
                continue
            for kind, owner, word in values:
                if kind == EXCLUDE:
                    excluded.add(owner)
                else:
                    found.setdefault(owner, []).append(word)
        return [Hit(term, owner) for owner, terms in found.items() if owner not in excluded for term in terms]
