"""Protocol categories learned from few examples: the policy's examples per category plus every
message an agent re-categorised. A post goes to the category whose examples it is most similar to
(half centroid similarity, half nearest example), on TF-IDF n-grams (fast path) or e5 embeddings
(accurate path). Below a floor of similarity, no category."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from socialdesk.triage.heads import N_FEATURES, Array, heads

FAST_FLOOR = 0.05
E5_FLOOR = 0.80


@dataclass
class CategoryIndex:
    codes: list[str]  # one per example row
    columns: NDArray[np.int32]  # hashed feature -> column of `fast`, -1 if no example has it
    fast: Array  # (examples, features the examples use): L2-normalised TF-IDF, dense
    e5: Array | None  # rows: examples (unit e5 vectors), when the accurate path is on

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
        return cls([code for code, _ in examples], columns, dense, e5)

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

    def classify(
        self, features: sparse.csr_matrix, embeddings: Array | None = None
    ) -> list[tuple[str, float]]:
        n = features.shape[0]
        if not self.codes:
            return [("", 0.0)] * n
        if embeddings is not None and self.e5 is not None:
            scores, floor = self._scores(embeddings @ self.e5.T), E5_FLOOR
        else:
            scores, floor = self._scores(self._fast_similarity(features)), FAST_FLOOR
        best = scores.argmax(axis=1)
        categories = self.categories
        return [
            (categories[b], float(scores[i, b])) if scores[i, b] >= floor else ("", float(scores[i, b]))
            for i, b in enumerate(best)
        ]
