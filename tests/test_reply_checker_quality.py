"""The reply checker's quality gate on the held-out set, checker_data/drafts_independent.jsonl: written
blind by another author and never used to tune the patterns or train the heads (in a checkout without it,
the hash half of drafts.jsonl stands in, which is not independent). Per-rule precision and recall, and
time per draft. The lists below are explicit: they are set by measuring, not computed."""

import pytest

from socialdesk.bench.checker import (
    RULES,
    calibration_authors,
    calibration_drafts,
    held_out_drafts,
    held_out_evaluation,
    independent,
)

EVALUATION = held_out_evaluation()
SCORES = {score.rule: score for score in EVALUATION.scores}
PATTERNS_ONLY = {score.rule: score for score in held_out_evaluation(learned=False).scores}
# Rules still below the target (precision 0.95, recall 0.90) on the held-out set; see
# docs/benchmarks.md. Remove a rule from here when it reaches the target: the strict xfail then fails.
# On the independent set (written blind by another author; measured 2026-12-07 with heads trained on five
# other authors' drafts): these three are short. no_personal_data_in_public reached it (1.000 / 0.920).
BELOW_TARGET_INDEPENDENT = {
    "no_selling",
    "no_condescension",
    "hostile_tone",
}
# On the fallback (hash half of drafts.jsonl, which the patterns are now tuned on): every rule is there.
BELOW_TARGET_FALLBACK: set[str] = set()
BELOW_TARGET = BELOW_TARGET_INDEPENDENT if independent() else BELOW_TARGET_FALLBACK
# Floors: held-out quality must not fall more than 0.05 below what was measured (regressions fail).
# Measured on the independent set (precision, recall); the fallback split is tuned on, so 0.95 / 0.90.
# 2026-12-07, after the fifth author (drafts_w4), the general pattern forms and the retrained heads; the
# 2026-12-06 figures were no_selling 0.868 / 0.660 (precision fell by 0.094 while recall rose by 0.160),
# no_sensitive_data_request 0.957 / 0.936, no_personal_data_in_public 1.000 / 0.880, no_condescension
# 0.956 / 0.754, hostile_tone 1.000 / 0.862, robotic 0.973 / 1.000 (see docs/benchmarks.md).
MEASURED_INDEPENDENT = {
    "no_selling": (0.774, 0.820),
    "no_sensitive_data_request": (0.956, 0.915),
    "no_personal_data_in_public": (1.000, 0.920),
    "no_condescension": (0.936, 0.772),
    "hostile_tone": (0.962, 0.862),
    "robotic": (1.000, 1.000),
    "signature": (1.000, 1.000),
    "length": (1.000, 1.000),
}
# Rules with a learned head (checker_data/heads.npz): on held-out drafts it must not lose recall, nor take
# precision below the patterns' own or 0.95, whichever is lower (the trade its add threshold is chosen for).
WITH_A_HEAD = {
    "no_selling",
    "no_sensitive_data_request",
    "no_personal_data_in_public",
    "no_condescension",
    "hostile_tone",
    "robotic",
}
# Heads known to cost precision below that bar on the independent set (measured 2026-12-07): the
# condescension head adds 14 true reports and 2 false ones there (0.936 against the patterns' 0.968).
HEAD_COSTS_PRECISION = {"no_condescension"} if independent() else set()
LANGUAGES = ("en", "es", "pt", "fr", "de")


def test_the_calibration_set_is_large_balanced_multilingual_and_from_five_authors() -> None:
    authors = dict((name, len(drafts)) for name, drafts in calibration_authors())
    assert set(authors) == {
        "drafts.jsonl",
        "drafts_w1.jsonl",
        "drafts_w2.jsonl",
        "drafts_w3.jsonl",
        "drafts_w4.jsonl",
    }
    assert min(authors.values()) >= 700
    drafts = calibration_drafts()
    assert len(drafts) >= 3300
    acceptable = sum(not d.labels for d in drafts)
    assert 0.35 <= acceptable / len(drafts) <= 0.6
    languages = {lang: sum(d.language == lang for d in drafts) for lang in LANGUAGES}
    assert min(languages.values()) >= 500
    assert 0.3 <= languages["en"] / len(drafts) <= 0.45
    for rule in WITH_A_HEAD:
        assert sum(rule in d.labels for d in drafts) >= 250, rule


def test_the_held_out_set_covers_every_language_and_only_known_rules() -> None:
    drafts = held_out_drafts()
    assert drafts
    assert {d.language for d in drafts} >= set(LANGUAGES)
    assert set().union(*(d.labels for d in drafts)) <= set(RULES)
    if independent():
        # Written blind: none of its drafts is one the patterns were tuned on.
        assert not {d.text for d in drafts} & {d.text for d in calibration_drafts()}


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
def test_held_out_quality_does_not_fall_below_its_floor(rule: str) -> None:
    score = SCORES[rule]
    precision, recall = MEASURED_INDEPENDENT[rule] if independent() else (0.95, 0.90)
    assert score.precision >= precision - 0.05, score
    assert score.recall >= recall - 0.05, score


@pytest.mark.parametrize(
    "rule",
    [
        pytest.param(
            rule,
            marks=pytest.mark.xfail(
                strict=True, reason="the head costs held-out precision; see HEAD_COSTS_PRECISION"
            ),
        )
        if rule in HEAD_COSTS_PRECISION
        else rule
        for rule in sorted(WITH_A_HEAD)
    ],
)
def test_the_learned_heads_lose_no_recall_and_keep_precision_on_held_out_drafts(rule: str) -> None:
    score, alone = SCORES[rule], PATTERNS_ONLY[rule]
    assert score.precision >= min(alone.precision, 0.95), (score, alone)
    assert score.recall >= alone.recall, (score, alone)


@pytest.mark.parametrize("rule", sorted(set(RULES) - WITH_A_HEAD))
def test_rules_without_a_head_are_the_patterns_alone(rule: str) -> None:
    assert SCORES[rule] == PATTERNS_ONLY[rule]


def test_a_draft_is_checked_in_well_under_50_ms() -> None:
    assert EVALUATION.p95_ms < 50
