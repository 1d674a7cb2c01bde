"""`socialdesk bench incident-model`: trains the incident join model (socialdesk/incidents/likeness.py)
and reports how well it carries from one brand's day to another's.

- The centre the e5 vectors are measured from: the mean of the posts of the hours before the
  incident, as the detector takes it (incidents.detection).
- Examples: for each incident of each scenario day, every post of the incident's busy span after its
  first posts, scored against the incident's posts so far (the truth labels say which are), and
  labelled member or not. Posts that say they are another problem (incidents.cues) are left out, as
  the detector leaves them out.
- Reported: each day scored by a model trained on the *other* day only (what another brand's day
  would see), then the shipped model trained on both.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression

from socialdesk.channels.sandbox.scenario import read_scenario_file
from socialdesk.incidents.cues import other_problem
from socialdesk.incidents.detection import ACTIVE_GAP, BACKGROUND_POSTS, BURST, TRAILING
from socialdesk.incidents.likeness import FEATURES, WEIGHTS, Post, features, main_place, posts_from
from socialdesk.triage.heads import embedder

DAYS = (Path("socialdesk/demo/nimbus_day.jsonl"), Path("socialdesk/demo/scenarios/pronto_day.jsonl"))
# The detector links the first posts of a burst when it opens the incident; the model decides the rest.
SEED_POSTS = 8
THRESHOLD = 0.5


@dataclass
class Example:
    day: str
    incident: str
    features: NDArray[np.float64]
    member: bool


def day_examples(path: Path, embed: Callable[[Sequence[str]], NDArray[np.float32]]) -> list[Example]:
    scenario = read_scenario_file(path)
    brand_words = frozenset(word.lower() for word in scenario.header.brand.split())
    posts = [p for p in scenario.posts if p.truth is not None]
    meanings = embed([p.text for p in posts])
    truth = [str((p.truth or {}).get("incident") or "") for p in posts]
    examples: list[Example] = []
    for slug in sorted({t for t in truth if t}):
        members = [i for i, t in enumerate(truth) if t == slug]
        start = posts[members[0]].at
        before = [i for i, p in enumerate(posts) if start - BURST - TRAILING < p.at <= start - BURST]
        centre = np.asarray(meanings[before[-BACKGROUND_POSTS:]].mean(axis=0), dtype=np.float32)
        vectors = posts_from([p.text for p in posts], meanings, brand_words, centre)
        seed = members[:SEED_POSTS]
        place = main_place([vectors[i] for i in seed])
        end = posts[members[0]].at
        for i in members:
            if posts[i].at - end <= ACTIVE_GAP:
                end = posts[i].at
        for i, post in enumerate(posts):
            if not posts[seed[-1]].at < post.at <= end or other_problem(post.text):
                continue
            so_far: list[Post] = [vectors[j] for j in members if posts[j].at < post.at]
            examples.append(Example(path.stem, slug, features(vectors[i], so_far, place), truth[i] == slug))
    return examples


def fit(examples: Sequence[Example]) -> LogisticRegression:
    x = np.asarray([e.features for e in examples])
    y = np.asarray([e.member for e in examples])
    return LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(x, y)


def scores(model: LogisticRegression, examples: Sequence[Example]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for incident in sorted({e.incident for e in examples}):
        chosen = [e for e in examples if e.incident == incident]
        flagged = model.predict_proba(np.asarray([e.features for e in chosen]))[:, 1] >= THRESHOLD
        members = np.asarray([e.member for e in chosen])
        tp = int((flagged & members).sum())
        out[incident] = {
            "precision": round(tp / max(1, int(flagged.sum())), 3),
            "recall": round(tp / max(1, int(members.sum())), 3),
            "candidates": len(chosen),
        }
    return out


def train(log: Callable[[str], object] = print) -> dict[str, object]:
    by_day = {path.stem: day_examples(path, embedder().embed) for path in DAYS}
    cross: dict[str, dict[str, dict[str, float]]] = {}
    for day, examples in by_day.items():
        others = [e for d, rows in by_day.items() if d != day for e in rows]
        cross[day] = scores(fit(others), examples)
        log(f"{day}, trained on the other day only: {cross[day]}")
    shipped = fit([e for rows in by_day.values() for e in rows])
    data = {
        "features": list(FEATURES),
        "coefficients": [round(float(c), 6) for c in shipped.coef_[0]],
        "intercept": round(float(shipped.intercept_[0]), 6),
        "threshold": THRESHOLD,
        "trained_on": [str(p) for p in DAYS],
        "cross_day": cross,
    }
    WEIGHTS.parent.mkdir(parents=True, exist_ok=True)
    WEIGHTS.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    log(f"wrote {WEIGHTS}: coefficients {data['coefficients']} intercept {data['intercept']}")
    return data
