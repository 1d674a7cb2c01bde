"""`socialdesk bench ingest`: messages/s through store -> normalize -> thread -> persist, with latency.

The workspace runs the example telecom policy, so triage, routing, due times and acknowledgment
scheduling are part of every message's path. Each (database, size, mode) runs in a fresh subprocess
against a fresh database, because Django's
database settings are fixed per process. Modes:
- webhook: every event is received on its own (one insert, one commit) and processed in-process
  right after, as the demo desk and a broker-less install do;
- batched: events arrive in pages of 100 (a poller) and are processed 100 per transaction.
Latency is receipt (raw event stored) to message persisted in its conversation.
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console

from socialdesk.bench.child import fresh_database, run_in_child

PAGE = 100
POLICY_EXAMPLES = Path(__file__).parents[1] / "policy" / "examples"


def synthetic_posts(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """Mentions, replies to earlier posts and DMs from a pool of authors, texts from the demo scenario."""
    from socialdesk.demo import customer_posts

    texts = [post["text"] for post in customer_posts()]
    rng = random.Random(seed)
    authors = max(50, count // 5)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    posts: list[dict[str, Any]] = []
    for i in range(count):
        author = rng.randrange(authors)
        roll = rng.random()
        post: dict[str, Any] = {
            "id": f"b{i}",
            "at": (start + timedelta(seconds=i)).isoformat(),
            "network": "x",
            "kind": "mention",
            "author": {"id": f"a{author}", "handle": f"user{author}", "name": f"User {author}"},
            "text": rng.choice(texts),
        }
        if roll < 0.25 and i > 0:
            post["kind"] = "reply"
            post["reply_to"] = f"b{rng.randrange(max(0, i - 500), i)}"
        elif roll < 0.40:
            post["kind"] = "dm"
        posts.append(post)
    return posts


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def run_one(size: int, mode: str) -> dict[str, Any]:
    """In the child process: migrate a fresh database, push `size` posts through, measure."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from socialdesk.channels.sandbox.receiver import sandbox_channel
    from socialdesk.conversations.models import Conversation, Message
    from socialdesk.ingest.actions import receive_event, receive_events
    from socialdesk.ingest.pipeline import process_raw_events
    from socialdesk.policy.actions import save_policy
    from socialdesk.workspaces.actions import create_workspace

    call_command("migrate", interactive=False, verbosity=0)
    workspace = create_workspace("bench", "Bench")
    # The whole pipeline includes triage and the policy (routing, due times, acknowledgment scheduling).
    save_policy(workspace, (POLICY_EXAMPLES / "telecom.yaml").read_text(encoding="utf-8"))
    channel = sandbox_channel(workspace, "x")
    posts = synthetic_posts(size)
    started = time.perf_counter()
    if mode == "webhook":
        for post in posts:
            receive_event(channel, post["id"], post)
    else:
        for offset in range(0, size, PAGE):
            page = posts[offset : offset + PAGE]
            ids = receive_events(channel, [(p["id"], p) for p in page])
            process_raw_events(ids)
    elapsed = time.perf_counter() - started
    latencies = [
        (ingested - received).total_seconds() * 1000
        for ingested, received in Message.objects.values_list("ingested_at", "raw_event__received_at")
    ]
    return {
        "engine": connection.vendor,
        "mode": mode,
        "size": size,
        "seconds": round(elapsed, 2),
        "per_second": round(size / elapsed),
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(_percentile(latencies, 99), 2),
        "messages": Message.objects.count(),
        "conversations": Conversation.objects.count(),
    }


def run_ingest_benchmarks(
    sizes: list[int],
    databases: list[str],
    output: Path,
    console: Console,
    modes: tuple[str, ...] = ("webhook", "batched"),
) -> None:
    rows: list[dict[str, Any]] = []
    for database in databases:
        for size in sizes:
            for mode in modes:
                with tempfile.TemporaryDirectory(prefix="socialdesk-bench-") as tmp:
                    url = fresh_database(database, Path(tmp), "bench")
                    console.print(f"ingest bench: {database.split(':')[0]} {size:,} messages, {mode} ...")
                    row = run_in_child("socialdesk.bench.ingest", [str(size), mode], url, Path(tmp), console)
                    console.print(row)
                    rows.append(row)
    _append_markdown(rows, output)
    console.print(f"results appended to {output}")


def _append_markdown(rows: list[dict[str, Any]], output: Path) -> None:
    import django

    output.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "",
        f"## Ingest pipeline — {datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"`socialdesk bench ingest` on {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"Django {django.get_version()}. Store raw event -> normalize -> thread -> triage -> policy -> "
        "persist, with the example telecom policy active; latency is "
        "receipt to message in its conversation.",
        "",
        "| database | mode | messages | seconds | messages/s | p50 latency ms | p99 latency ms "
        "| conversations |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['engine']} | {r['mode']} | {r['size']:,} | {r['seconds']} | {r['per_second']:,} | "
            f"{r['p50_ms']} | {r['p99_ms']} | {r['conversations']:,} |"
        )
    with output.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialdesk.settings")
    print(json.dumps(run_one(int(sys.argv[1]), sys.argv[2])))
