"""Reproduces the reply checker's learned heads (socialdesk/policy/checker_data/heads.npz) from the
training drafts of all five authors (drafts.jsonl, drafts_w1/w2/w3/w4.jsonl): `socialdesk bench
checker-retrain`. The independent held-out set (drafts_independent.jsonl) is never read here.
Deterministic: logistic regression (lbfgs), no random splits (the folds are the authors).

For each rule in LEARNED: a balanced logistic regression (C=10) on sublinear TF-IDF of hashed word
1-2-grams and character 2-5-grams seen in at least two training drafts (IDF from training). The
no_personal_data_in_public head reads public drafts only (the rule never applies to private ones).
Thresholds come from leave-one-author-out scores (each author's drafts scored by a head trained on the
four others — the honest stand-in for an author the checker has never seen):
- veto: the 2nd percentile of the scores of drafts the patterns rightly flag (drops about 2% of true hits),
  only for rules whose patterns are below 0.95 precision (elsewhere 0: a pattern hit always stands);
- add: the lowest score at which the head alone may report a draft, chosen to maximise recall of
  patterns-plus-head subject to precision >= 0.95 over all authors' out-of-author scores (or, where the
  vetoed patterns alone are below 0.95, to not lowering their precision).
The per-author figures shipped in the weights' metadata (and printed by `--cv`) use, for each author,
thresholds chosen on the other four authors' out-of-author scores only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from socialdesk.bench.checker import Draft, calibration_authors, telecom_policy
from socialdesk.policy.checker import check_reply
from socialdesk.policy.checks.learned import WEIGHTS, hashed_counts

PUBLIC_RULE = "no_personal_data_in_public"
LEARNED: dict[str, str] = {
    "no_selling": "reads as promotion (a product, an offer or a price); service replies don't sell",
    "no_sensitive_data_request": "reads as asking for sensitive data (passwords, card or account numbers, "
    "codes); never ask for them",
    PUBLIC_RULE: "reads as asking for personal details in public; ask for them in a private message",
    "no_condescension": "reads as condescending (it talks down to the customer)",
    "hostile_tone": "reads as hostile (it blames, dismisses or scolds the customer)",
    "robotic": "reads as robotic boilerplate; say it in your own words",
}
C = 10.0
MIN_DF = 2
VETO_QUANTILE = 0.02
PRECISION_FLOOR = 0.95
ADD_GRID = np.round(np.arange(0.30, 0.995, 0.01), 2)
Array = np.ndarray[Any, Any]


def _idf(counts: Any) -> tuple[Array, float]:
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    n = counts.shape[0]
    return np.log((1 + n) / (1 + df)) + 1, float(np.log(1 + n) + 1)


def _tfidf(counts: Any, idf: Array) -> Any:
    from sklearn.preprocessing import normalize

    weighted = counts.astype(np.float64)
    weighted.data = np.log1p(weighted.data) * idf[weighted.indices]
    return normalize(weighted)


def _fit(features: Any, labels: Array) -> Any:
    # Deferred: scikit-learn is only needed when training.
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(features, labels)


def _frequent(counts: Any) -> Array:
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    return np.flatnonzero(df >= MIN_DF)


def _train_and_score(counts: Any, labels: Array, train: Array, test: Array) -> Array:
    part = counts[train]
    keep = _frequent(part)
    idf, _ = _idf(part[:, keep])
    model = _fit(_tfidf(part[:, keep], idf), labels[train])
    scored: Array = model.predict_proba(_tfidf(counts[test][:, keep], idf))[:, 1]
    return scored


def out_of_author(counts: Any, labels: Array, authors: Array) -> Array:
    """Each draft scored by a head trained (own vocabulary and IDF) on the other authors' drafts."""
    scores = np.zeros(len(labels))
    for author in np.unique(authors):
        scores[authors == author] = _train_and_score(
            counts, labels, np.flatnonzero(authors != author), np.flatnonzero(authors == author)
        )
    return scores


def _precision_recall(labels: Array, flagged: Array) -> tuple[float, float]:
    tp = int((labels & flagged).sum())
    return (tp / int(flagged.sum()) if flagged.any() else 1.0), (
        tp / int(labels.sum()) if labels.any() else 1.0
    )


def _combined(scores: Array, hits: Array, add: float, veto: float) -> Array:
    flagged: Array = np.where(hits, scores >= veto, scores >= add)
    return flagged


def _thresholds(scores: Array, labels: Array, hits: Array) -> tuple[float, float]:
    true_hits = scores[labels & hits]
    veto = float(np.quantile(true_hits, VETO_QUANTILE)) if len(true_hits) else 0.0
    if _precision_recall(labels, hits)[0] >= PRECISION_FLOOR:
        veto = 0.0  # precise patterns: a veto could only drop true hits
    # Where the patterns (after the veto) are already below the floor, the head may add only as long as
    # it does not lower their precision.
    floor = min(PRECISION_FLOOR, _precision_recall(labels, _combined(scores, hits, 1.0, veto))[0])
    best_add, best_recall = 1.0, -1.0
    for add in ADD_GRID:
        precision, recall = _precision_recall(labels, _combined(scores, hits, float(add), veto))
        if precision >= floor and recall > best_recall:
            best_add, best_recall = float(add), recall
    return best_add, veto


