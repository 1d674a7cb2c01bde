"""The reply checker's quality gate, computed from the labelled drafts' held-out half (never used to
tune the patterns): per-rule precision and recall, and time per draft."""

import pytest

from socialdesk.bench.checker import RULES, evaluate, held_out_evaluation, load_drafts, telecom_policy

EVALUATION = held_out_evaluation()
SCORES = {score.rule: score for score in EVALUATION.scores}
PATTERNS_ONLY = {
    score.rule: score
    for score in evaluate([d for d in load_drafts() if d.held_out], telecom_policy(), learned=False).scores
}
# Rules still below the target (precision 0.95, recall 0.90) on the held-out half; see
# docs/benchmarks.md. Remove a rule from here when it reaches the target: the strict xfail then fails.
BELOW_TARGET = {"no_selling", "no_sensitive_data_request", "no_condescension", "hostile_tone"}


def test_the_labelled_set_is_large_balanced_and_multilingual() -> None:
    drafts = load_drafts()
    assert len(drafts) >= 600
    acceptable = sum(not d.labels for d in drafts)
    assert 0.4 <= acceptable / len(drafts) <= 0.6
    languages = {lang: sum(d.language == lang for d in drafts) for lang in ("en", "es", "pt", "fr", "de")}
    assert min(languages.values()) >= 80
    assert 0.35 <= languages["en"] / len(drafts) <= 0.45
    held_out = sum(d.held_out for d in drafts)
    assert 0.4 <= held_out / len(drafts) <= 0.6


@pytest.mark.parametrize("rule", [r for r in RULES if r not in BELOW_TARGET])
def test_held_out_precision_and_recall_meet_the_target(rule: str) -> None:
    score = SCORES[rule]
    assert score.support >= 2
    assert score.precision >= 0.95, score
    assert score.recall >= 0.90, score


@pytest.mark.parametrize("rule", sorted(BELOW_TARGET))
@pytest.mark.xfail(strict=True, reason="below the issue's target on held-out drafts; see docs/benchmarks.md")
def test_held_out_rules_below_target_reach_it(rule: str) -> None:
    score = SCORES[rule]
    assert score.precision >= 0.95 and score.recall >= 0.90, score


@pytest.mark.parametrize("rule", RULES)
def test_held_out_quality_does_not_fall_below_what_it_is_today(rule: str) -> None:
    score = SCORES[rule]
    assert score.precision >= 0.85, score
    assert score.recall >= 0.75, score


@pytest.mark.parametrize("rule", RULES)
def test_the_learned_heads_lose_nothing_on_held_out_drafts(rule: str) -> None:
    # Kept only where they measurably help (no_selling: precision and recall both up); elsewhere no head.
    score, alone = SCORES[rule], PATTERNS_ONLY[rule]
    assert score.precision >= alone.precision, (score, alone)
    assert score.recall >= alone.recall, (score, alone)


def test_the_learned_no_selling_head_adds_recall_and_precision_on_held_out_drafts() -> None:
    score, alone = SCORES["no_selling"], PATTERNS_ONLY["no_selling"]
    assert (score.true_positives, score.false_positives) == (57, 5)
    assert (alone.true_positives, alone.false_positives) == (55, 7)


def test_a_draft_is_checked_in_well_under_50_ms() -> None:
    assert EVALUATION.p95_ms < 50
