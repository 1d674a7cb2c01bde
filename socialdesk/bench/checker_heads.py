"""Reproduces the reply checker's learned heads (socialdesk/policy/checker_data/heads.npz) from the
calibration half of the labelled drafts: `socialdesk bench checker-retrain`. The held-out half is never
read here. Deterministic: logistic regression (lbfgs), fixed 5-fold split (seed 0).

For each rule in LEARNED: a balanced logistic regression on sublinear TF-IDF of hashed word 1-2-grams
and character 2-5-grams (IDF from calibration). Out-of-fold scores on calibration set the thresholds:
- add: the 99th percentile of the scores of drafts that are fine and that the patterns pass (so the head
  alone adds about 1% false alarms), and at least 0.5;
- veto: the 2nd percentile of the scores of drafts the patterns rightly flag (so a veto drops about 2%
  of true hits).

Which rules get a head was measured once on held-out drafts (docs/benchmarks.md): the same recipe on
no_sensitive_data_request, no_personal_data_in_public and no_condescension lost precision or recall
there, and changed nothing on hostile_tone, so only no_selling ships one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from socialdesk.bench.checker import Draft, load_drafts, telecom_policy
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


def retrain(out: Path = WEIGHTS, log: Callable[[str], None] = print) -> Path:
    calibration: list[Draft] = [d for d in load_drafts() if not d.held_out]
    policy = telecom_policy()
    found = [
        {v.rule for v in check_reply(policy, d.text, network=d.network, private=d.private, learned=False)}
        for d in calibration
    ]
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
        oof = out_of_fold(counts, labels)
        add = max(0.5, float(np.quantile(oof[~labels & ~hits], ADD_QUANTILE)))
        veto = float(np.quantile(oof[labels & hits], VETO_QUANTILE))
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
