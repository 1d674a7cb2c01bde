"""A learned second opinion on the pattern detectors, for the rules where it measurably helps.

Each head is a logistic regression over hashed word 1-2-grams and character 2-5-grams (sublinear TF-IDF,
L2), trained on the training drafts of five authors (drafts.jsonl, drafts_w1/w2/w3/w4.jsonl; never the
independent held-out set; `socialdesk bench checker-retrain` writes `checker_data/heads.npz`). It is
combined with the patterns, never replaces them:
- a pattern hit stands unless the head is very sure the draft is fine (score below `veto`);
- the head alone reports a draft the patterns let through only above `add`, and quotes the sentence
  it scores highest, so the agent still sees which words it means.
Both thresholds come from leave-one-author-out scores on the training drafts (see
socialdesk/bench/checker_heads.py).
Scoring is a sparse dot product: well under a millisecond per draft once the weights are loaded.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from socialdesk.policy.checks.text import NEGATION, Finding, fold, sentences

WEIGHTS = Path(__file__).parents[1] / "checker_data" / "heads.npz"
N_FEATURES = 2**20
_SPACE = re.compile(r"\s+")
Floats = NDArray[np.float64]


def normalised(text: str) -> str:
    """What the heads read: lower case, one space between words (training and checking agree)."""
    return _SPACE.sub(" ", text).strip().lower()


def _hasher() -> Any:
    # Deferred: scikit-learn is slow to import; only the first check pays for it.
    from sklearn.feature_extraction.text import HashingVectorizer

    words = HashingVectorizer(
        analyzer="word",
        ngram_range=(1, 2),
        lowercase=False,
        token_pattern=r"(?u)\b\w+\b",  # noqa: S106 - a regex, not a password
    ).build_analyzer()
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=False).build_analyzer()
    return HashingVectorizer(
        n_features=N_FEATURES,
        analyzer=lambda doc: words(doc) + chars(doc),
        alternate_sign=False,
        norm=None,
        dtype=np.float64,
    )


@lru_cache(maxsize=1)
def hasher() -> Any:
    return _hasher()


def hashed_counts(texts: Sequence[str]) -> Any:
    """Raw n-gram counts (scipy CSR, N_FEATURES columns) of each text."""
    return hasher().transform([normalised(t) for t in texts])


@dataclass(frozen=True)
class Head:
    rule: str
    column: int
    add: float  # the head alone reports a draft at or above this score
    veto: float  # a pattern hit on a draft scored below this is dropped
    why: str


class Heads:
    """The shipped heads: weights only for the n-grams seen in calibration (the others weigh 0), and
    their IDF; an n-gram never seen gets the IDF of a document frequency of 0, as in training."""

    def __init__(self, path: Path = WEIGHTS) -> None:
        with np.load(path, allow_pickle=False) as bundle:
            meta: dict[str, Any] = json.loads(str(bundle["meta"]))
            self.features: NDArray[np.int64] = bundle["features"].astype(np.int64)
            self.idf: Floats = bundle["idf"].astype(np.float64)
            self.weights: Floats = bundle["weights"].astype(np.float64)
            self.bias: Floats = bundle["bias"].astype(np.float64)
        self.unseen_idf = float(meta["unseen_idf"])
        self.heads = {
            rule: Head(rule, h["column"], h["add"], h["veto"], h["why"]) for rule, h in meta["heads"].items()
        }

    def scores(self, texts: Sequence[str]) -> Floats:
        """P(breaks the rule) for each text (rows) and head (columns)."""
        counts = hashed_counts(texts)
        n = counts.shape[0]
        logits = np.tile(self.bias, (n, 1))
        if counts.nnz:
            at = np.searchsorted(self.features, counts.indices)
            at = np.minimum(at, len(self.features) - 1)
            seen = self.features[at] == counts.indices
            tf = np.log1p(counts.data) * np.where(seen, self.idf[at], self.unseen_idf)
            rows = np.repeat(np.arange(n), np.diff(counts.indptr))
            norms = np.sqrt(np.bincount(rows, weights=tf * tf, minlength=n))
            norms[norms == 0] = 1.0
            weighted = (tf / norms[rows])[:, np.newaxis] * np.where(
                seen[:, np.newaxis], self.weights[at], 0.0
            )
            np.add.at(logits, rows, weighted)
        result: Floats = 1.0 / (1.0 + np.exp(-logits))
        return result


# Rules whose look-alikes are negations ("never share your PIN", "don't post your address here", "it's
# not your fault"): n-grams can't read the scope of a negation, so the head alone doesn't report a
# sentence holding one (the patterns still do, they read it).
NEGATION_BLIND = frozenset({"no_sensitive_data_request", "no_personal_data_in_public", "hostile_tone"})

# A few words give n-grams too little to go on ("Ana, we're on it." scored as hostile, "¡Mira nuestra
# oferta!" as fine): below this many words the patterns decide alone.
MIN_WORDS = 8
_WORD = re.compile(r"\w+")

_lock = threading.Lock()


@lru_cache(maxsize=1)
def heads() -> Heads | None:
    with _lock:
        return Heads() if WEIGHTS.exists() else None


def second_opinion(text: str, findings: list[Finding], rules: frozenset[str]) -> list[Finding]:
    """`findings` (the patterns') with the heads of `rules` applied: vetoed hits dropped, the head's own
    finds added with the sentence it scores highest."""
    model = heads()
    active = [h for rule, h in model.heads.items() if rule in rules] if model else []
    if model is None or not active or len(_WORD.findall(text)) < MIN_WORDS:
        return findings
    spans = [(s, e) for s, e in sentences(text) if text[s:e].strip()]
    scores = model.scores([text] + [text[s:e] for s, e in spans])
    kept = list(findings)
    for head in active:
        draft_score = float(scores[0, head.column])
        hit = any(f.rule == head.rule for f in kept)
        if hit and draft_score < head.veto:
            kept = [f for f in kept if f.rule != head.rule]
        elif not hit and draft_score >= head.add and spans:
            best = max(range(len(spans)), key=lambda i: (scores[i + 1, head.column], -i))
            start, end = spans[best]
            sentence = text[start:end]
            if head.rule in NEGATION_BLIND and NEGATION.search(fold(sentence)):
                continue
            start += len(sentence) - len(sentence.lstrip())
            end -= len(sentence) - len(sentence.rstrip())
            kept.append(Finding(head.rule, start, end, f"{head.why} (learned check, {draft_score:.2f})"))
    return kept
