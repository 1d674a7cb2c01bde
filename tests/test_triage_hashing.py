"""The fast path's memoised hashing gives scikit-learn's HashingVectorizer matrix, bit for bit."""

import csv
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

from socialdesk.triage.hashing import N_FEATURES, Hasher
from socialdesk.triage.text import for_models

FIXTURES = Path(__file__).parent / "fixtures"
ODD = [
    "",
    " ",
    "a",
    "ab",
    "¿Qué?? ñandú 😂😂 x",
    "日本語のテキスト",
    "tab\tand\nnew line  and   spaces",
    "I'm  ok!!! don't",
    "x" * 3000,
]


def _sklearn_counts(forms: list[str]) -> object:
    # The vectorizer the heads were trained with (as the triage package built it before the memos).
    words = HashingVectorizer(
        analyzer="word", ngram_range=(1, 2), lowercase=False, token_pattern=r"(?u)\b\w+\b|[^\w\s]"
    ).build_analyzer()
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=False).build_analyzer()
    hasher = HashingVectorizer(
        n_features=N_FEATURES,
        analyzer=lambda doc: words(doc) + chars(doc),
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    )
    return hasher.transform(forms)


def _fixture_texts() -> list[str]:
    texts = []
    for name in ("twcs_sample.csv", "twcs_sample_pandas.csv", "twcs_threads.csv"):
        with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle)]
    return texts


def test_memoised_hashing_equals_scikit_learns() -> None:
    forms = [for_models(t) for t in _fixture_texts() + ODD]
    expected = _sklearn_counts(forms)
    hasher = Hasher()

    for _ in range(2):  # cold memos, then warm ones
        got = hasher.counts(forms)
        assert np.array_equal(got.indptr, expected.indptr)  # type: ignore[attr-defined]
        assert np.array_equal(got.indices, expected.indices)  # type: ignore[attr-defined]
        assert np.array_equal(got.data, expected.data)  # type: ignore[attr-defined]
        assert got.dtype == np.float32


def test_memos_are_dropped_past_their_limit(monkeypatch: object) -> None:
    import socialdesk.triage.hashing as hashing

    hasher = Hasher()
    hasher.counts(["one two three"])
    assert (len(hasher.words), len(hasher.tokens)) == (3, 5)
    monkeypatch.setattr(hashing, "MEMO_LIMIT", 7)  # type: ignore[attr-defined]
    again = hasher.counts(["four"])

    assert (sorted(hasher.words), sorted(hasher.tokens)) == (["four"], ["four"])
    # " f" "fo" "ou" "ur" "r " " fo" "fou" "our" "ur " " fou" "four" "our " " four" "four ": 14
    # n-grams, and the token "four" lands in the column of the 4-gram "four".
    assert again.nnz == 14
