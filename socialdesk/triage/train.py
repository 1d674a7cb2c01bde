"""Reproduces `weights/heads.npz` from ../shared/data: `socialdesk triage train [--data DIR]`.

Heads: sentiment (negative/neutral/positive; SemEval-2017 English pool + XLM-T's eight languages),
complaint (Preotiuc-Pietro et al. complaints), offensive (TweetEval offensive). Each is a logistic
regression with balanced class weights, once on the fast hashed n-gram features and once on e5
embeddings. Deterministic: fixed splits, fixed seeds, lbfgs.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from socialdesk.triage import datasets
from socialdesk.triage.heads import E5_DIM, N_FEATURES, WEIGHTS, Array, embedder, hashed_counts, tfidf
from socialdesk.triage.text import for_embedding

XLMT_WEIGHT = 3.0
E5_SEMEVAL_TRAIN = 15000  # e5 embeds ~50 posts/s here: the e5 sentiment head sees this many English


@dataclass
class HeadData:
    name: str
    classes: tuple[str, ...]
    train: datasets.Split
    e5_train: datasets.Split
    c_fast: float
    c_e5: float
    fusion: float
    e5_weights: list[float] | None = None  # per training example (None: all 1)


def training_sets(data: Path) -> list[HeadData]:
    sem_train, _ = datasets.semeval(data)
    xlmt_train = datasets.Split([], [])
    for language in datasets.XLMT_LANGUAGES:
        split = datasets.xlmt(data, language, "train")
        xlmt_train.texts += split.texts
        xlmt_train.labels += split.labels
    sentiment = datasets.Split(sem_train.texts + xlmt_train.texts, sem_train.labels + xlmt_train.labels)
    e5_sentiment = datasets.Split(
        sem_train.texts[:E5_SEMEVAL_TRAIN] + xlmt_train.texts,
        sem_train.labels[:E5_SEMEVAL_TRAIN] + xlmt_train.labels,
    )
    # XLM-T's tweets count 3x in the e5 head: 1,839 per language against 15,000 English (measured:
    # average macro-F1 over seven languages 0.641 -> 0.654, English macro-recall 0.724 -> 0.709).
    e5_weights = [1.0] * len(sem_train.texts[:E5_SEMEVAL_TRAIN]) + [XLMT_WEIGHT] * len(xlmt_train.texts)
    complaints_train, _ = datasets.complaints(data)
    offensive = datasets.tweeteval(data, "offensive", "train")
    return [
        HeadData("sentiment", datasets.SENTIMENT, sentiment, e5_sentiment, 3.0, 3.0, 0.65, e5_weights),
        HeadData("complaint", ("no", "yes"), complaints_train, complaints_train, 3.0, 3.0, 0.5),
        HeadData("offensive", ("no", "yes"), offensive, datasets.Split([], []), 3.0, 1.0, 0.0),
    ]


class EmbeddingCache:
    """e5 vectors by SHA-1 of the text, kept between runs (embedding is the slow part)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.vectors: dict[str, Array] = {}
        if path.exists():
            with np.load(path, allow_pickle=False) as saved:
                for key, row in zip(saved["keys"], saved["vectors"], strict=True):
                    self.vectors[str(key)] = row

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(for_embedding(text).encode("utf-8"), usedforsecurity=False).hexdigest()

    def embed(self, texts: Sequence[str], progress: Callable[[str], None]) -> Array:
        missing = sorted({t for t in texts if self.key(t) not in self.vectors})
        if missing:
            progress(f"embedding {len(missing)} texts with e5 (cached: {len(texts) - len(missing)})")
            model = embedder()
            for start in range(0, len(missing), 512):
                chunk = missing[start : start + 512]
                for text, row in zip(chunk, model.embed(chunk), strict=True):
                    self.vectors[self.key(text)] = row
                self.save()
                progress(f"  {min(start + 512, len(missing))}/{len(missing)}")
        if not texts:
            return np.zeros((0, E5_DIM), dtype=np.float32)
        return np.vstack([self.vectors[self.key(t)] for t in texts]).astype(np.float32)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(sorted(self.vectors))
        np.savez(self.path, keys=keys, vectors=np.vstack([self.vectors[k] for k in keys]).astype(np.float32))


def _fit(
    features: Any, labels: Sequence[int], c: float, weights: Sequence[float] | None = None
) -> tuple[Array, Array]:
    # Deferred: scikit-learn is only needed when training, not when the package is imported.
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    model.fit(features, np.asarray(labels), sample_weight=None if weights is None else np.asarray(weights))
    return model.coef_.T.astype(np.float32), model.intercept_.astype(np.float32)


def train(
    data: Path, out: Path = WEIGHTS, cache: Path | None = None, log: Callable[[str], None] = print
) -> Path:
    started = time.monotonic()
    sets = training_sets(data)
    all_texts = sorted({t for head in sets for t in head.train.texts})
    log(f"fitting IDF on {len(all_texts)} training texts")
    counts = hashed_counts(all_texts)
    df = np.bincount(counts.indices, minlength=N_FEATURES).astype(np.float64)
    idf = (np.log((1 + len(all_texts)) / (1 + df)) + 1).astype(np.float32)
    cache_store = EmbeddingCache(cache or Path("var") / "triage-cache" / "e5.npz")
    fast_w, fast_b, e5_w, e5_b = [], [], [], []
    meta: dict[str, Any] = {"heads": {}, "features": N_FEATURES, "trained_on": {}}
    column = 0
    for head in sets:
        log(f"{head.name}: fast head on {len(head.train.texts)} texts")
        w, b = _fit(tfidf(hashed_counts(head.train.texts), idf), head.train.labels, head.c_fast)
        width = w.shape[1]
        fast_w.append(w)
        fast_b.append(b)
        if head.e5_train.texts:
            log(f"{head.name}: e5 head on {len(head.e5_train.texts)} texts")
            vectors = cache_store.embed(head.e5_train.texts, log)
            w5, b5 = _fit(vectors, head.e5_train.labels, head.c_e5, head.e5_weights)
        else:
            w5, b5 = np.zeros((E5_DIM, width), np.float32), np.zeros(width, np.float32)
        e5_w.append(w5)
        e5_b.append(b5)
        meta["heads"][head.name] = {
            "classes": list(head.classes),
            "start": column,
            "stop": column + width,
            "fusion": head.fusion if head.e5_train.texts else 0.0,
        }
        meta["trained_on"][head.name] = {"fast": len(head.train.texts), "e5": len(head.e5_train.texts)}
        column += width
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        meta=np.array(json.dumps(meta, sort_keys=True)),
        idf=idf.astype(np.float16),
        fast_w=np.hstack(fast_w).astype(np.float16),
        fast_b=np.concatenate(fast_b),
        e5_w=np.hstack(e5_w),
        e5_b=np.concatenate(e5_b),
    )
    log(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB) in {time.monotonic() - started:.0f} s")
    return out
