"""`socialdesk bench import`: rows/s importing a generated twcs.csv into a fresh SQLite desk.

The file is written like Kaggle's (same columns, times and reply links) with the shapes that matter
for threading: multi-turn threads, hand-overs between two accounts of a brand, a reply addressed to
two customers, broadcasts several people answer, unanswered tweets. Same seed, same file. The import
runs in a child process (`python -m socialdesk.importers.bench_twcs`) on a fresh database, as the ingest
bench does, so the figure is the importer's alone. Writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import csv
import itertools
import os
import platform
import random
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console

from socialdesk.bench.child import fresh_database, run_in_child
from socialdesk.bench.sections import write_section

SECTION = "## TWCS import"
WHAT_LIMITS = (
    "With triage, every distinct customer text of a batch goes through the fast path (hashed n-grams from "
    "per-word memos, fastText language, word lists, PII patterns skipped without a digit) in a worker "
    "process, one batch while the importing process writes the batch before and reads the one after; "
    "the worker sends back each text's stored fields as a tuple. The importing process reads the file "
    "twice: the first pass validates every row and works out the threads, the second reads only each "
    "record's text (the rest of the tweet is in the thread graph) and inserts prepared tuples. Then "
    "the reports' facts are backfilled for every imported conversation (`reports.history.backfill_ids`; "
    "the messages loaded with only the fields facts read, the facts gathered as plain rows and inserted "
    "with one prepared statement, their hourly rollups upserted in one statement per 200 rows): "
    "*read / write / facts* splits the importing process's CPU seconds between the first pass, the second "
    "pass with its inserts and search index, and that backfill. Seconds and rows/s are wall-clock time on "
    "a machine other work shares: the CPU columns say how much each process actually ran, and "
    "`rows / max(CPU)` estimates the rate with two cores to itself (the slower of the two processes sets "
    "the pace; CPU time itself stretches on an oversubscribed machine, so it is no upper bound). The "
    "full-text index is filled once at the end for the imported workspace (its insert trigger skips that "
    "workspace meanwhile and is restored in a `finally`), and contacts and conversations are written as "
    "plain rows. The generated texts repeat (about 800 distinct customer texts per 20,000 rows), so "
    "reading each distinct text of a batch once spares the worker far more here than on real tweets."
)
BRANDS = [
    ("AppleSupport", "Apple"),
    ("AmazonHelp", "amazon"),
    ("Uber_Support", "Uber"),
    ("SpotifyCares", "Spotify"),
    ("Delta", "DeltaAssist"),
    ("comcastcares", "Comcast"),
    ("AmericanAir", "AA_Help"),
    ("TMobileHelp", "TMobile"),
    ("British_Airways", "BA_Help"),
    ("sprintcare", "sprint"),
]
ASKS = [
    "my {thing} stopped working after the update, any idea?",
    "I have been waiting {n} days for my {thing} and nobody answers",
    "why was I charged twice for {thing}??",
    "how do I change the address on my {thing} order",
    "your app keeps crashing when I open {thing}",
    "thanks, the {thing} works now!",
]
ANSWERS = [
    "We're sorry to hear that. Can you DM us the details so we can look into your {thing}?",
    "Thanks for reaching out! Which version of the {thing} are you using?",
    "We'd like to help. Please send us a DM with your order number.",
    "Glad to hear it! Let us know if there's anything else.",
]
THINGS = ["phone", "parcel", "flight", "ride", "subscription", "router", "laptop", "booking", "card"]


def _time(at: datetime) -> str:
    return at.strftime("%a %b %d %H:%M:%S +0000 %Y")


class _Thread:
    """The tweets of one exchange, linked both ways as in the dataset."""

    def __init__(self, ids: Iterator[int], start: datetime) -> None:
        self.ids, self.start = ids, start
        self.rows: list[list[Any]] = []

    def tweet(self, author: str, inbound: bool, text: str, parent: list[Any] | None, after: int) -> list[Any]:
        at = (parent[3] if parent else self.start) + timedelta(seconds=after)
        row: list[Any] = [next(self.ids), author, inbound, at, text, [], parent[0] if parent else None]
        if parent:
            parent[5].append(row[0])
        self.rows.append(row)
        return row


def _customer(rng: random.Random) -> str:
    return str(100_000 + rng.randrange(400_000))


def _exchange(rng: random.Random, thread: _Thread) -> None:
    support, other = rng.choice(BRANDS)
    customer, thing, shape = _customer(rng), rng.choice(THINGS), rng.random()
    if shape < 0.08:  # a broadcast two or three customers answer, not all of them answered
        post = thread.tweet(support, False, f"We're aware of problems with {thing}s today.", None, 0)
        for _ in range(rng.randint(2, 3)):
            person = _customer(rng)
            asked = thread.tweet(
                person, True, f"@{support} is my {thing} affected?", post, rng.randint(60, 3600)
            )
            if rng.random() < 0.6:
                thread.tweet(
                    support, False, f"@{person} Yes, fixed within the hour.", asked, rng.randint(60, 7200)
                )
        return
    last = thread.tweet(customer, True, f"@{support} " + rng.choice(ASKS).format(thing=thing, n=3), None, 0)
    for turn in range(rng.choice([0, 1, 1, 1, 2, 2, 3])):
        if turn == 0 and shape < 0.12:  # a hand-over from the other account of the brand
            last = thread.tweet(other, False, f"@{support} @{customer} over to you", last, 120)
        second = _customer(rng)
        two = turn == 0 and 0.12 <= shape < 0.16  # one reply addressed to two customers
        mentions = f"@{customer} @{second}" if two else f"@{customer}"
        answer = rng.choice(ANSWERS).format(thing=thing)
        reply = thread.tweet(support, False, f"{mentions} {answer}", last, rng.randint(60, 7200))
        if two:
            thread.tweet(second, True, f"@{support} same problem here with my {thing}", reply, 300)
        last = reply
        if rng.random() < 0.8:
            text = f"@{support} " + rng.choice(ASKS).format(thing=thing, n=2)
            last = thread.tweet(customer, True, text, reply, 600)


def _tweets(rows: int, seed: int) -> Iterator[list[Any]]:
    """Rows as (tweet_id, author_id, inbound, created_at, text, response_tweet_id, in_response_to)."""
    rng = random.Random(seed)
    ids = itertools.count(1)
    clock = datetime(2017, 10, 1, tzinfo=UTC)
    written = 0
    while True:
        clock += timedelta(seconds=rng.randint(1, 20))
        thread = _Thread(ids, clock)
        _exchange(rng, thread)
        for row in thread.rows:
            if written >= rows:
                return
            row[3] = _time(row[3])
            row[5] = ",".join(str(i) for i in row[5])
            yield row
            written += 1


def generate(path: Path, rows: int, seed: int = 15) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "tweet_id",
                "author_id",
                "inbound",
                "created_at",
                "text",
                "response_tweet_id",
                "in_response_to_tweet_id",
            ]
        )
        writer.writerows(_tweets(rows, seed))


def run_import_benchmark(rows: int, seed: int, output: Path, console: Console) -> list[dict[str, Any]]:
    """Import the same file twice, each into a fresh database: with triage, as `socialdesk import
    twcs` runs, and without, to show what triage costs."""
    results = []
    with tempfile.TemporaryDirectory(prefix="socialdesk-bench-") as tmp:
        csv_path = Path(tmp) / "twcs.csv"
        started = time.perf_counter()
        generate(csv_path, rows, seed)
        console.print(f"generated {rows:,} rows in {time.perf_counter() - started:.0f} s")
        for flags in ([], ["--no-triage"]):
            url = fresh_database("sqlite", Path(tmp), "bench")
            console.print(f"importing {' '.join(flags)} ...")
            module, args = "socialdesk.importers.bench_twcs", [str(csv_path), *flags]
            row: dict[str, Any] = run_in_child(module, args, url, Path(tmp), console)
            console.print(row)
            results.append(row)
    write_section(SECTION, _section(results, seed), output)
    console.print(f"section written to {output}")
    return results


def _section(results: list[dict[str, Any]], seed: int) -> str:
    import django

    lines = [
        SECTION,
        "",
        f"`socialdesk bench import` on {datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs "
        f"(shared with other work), Python {platform.python_version()}, Django {django.get_version()}: "
        f"a generated twcs.csv (seed {seed}) imported into a fresh SQLite desk: read and validate, "
        "thread, then the texts read again and inserted as prepared rows in batches of 5,000 records "
        "(full-text index filled once at the end), statuses and waits derived, the reports' facts "
        "backfilled; triage on the fast path, batched, for every customer tweet (or none, to show its "
        "cost). Load average: the machine's one-minute load sampled every 10 s during the run "
        "(min / mean / max).",
        "",
        "| database | triage | rows | seconds | rows/s | messages | conversations | skipped "
        "| import CPU s | read / write / facts | worker CPU s | rows / max(CPU) "
        "| peak RSS MB (import / worker) | load average |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|",
    ]
    for r in results:
        busiest = max(r["cpu_seconds"], r["worker_cpu_seconds"])
        load = " / ".join(str(x) for x in r["load_average"])
        steps = " / ".join(str(r["cpu_by_step"].get(step, "")) for step in ("read", "write", "facts"))
        lines.append(
            f"| {r['engine']} | {r['triage']} | {r['rows']:,} | {r['seconds']} | {r['rows_per_second']:,} | "
            f"{r['messages']:,} | {r['conversations']:,} | {r['skipped']:,} | {r['cpu_seconds']} | {steps} | "
            f"{r['worker_cpu_seconds']} | {round(r['rows'] / busiest):,} | "
            f"{r['peak_rss_mb']:,} / {r['worker_peak_rss_mb']:,} | {load} |"
        )
    lines += ["", WHAT_LIMITS]
    return "\n".join(lines) + "\n"
