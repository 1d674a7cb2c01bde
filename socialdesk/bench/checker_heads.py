"""Reproduces the reply checker's learned heads (socialdesk/policy/checker_data/heads.npz) from the
calibration set, all of socialdesk/policy/checker_data/drafts.jsonl: `socialdesk bench checker-retrain`.
The independent held-out set (drafts_independent.jsonl) is never read here. Deterministic: logistic
regression (lbfgs), fixed 5-fold split (seed 0).

For each rule in LEARNED: a balanced logistic regression on sublinear TF-IDF of hashed word 1-2-grams
and character 2-5-grams (IDF from calibration). Out-of-fold scores on calibration set the thresholds:
- add: the 99th percentile of the scores of drafts that are fine and that the patterns pass (so the head
  alone adds about 1% false alarms), and at least 0.5;
- veto: the 2nd percentile of the scores of drafts the patterns rightly flag (so a veto drops about 2%
  of true hits).

Which rules get a head is decided by `cross_validate` (`socialdesk bench checker-retrain --cv`): 5-fold
cross-validation on drafts.jsonl of the whole recipe (thresholds from an inner 5-fold split of each
training part), patterns plus head against patterns alone; a rule keeps a head only where that gains.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from socialdesk.bench.checker import Draft, calibration_drafts, telecom_policy
from socialdesk.policy.checker import check_reply
from socialdesk.policy.checks.learned import WEIGHTS, hashed_counts

LEARNED: dict[str, str] = {
    "no_selling": "reads as promotion (a product, an offer or a price); service replies don't sell",
}
C = 10.0
FOLDS = 5
SEED = 0
ADD_QUANTILE = 0.99
VETO_QUANTILE = 0.02


def _idf(counts: Any) -> tuple[np.ndarray[Any, Any], float]:
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    n = counts.shape[0]
    return np.log((1 + n) / (1 + df)) + 1, float(np.log(1 + n) + 1)


def _tfidf(counts: Any, idf: np.ndarray[Any, Any]) -> Any:
    from sklearn.preprocessing import normalize

    weighted = counts.astype(np.float64)
    weighted.data = np.log1p(weighted.data) * idf[weighted.indices]
    return normalize(weighted)


def _fit(features: Any, labels: np.ndarray[Any, Any]) -> Any:
    # Deferred: scikit-learn is only needed when training.
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(features, labels)


def out_of_fold(counts: Any, labels: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Each calibration draft scored by a head trained (with its own IDF) on the other folds."""
    from sklearn.model_selection import StratifiedKFold

    scores = np.zeros(len(labels))
    for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(labels, labels):
        idf, _ = _idf(counts[train])
        model = _fit(_tfidf(counts[train], idf), labels[train])
        scores[test] = model.predict_proba(_tfidf(counts[test], idf))[:, 1]
    return scores


def _thresholds(
    oof: np.ndarray[Any, Any], labels: np.ndarray[Any, Any], hits: np.ndarray[Any, Any]
) -> tuple[float, float]:
    fine = oof[~labels & ~hits]
    true_hits = oof[labels & hits]
    add = max(0.5, float(np.quantile(fine, ADD_QUANTILE))) if len(fine) else 1.0
    veto = float(np.quantile(true_hits, VETO_QUANTILE)) if len(true_hits) else 0.0
    return add, veto


def _pattern_hits(drafts: list[Draft]) -> list[set[str]]:
    policy = telecom_policy()
    return [
        {v.rule for v in check_reply(policy, d.text, network=d.network, private=d.private, learned=False)}
        for d in drafts
    ]


def retrain(out: Path = WEIGHTS, log: Callable[[str], None] = print) -> Path:
    calibration: list[Draft] = calibration_drafts()
    found = _pattern_hits(calibration)
    hashed = hashed_counts([d.text for d in calibration])
    features = np.unique(hashed.indices)
    # Only the n-grams calibration has: the others weigh 0 whatever the fit, so fitting without them is
    # the same fit, faster.
    counts = hashed[:, features]
    idf, unseen_idf = _idf(counts)
    meta: dict[str, Any] = {"heads": {}, "unseen_idf": unseen_idf, "calibration_drafts": len(calibration)}
    weights, bias = [], []
    for column, (rule, why) in enumerate(LEARNED.items()):
        labels = np.array([rule in d.labels for d in calibration])
        hits = np.array([rule in f for f in found])
        add, veto = _thresholds(out_of_fold(counts, labels), labels, hits)
        model = _fit(_tfidf(counts, idf), labels)
        weights.append(model.coef_[0])
        bias.append(float(model.intercept_[0]))
        meta["heads"][rule] = {
            "column": column,
            "add": round(add, 4),
            "veto": round(veto, 4),
            "why": why,
            "positives": int(labels.sum()),
        }
        log(
            f"{rule}: {int(labels.sum())} of {len(labels)} calibration drafts; add {add:.3f}, veto {veto:.3f}"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        meta=np.array(json.dumps(meta, sort_keys=True)),
        features=features.astype(np.int32),
        idf=idf.astype(np.float32),
        weights=np.stack(weights, axis=1).astype(np.float32),
        bias=np.array(bias, dtype=np.float32),
    )
    log(f"wrote {out} ({out.stat().st_size / 1e3:.0f} kB)")
    return out


CANDIDATES = (
    "no_selling",
    "no_sensitive_data_request",
    "no_personal_data_in_public",
    "no_condescension",
    "hostile_tone",
)


def _precision_recall(labels: np.ndarray[Any, Any], flagged: np.ndarray[Any, Any]) -> tuple[float, float]:
    tp = int((labels & flagged).sum())
    return (tp / int(flagged.sum()) if flagged.any() else 1.0), (
        tp / int(labels.sum()) if labels.any() else 1.0
    )


def cross_validate(
    rules: tuple[str, ...] = CANDIDATES, log: Callable[[str], None] = print
) -> dict[str, tuple[float, float, float, float]]:
    """5-fold cross-validation on drafts.jsonl of the whole recipe: for each outer fold, a head trained on
    the other four (thresholds from their own inner out-of-fold scores) vetoes or adds to the patterns on
    the fold. Per rule: (precision, recall) with the head, then with the patterns alone. The patterns
    themselves were tuned on all of drafts.jsonl, so both are optimistic; the difference is the head's."""
    from sklearn.model_selection import StratifiedKFold

    drafts = calibration_drafts()
    found = _pattern_hits(drafts)
    hashed = hashed_counts([d.text for d in drafts])
    counts = hashed[:, np.unique(hashed.indices)]
    results: dict[str, tuple[float, float, float, float]] = {}
    for rule in rules:
        labels = np.array([rule in d.labels for d in drafts])
        hits = np.array([rule in f for f in found])
        combined = hits.copy()
        for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=SEED + 1).split(labels, labels):
            add, veto = _thresholds(out_of_fold(counts[train], labels[train]), labels[train], hits[train])
            idf, _ = _idf(counts[train])
            scores = _fit(_tfidf(counts[train], idf), labels[train]).predict_proba(_tfidf(counts[test], idf))[
                :, 1
            ]
            combined[test] = np.where(hits[test], scores >= veto, scores >= add)
        with_head = _precision_recall(labels, combined)
        alone = _precision_recall(labels, hits)
        results[rule] = (*with_head, *alone)
        log(
            f"{rule:28} head: P {with_head[0]:.3f} R {with_head[1]:.3f}   "
            f"patterns only: P {alone[0]:.3f} R {alone[1]:.3f}"
        )
    return results
