"""`socialdesk bench triage`: messages/s through the whole triage (language, sentiment, intent,
complaint, abuse, legal, personal data, category, priority) on this CPU, one message per call as the
ingest path calls it, for the fast (default) path and the accurate path; and batched (256 per call)
for the fast path, as a backlog replay runs it. Appends a table to docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from socialdesk.demo import customer_posts
from socialdesk.policy.loader import load_policy
from socialdesk.triage.category import CategoryIndex, policy_examples
from socialdesk.triage.engine import Settings, triage_many

POLICY = Path(__file__).parents[1] / "policy" / "examples" / "telecom.yaml"


def _texts(n: int) -> list[str]:
    base = [post["text"] for post in customer_posts()]
    return (base * (1 + n // len(base)))[:n]


def _settings(accurate: bool) -> Settings:
    policy = load_policy(POLICY.read_text(encoding="utf-8"))
    examples = policy_examples(policy)
    vectors = None
    if accurate:
        from socialdesk.triage.heads import embedder

        vectors = embedder().embed([t for _, t in examples])
    return Settings(
        languages=tuple(policy.triage.languages),
        phone_regions=tuple(policy.triage.phone_regions),
        categories=CategoryIndex.build(examples, vectors),
        accurate=accurate,
    )


def measure(n: int, accurate: bool, batch: int) -> dict[str, Any]:
    settings = _settings(accurate)
    texts = _texts(n)
    triage_many(texts[:8], settings)  # models load outside the clock
    latencies = []
    started = time.perf_counter()
    for start in range(0, n, batch):
        t0 = time.perf_counter()
        triage_many(texts[start : start + batch], settings)
        latencies.append((time.perf_counter() - t0) * 1000 / len(texts[start : start + batch]))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "path": "accurate" if accurate else "fast",
        "batch": batch,
        "messages": n,
        "per_second": n / elapsed,
        "p50_ms": latencies[len(latencies) // 2],
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    }


def _measure_fast(n: int) -> dict[str, Any]:
    return measure(n, False, 1)


def measure_processes(n: int, processes: int) -> dict[str, Any]:
    """The fast path in `processes` worker processes at once (how ingest workers scale on this CPU):
    messages/s of the whole machine = all messages / the slowest worker's time."""
    from concurrent.futures import ProcessPoolExecutor

    share = n // processes
    with ProcessPoolExecutor(processes) as pool:
        rows = list(pool.map(_measure_fast, [share] * processes))
    seconds = max(share / row["per_second"] for row in rows)
    return {
        "path": f"fast x{processes} processes",
        "batch": 1,
        "messages": share * processes,
        "per_second": share * processes / seconds,
        "p50_ms": max(row["p50_ms"] for row in rows),
        "p99_ms": max(row["p99_ms"] for row in rows),
    }


def run_triage_benchmark(
    fast_n: int, accurate_n: int, output: Path, console: Console
) -> list[dict[str, Any]]:
    rows = [measure(fast_n, False, 1), measure(fast_n, False, 256)]
    cores = os.cpu_count() or 1
    if cores > 1:
        rows.append(measure_processes(fast_n, cores))
    if accurate_n:
        rows.append(measure(accurate_n, True, 1))
    for row in rows:
        console.print(
            f"{row['path']:>20} batch {row['batch']:>3}: {row['per_second']:,.0f} msg/s "
            f"(p50 {row['p50_ms']:.2f} ms, p99 {row['p99_ms']:.2f} ms per message)"
        )
    lines = [
        "",
        f"## Triage throughput — {datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"`socialdesk bench triage`, one process, {os.cpu_count()} cores ({platform.machine()}), "
        "demo-day posts with the telecom policy; every task runs (language, sentiment, intent, complaint, "
        "abuse, legal, personal data, category, priority).",
        "",
        "Single rows are one process; *x N processes* runs N at once (p50/p99: the worst worker's).",
        "",
        "| path | batch | messages | messages/s | p50 ms/msg | p99 ms/msg |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['path']} | {row['batch']} | {row['messages']:,} | {row['per_second']:,.0f} | "
            f"{row['p50_ms']:.2f} | {row['p99_ms']:.2f} |"
        )
    with output.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return rows
