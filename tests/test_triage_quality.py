"""The shipped models against the validation splits of ../shared/data (fast path; the accurate path
is measured by `socialdesk triage eval`, too slow for every test run). Floors are the issue's targets
where the fast path meets them, else just under the measured value, so a worse model fails."""

from pathlib import Path

import pytest

from socialdesk.triage.datasets import default_data_dir
from socialdesk.triage.evaluate import Scorer, evaluate_heads, evaluate_language

DATA = default_data_dir()
pytestmark = pytest.mark.skipif(
    not (DATA / "xlm-t-sentiment").is_dir(), reason=f"no training data at {DATA} (SOCIALDESK_TRAINING_DATA)"
)


@pytest.fixture(scope="module")
def fast() -> dict[str, dict[str, float]]:
    return evaluate_heads(Path(DATA), Scorer(False, None, lambda _m: None))


def test_language_accuracy_on_xlmt_languages() -> None:
    report = evaluate_language(Path(DATA))
    assert report["with_workspace_languages"]["average_without_hi"] >= 0.97
    assert report["open_set"]["average_without_hi"] >= 0.97
    for code in ("en", "es", "fr", "ar", "it"):
        assert report["with_workspace_languages"][code] >= 0.97


def test_english_sentiment_meets_the_target_on_the_fast_path(fast: dict[str, dict[str, float]]) -> None:
    assert fast["sentiment_en_semeval"]["macro_recall"] >= 0.68


def test_multilingual_sentiment_and_complaints_hold_their_measured_level(
    fast: dict[str, dict[str, float]],
) -> None:
    assert fast["sentiment_xlmt_macro_f1"]["average_7"] >= 0.60
    assert fast["complaint"]["macro_f1"] >= 0.80
    assert fast["offensive_tweeteval"]["macro_f1"] >= 0.70
