"""How much a post is like the posts of an incident: the join model.

No single signal separates an incident's posts from the rest of a busy hour (measured in
docs/incident-detection.md): multilingual-e5-small groups posts by language as much as by topic, and
shared character n-grams only link posts of one language. Together, and compared with the incident's
own posts rather than with one fixed centre, they do: a post is scored by its similarity to the
nearest and to all of the incident's posts in both spaces, and by the place it names (a post about
another city is another problem). A logistic regression weighs the five numbers; its weights are
trained by `socialdesk bench incident-model` and shipped in `weights/join.json`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import HashingVectorizer

from socialdesk.incidents.cues import fold
from socialdesk.incidents.places import City, cities_in, countries_in

WEIGHTS = Path(__file__).with_name("weights") / "join.json"
FEATURES = ("e5_nearest", "e5_mean", "chars_nearest", "chars_mean", "other_place")
NEAREST = 5
Vector = NDArray[np.float32]

_NOISE = re.compile(r"@\S+|https?://\S+|#")
_chars = HashingVectorizer(
    analyzer="char_wb", ngram_range=(4, 5), n_features=2**18, alternate_sign=False, binary=True, norm="l2"
)


@dataclass
class Post:
    """One post as the detector compares it: its two vectors and the cities it names."""

    meaning: Vector  # e5, centred on the usual post and unit length
    chars: Vector  # hashed character n-grams, unit length (dense: posts are few at a time)
    cities: list[City] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # ISO codes


@dataclass(frozen=True)
class JoinModel:
    coefficients: NDArray[np.float64]
    intercept: float
    threshold: float

    def probability(self, features: NDArray[np.float64]) -> NDArray[np.float64]:
        z = features @ self.coefficients + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


@lru_cache(maxsize=1)
def join_model() -> JoinModel:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    if list(data["features"]) != list(FEATURES):
        raise RuntimeError(f"{WEIGHTS} was trained on other features; run `socialdesk bench incident-model`")
    return JoinModel(
        coefficients=np.asarray(data["coefficients"], dtype=np.float64),
        intercept=float(data["intercept"]),
        threshold=float(data["threshold"]),
    )


def lexical_form(text: str, brand_words: frozenset[str]) -> str:
    """The words that can be shared: no handles, links or the brand's own names, accents folded."""
    text = fold(_NOISE.sub(" ", text))
    return " ".join(word for word in text.split() if word.strip(".,!?:;") not in brand_words)


def posts_from(
    texts: Sequence[str], meanings: NDArray[np.float32], brand_words: frozenset[str], centre: Vector
) -> list[Post]:
    """`meanings`: the e5 vectors of `texts` (one row each)."""
    if not texts:
        return []
    centred = np.asarray(meanings, dtype=np.float32) - centre
    centred /= np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-9)
    chars = _chars.transform([lexical_form(t, brand_words) for t in texts]).toarray().astype(np.float32)
    return [
        Post(centred[i], chars[i], cities_in(text, brand_words), countries_in(text, brand_words))
        for i, text in enumerate(texts)
    ]


def features(post: Post, members: Sequence[Post], place: City | None) -> NDArray[np.float64]:
    """The five numbers the join model reads, for `post` against an incident's `members`."""
    if not members:
        raise ValueError("an incident has at least one post")
    meaning = np.asarray([m.meaning for m in members]) @ post.meaning
    chars = np.asarray([m.chars for m in members]) @ post.chars
    nearest = min(NEAREST, len(members))
    other = elsewhere(post, place)
    return np.asarray(
        [
            np.sort(meaning)[::-1][:nearest].mean(),
            meaning.mean(),
            np.sort(chars)[::-1][:nearest].mean(),
            chars.mean(),
            float(other),
        ],
        dtype=np.float64,
    )


def elsewhere(post: Post, place: City | None) -> bool:
    """The post is about another place than the incident's: naming the incident's city says little
    (many posts name none), naming another place says a lot. People name where they are first ("Madrid.
    Not Lisbon, here too"); a post that names no city but other countries is not about this one."""
    if place is None:
        return False
    if post.cities:
        return not post.cities[0].near(place)
    return bool(post.countries) and place.country not in post.countries


def main_place(posts: Sequence[Post], *, share: float = 0.25, at_least: int = 2) -> City | None:
    """The city an incident is about when enough of its posts name it (a local outage), else None
    (a problem everywhere: card payments failing in every country)."""
    counts: dict[City, int] = {}
    for post in posts:
        for city in post.cities:
            counts[city] = counts.get(city, 0) + 1
    if not counts:
        return None
    city, count = max(counts.items(), key=lambda item: (item[1], item[0].population))
    return city if count >= at_least and count >= share * len(posts) else None
