"""The public datasets in ../shared/data, with the exact train/validation splits that training and
`socialdesk triage eval` share (fixed seeds; near-duplicates removed across splits)."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
from dataclasses import dataclass
from pathlib import Path

from socialdesk.triage.text import dedupe_key

SENTIMENT = ("negative", "neutral", "positive")
XLMT_LANGUAGES = {
    "english": "en",
    "spanish": "es",
    "portuguese": "pt",
    "french": "fr",
    "german": "de",
    "italian": "it",
    "arabic": "ar",
    "hindi": "hi",
}
SEMEVAL_VALIDATION_SIZE = 2000


@dataclass
class Split:
    texts: list[str]
    labels: list[int]


def default_data_dir() -> Path:
    """SOCIALDESK_TRAINING_DATA, else the `shared/data` beside a folder above this checkout (the
    workplace layout: project in /work/main, data in /work/shared/data), else /work/shared/data."""
    configured = os.environ.get("SOCIALDESK_TRAINING_DATA")
    if configured:
        return Path(configured)
    for parent in Path(__file__).resolve().parents:
        candidate = parent.parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return Path("/work/shared/data")


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").rstrip("\n").split("\n")


def xlmt(data: Path, language: str, split: str) -> Split:
    folder = data / "xlm-t-sentiment" / language
    texts = _lines(folder / f"{split}_text.txt")
    labels = [int(x) for x in _lines(folder / f"{split}_labels.txt")]
    return Split(texts, labels)


def semeval(data: Path) -> tuple[Split, Split]:
    """English sentiment: the SemEval-2017 4A pool, de-duplicated; validation is 2,000 tweets drawn
    with a fixed seed (as TweetEval drew its own), never overlapping XLM-T's English validation."""
    label_of = {name: i for i, name in enumerate(SENTIMENT)}
    seen: set[str] = {dedupe_key(t) for t in xlmt(data, "english", "val").texts}
    pool: list[tuple[str, int]] = []
    for path in sorted((data / "semeval2017-task4A").glob("*.tsv")):
        for row in _lines(path):
            parts = row.split("\t")
            if len(parts) < 3 or parts[1] not in label_of:
                continue
            key = dedupe_key(parts[2])
            if not key or key in seen:
                continue
            seen.add(key)
            pool.append((parts[2], label_of[parts[1]]))
    random.Random(13).shuffle(pool)  # noqa: S311 - a fixed split, not a secret
    val, train = pool[:SEMEVAL_VALIDATION_SIZE], pool[SEMEVAL_VALIDATION_SIZE:]
    return Split([t for t, _ in train], [y for _, y in train]), Split(
        [t for t, _ in val], [y for _, y in val]
    )


def complaints(data: Path) -> tuple[Split, Split]:
    """Complaints (Preotiuc-Pietro et al. 2019): 20% validation chosen by a hash of the tweet id."""
    train, val = Split([], []), Split([], [])
    with (data / "complaints" / "train.csv").open(encoding="utf-8", newline="") as handle:
        for tweet_id, text, label, _domain in csv.reader(handle):
            bucket = int(hashlib.sha256(tweet_id.encode()).hexdigest()[:8], 16) % 5
            target = val if bucket == 0 else train
            target.texts.append(text)
            target.labels.append(int(label))
    return train, val


def tweeteval(data: Path, task: str, split: str) -> Split:
    folder = data / "tweeteval" / task
    return Split(
        _lines(folder / f"{split}_text.txt"), [int(x) for x in _lines(folder / f"{split}_labels.txt")]
    )


def banking77(data: Path, shots: int) -> tuple[list[tuple[str, list[str]]], Split, list[str]]:
    """Few-shot categories: `shots` examples per intent (fixed seed) as a policy would list them, the
    rest (up to 20 per intent) to classify."""
    by_category: dict[str, list[str]] = {}
    with (data / "banking77" / "train.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            by_category.setdefault(row["category"], []).append(row["text"])
    names = sorted(by_category)
    rng = random.Random(7)  # noqa: S311 - a fixed split
    examples, val = [], Split([], [])
    for index, name in enumerate(names):
        texts = by_category[name][:]
        rng.shuffle(texts)
        examples.append((name, texts[:shots]))
        for text in texts[shots : shots + 20]:
            val.texts.append(text)
            val.labels.append(index)
    return examples, val, names


def clinc_out_of_scope(data: Path) -> list[str]:
    raw = json.loads((data / "clinc-oos" / "train_val.json").read_text(encoding="utf-8"))
    return [text for text, _label in raw.get("oos_val", [])]


def clinc(data: Path, shots: int) -> tuple[list[tuple[str, list[str]]], Split, list[str], list[str]]:
    """CLINC150 as a policy would meet it: `shots` training examples per intent (fixed seed) as the
    categories' examples, the validation queries to classify, and the out-of-scope validation
    queries that belong to no category."""
    raw = json.loads((data / "clinc-oos" / "train_val.json").read_text(encoding="utf-8"))
    by_intent: dict[str, list[str]] = {}
    for text, label in raw["train"]:
        by_intent.setdefault(label, []).append(text)
    names = sorted(by_intent)
    rng = random.Random(7)  # noqa: S311 - a fixed split
    examples = []
    for name in names:
        texts = by_intent[name][:]
        rng.shuffle(texts)
        examples.append((name, texts[:shots]))
    position = {name: i for i, name in enumerate(names)}
    val = Split([text for text, _ in raw["val"]], [position[label] for _, label in raw["val"]])
    return examples, val, names, [text for text, _ in raw["oos_val"]]
