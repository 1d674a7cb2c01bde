"""Protocol categories learned from few examples: the policy's examples (and each category's name and
description) plus every message an agent re-categorised.

- fast path: a post goes to the category whose examples it is most similar to (half centroid
  similarity, half nearest example) on TF-IDF n-grams; below a floor of similarity, no category.
- accurate path: a logistic regression on e5 embeddings of the examples, and "no category" when its
  best probability is below a floor calibrated on the examples themselves: each example is scored by
  a model trained without it (k-fold), and the floor is the probability that would turn away
  `REJECT_IN_SCOPE` of them. Measured on banking77 (77 categories, 10 examples each) and CLINC (150
  categories plus out-of-scope queries): `socialdesk triage eval`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from socialdesk.policy.schema import Policy
from socialdesk.triage.heads import N_FEATURES, Array, heads

FAST_FLOOR = 0.05
E5_FLOOR = 0.80  # the similarity floor when too few examples to learn from (one per category)
C = 100.0  # little regularisation: ten examples in 384 dimensions are easy to separate, and
# measured on banking77 10-shot: C=1 0.663, C=10 0.784, C=100 0.818, C=300 0.815, C=1000 0.811
REJECT_IN_SCOPE = 0.04  # share of the examples' own held-out scores below the floor
FOLDS = 5


def policy_examples(policy: Policy) -> list[tuple[str, str]]:
    """The categories' examples, and each category's name and description as one more (measured on
    both scenario days: the nearest category on e5 vectors 0.618 -> 0.664 and 0.477 -> 0.528)."""
    examples = [(c.code, text) for c in policy.categories for text in c.examples]
    return examples + [(c.code, f"{c.name}: {c.description}") for c in policy.categories if c.description]


@dataclass(frozen=True)
class LearnedHead:
    """A multinomial logistic regression over unit e5 vectors, with its calibrated floor."""

    classes: tuple[str, ...]
    weights: Array  # (categories, dimensions)
    bias: Array
    floor: float

    def probabilities(self, embeddings: Array) -> Array:
        logits = embeddings @ self.weights.T + self.bias
        shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
        result: Array = (shifted / shifted.sum(axis=1, keepdims=True)).astype(np.float32)
        return result


def unit(vectors: Array) -> Array:
    """Rows scaled to length one (zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    result: Array = (vectors / norms).astype(np.float32)
    return result


def _fit(vectors: Array, labels: NDArray[np.int64]) -> tuple[Array, Array]:
    """Weights (categories, dimensions) and biases; every category is among `labels`."""
    # Deferred: scikit-learn costs half a second to import, and only a category model build needs it.
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=C, max_iter=2000)
    model.fit(vectors, labels)
    weights, bias = model.coef_.astype(np.float32), model.intercept_.astype(np.float32)
    if weights.shape[0] == 1:  # two categories: one row, the second's logit; softmax(0, z) = sigmoid(z)
        weights = np.vstack([np.zeros_like(weights[0]), weights[0]])
        bias = np.array([0.0, bias[0]], dtype=np.float32)
    return weights, bias


def learn(codes: Sequence[str], vectors: Array) -> LearnedHead | None:
    """The accurate path's head from examples; None with fewer than two categories or a category with
    a single example (nothing to hold out to calibrate the floor: the similarity floor stays)."""
    counts = Counter(codes)
    folds = min(FOLDS, min(counts.values()))
    if len(counts) < 2 or folds < 2:
        return None
    # Deferred with scikit-learn, as above.
    from sklearn.model_selection import StratifiedKFold

    classes = tuple(counts)
    labels = np.array([classes.index(code) for code in codes], dtype=np.int64)
    rows = unit(vectors)
    # Each category has at least `folds` examples, so every training fold holds every category.
    held_out = np.zeros(len(labels), dtype=np.float32)
    for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=0).split(rows, labels):
        weights, bias = _fit(rows[train], labels[train])
        held_out[test] = LearnedHead(classes, weights, bias, 0.0).probabilities(rows[test]).max(axis=1)
    weights, bias = _fit(rows, labels)
    return LearnedHead(classes, weights, bias, float(np.quantile(held_out, REJECT_IN_SCOPE)))


@dataclass
class CategoryIndex:
    codes: list[str]  # one per example row
    columns: NDArray[np.int32]  # hashed feature -> column of `fast`, -1 if no example has it
    fast: Array  # (examples, features the examples use): L2-normalised TF-IDF, dense
    e5: Array | None  # rows: examples (unit e5 vectors), when the accurate path is on
    learned: LearnedHead | None = None

    @classmethod
    def build(cls, examples: Sequence[tuple[str, str]], e5: Array | None = None) -> CategoryIndex:
        texts = [text for _, text in examples]
        columns = np.full(N_FEATURES, -1, dtype=np.int32)
        if not texts:
            return cls([], columns, np.zeros((0, 0), np.float32), e5)
        features = heads().features(texts)
        used = np.unique(features.indices)
        columns[used] = np.arange(len(used), dtype=np.int32)
        dense = np.asarray(features[:, used].toarray(), dtype=np.float32)
        codes = [code for code, _ in examples]
        learned = learn(codes, e5) if e5 is not None else None
        return cls(codes, columns, dense, e5, learned)

    def _fast_similarity(self, features: sparse.csr_matrix) -> Array:
        """Cosine similarity of posts to examples over the examples' own features."""
        out = np.zeros((features.shape[0], len(self.codes)), dtype=np.float32)
        for i in range(features.shape[0]):
            start, stop = features.indptr[i], features.indptr[i + 1]
            position = self.columns[features.indices[start:stop]]
            known = position >= 0
            out[i] = self.fast[:, position[known]] @ features.data[start:stop][known]
        return out

    @property
    def categories(self) -> list[str]:
        return list(dict.fromkeys(self.codes))

    def _scores(self, similarity: Array) -> Array:
        """similarity: (posts, examples) -> (posts, categories)."""
        categories = self.categories
        out = np.zeros((similarity.shape[0], len(categories)), dtype=np.float32)
        codes = np.array(self.codes)
        for j, code in enumerate(categories):
            columns = similarity[:, codes == code]
            out[:, j] = 0.5 * columns.mean(axis=1) + 0.5 * columns.max(axis=1)
        return out

    def scores(self, features: sparse.csr_matrix, embeddings: Array | None = None) -> Array:
        """(posts, categories): similarity to each category's examples, on e5 vectors when given."""
        if embeddings is not None and self.e5 is not None:
            return self._scores(embeddings @ self.e5.T)
        return self._scores(self._fast_similarity(features))

    def classify(
        self, features: sparse.csr_matrix, embeddings: Array | None = None
    ) -> list[tuple[str, float]]:
        n = features.shape[0]
        if not self.codes:
            return [("", 0.0)] * n
        if embeddings is not None and self.learned is not None:
            head = self.learned
            probs = head.probabilities(unit(embeddings))
            best = probs.argmax(axis=1)
            return [
                (head.classes[b] if probs[i, b] >= head.floor else "", float(probs[i, b]))
                for i, b in enumerate(best)
            ]
        scores = self.scores(features, embeddings)
        floor = E5_FLOOR if embeddings is not None and self.e5 is not None else FAST_FLOOR
        best = scores.argmax(axis=1)
        categories = self.categories
        return [
            (categories[b], float(scores[i, b])) if scores[i, b] >= floor else ("", float(scores[i, b]))
            for i, b in enumerate(best)
        ]