def _pattern_hits(drafts: Sequence[Draft]) -> list[set[str]]:
    policy = telecom_policy()
    return [
        {v.rule for v in check_reply(policy, d.text, network=d.network, private=d.private, learned=False)}
        for d in drafts
    ]


def _leave_one_author_out(
    scores: Array, labels: Array, hits: Array, authors: Array, names: list[str]
) -> dict[str, Any]:
    """Per author and pooled: patterns plus head (thresholds from the other four authors' scores) and
    the patterns alone."""
    flagged = np.zeros(len(labels), dtype=bool)
    per_author: dict[str, Any] = {}
    for author, name in enumerate(names):
        mine = authors == author
        add, veto = _thresholds(scores[~mine], labels[~mine], hits[~mine])
        flagged[mine] = _combined(scores[mine], hits[mine], add, veto)
        per_author[name] = {
            "support": int(labels[mine].sum()),
            "head": [round(v, 3) for v in _precision_recall(labels[mine], flagged[mine])],
            "patterns": [round(v, 3) for v in _precision_recall(labels[mine], hits[mine])],
        }
    return {
        "pooled": {
            "support": int(labels.sum()),
            "head": [round(v, 3) for v in _precision_recall(labels, flagged)],
            "patterns": [round(v, 3) for v in _precision_recall(labels, hits)],
        },
        "authors": per_author,
    }


def retrain(
    out: Path = WEIGHTS, log: Callable[[str], None] = print, *, thresholds_from: Path | None = None
) -> Path:
    """Train every head on all training drafts and write the weights. `thresholds_from`: take the
    thresholds and leave-one-author-out figures from that weights file instead of recomputing them (the
    final fits only: what the fast reproduction test runs)."""
    authored = calibration_authors()
    names = [name for name, _ in authored]
    drafts = [draft for _, part in authored for draft in part]
    authors = np.concatenate([np.full(len(part), index) for index, (_, part) in enumerate(authored)])
    public = np.array([not d.private for d in drafts])
    previous: dict[str, Any] = {}
    if thresholds_from is not None:
        with np.load(thresholds_from, allow_pickle=False) as bundle:
            previous = json.loads(str(bundle["meta"]))["heads"]
    found = _pattern_hits(drafts) if not previous else [set() for _ in drafts]
    hashed = hashed_counts([d.text for d in drafts]).tocsr()
    features = _frequent(hashed)
    # Only the n-grams seen at least twice: the others weigh 0 in the shipped heads.
    counts = hashed[:, features]
    idf, unseen_idf = _idf(counts)
    meta: dict[str, Any] = {
        "heads": {},
        "unseen_idf": unseen_idf,
        "calibration_drafts": len(drafts),
        "authors": {name: len(part) for name, part in authored},
    }
    weights, bias = [], []
    tfidf = _tfidf(counts, idf)
    for column, (rule, why) in enumerate(LEARNED.items()):
        rows = np.flatnonzero(public) if rule == PUBLIC_RULE else np.arange(len(drafts))
        labels = np.array([rule in drafts[i].labels for i in rows])
        if previous:
            add, veto, loao = previous[rule]["add"], previous[rule]["veto"], previous[rule]["loao"]
        else:
            hits = np.array([rule in found[i] for i in rows])
            scores = out_of_author(hashed[rows], labels, authors[rows])
            add, veto = _thresholds(scores, labels, hits)
            add, veto = round(add, 4), round(veto, 4)
            loao = _leave_one_author_out(scores, labels, hits, authors[rows], names)
        model = _fit(tfidf[rows], labels)
        weights.append(model.coef_[0])
        bias.append(float(model.intercept_[0]))
        meta["heads"][rule] = {
            "column": column,
            "add": add,
            "veto": veto,
            "why": why,
            "positives": int(labels.sum()),
            "loao": loao,
        }
        pooled = loao["pooled"]
        log(
            f"{rule:28} {int(labels.sum()):4} of {len(labels)}; add {add:.3f}, veto {veto:.3f}; "
            f"leave-one-author-out P {pooled['head'][0]:.3f} R {pooled['head'][1]:.3f} "
            f"(patterns only P {pooled['patterns'][0]:.3f} R {pooled['patterns'][1]:.3f})"
        )
        for name, figures in loao["authors"].items():
            log(
                f"    without {name:18} P {figures['head'][0]:.3f} R {figures['head'][1]:.3f}   "
                f"patterns only P {figures['patterns'][0]:.3f} R {figures['patterns'][1]:.3f}"
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        meta=np.array(json.dumps(meta, sort_keys=True)),
        features=features.astype(np.int32),
        idf=idf.astype(np.float32),
        weights=np.stack(weights, axis=1).astype(np.float16),
        bias=np.array(bias, dtype=np.float32),
    )
    log(f"wrote {out} ({out.stat().st_size / 1e3:.0f} kB)")
    return out


def shipped_cross_validation(path: Path = WEIGHTS) -> dict[str, Any]:
    """The leave-one-author-out figures recorded in the shipped weights, per rule."""
    with np.load(path, allow_pickle=False) as bundle:
        heads: dict[str, Any] = json.loads(str(bundle["meta"]))["heads"]
    return {rule: head["loao"] for rule, head in heads.items()}
