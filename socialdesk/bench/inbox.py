"""`socialdesk seed` fills a workspace with many conversations quickly (bulk inserts, no pipeline);
`socialdesk bench inbox` seeds a fresh database per engine and measures the inbox and search as the
server handles them (request in, HTML or JSON out), p50/p95 per query, into docs/benchmarks.md."""

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

WORDS = (
    "signal",
    "line",
    "data",
    "bill",
    "refund",
    "charged",
    "twice",
    "roaming",
    "esim",
    "app",
    "login",
    "outage",
    "madrid",
    "porto",
    "lisbon",
    "calls",
    "dropping",
    "slow",
    "internet",
    "fibre",
    "router",
    "contract",
    "cancel",
    "port",
    "number",
    "address",
    "invoice",
    "fee",
    "plan",
    "upgrade",
    "5g",
    "coverage",
    "store",
    "delivery",
    "card",
    "payment",
    "thanks",
    "great",
    "awful",
    "waiting",
    "still",
    "nobody",
    "help",
)
STATUSES = ["new"] * 3 + ["open"] * 3 + ["pending"] + ["resolved"] * 6 + ["closed"] * 7
LANGUAGES = ["en"] * 5 + ["es"] * 3 + ["pt"] * 2 + ["fr"]
INTENTS = ["complaint"] * 4 + ["question"] * 4 + ["praise"] * 2 + ["spam", "other"]
SENTIMENTS = ["negative"] * 4 + ["neutral"] * 4 + ["positive"] * 2
CATEGORIES = ["line_problem", "technical", "billing", "management", ""]
QUERIES = [
    ("inbox, newest first", "/"),
    ("live conversations", "/?status=live"),
    ("intent + language", "/?intent=complaint&language=es"),
    ("sentiment + priority", "/?sentiment=negative&priority=high"),
    ("unassigned live", "/?assignee=none&status=live"),
    ("SLA breached", "/?sla=breached"),
    ("tag", "/?tag=vip"),
    ("page 100", "/?page=100"),
    ("search one word", "/?q=roaming"),
    ("search two words", "/?q=refund+madrid"),
    ("search, no hit", "/?q=xyzzy"),
    ("API: questions", "/api/conversations?intent=question"),
    ("API: search", "/api/conversations?q=esim+porto"),
]


def seed(conversations: int, messages_per: int = 5, seed_value: int = 7, log: Any = print) -> dict[str, int]:
    """A workspace `bench` with `conversations` conversations of `messages_per` messages each, agents,
    teams and tags, inserted in bulk (triage fields are drawn, not computed)."""
    from django.db import transaction

    from socialdesk.channels.sandbox.receiver import sandbox_channel
    from socialdesk.conversations.models import Contact, Conversation, Message, Tag
    from socialdesk.workspaces.actions import add_member, create_user, create_workspace, ensure_team
    from socialdesk.workspaces.models import Role

    rng = random.Random(seed_value)
    workspace = create_workspace("bench", "Bench Telecom")
    agents = []
    for i in range(10):
        user = create_user(f"agent{i}", "bench passphrase for agents")
        add_member(workspace, user, Role.AGENT)
        agents.append(user)
    teams = [ensure_team(workspace.pk, slug, slug.title()) for slug in ("care", "network", "billing")]
    channels = [sandbox_channel(workspace, network) for network in ("x", "facebook", "instagram", "whatsapp")]
    vip = Tag.objects.create(workspace=workspace, name="vip")
    now = datetime.now(tz=UTC)
    start = now - timedelta(days=365)
    through = Conversation.tags.through
    done = 0
    chunk = 10_000
    while done < conversations:
        size = min(chunk, conversations - done)
        with transaction.atomic():
            contacts = Contact.objects.bulk_create(
                [Contact(workspace=workspace, display_name=f"Customer {done + i}") for i in range(size)]
            )
            batch = []
            for i in range(size):
                first = start + timedelta(seconds=(done + i) * (365 * 86400 / conversations))
                last = first + timedelta(minutes=rng.randint(1, 600))
                status = rng.choice(STATUSES)
                channel = rng.choice(channels)
                batch.append(
                    Conversation(
                        workspace=workspace,
                        channel=channel,
                        contact=contacts[i],
                        thread_key=f"seed:{done + i}",
                        is_private=channel.config.get("simulates") == "whatsapp",
                        status=status,
                        priority=rng.choice([1, 2, 2, 2, 3, 4]),
                        assignee=rng.choice([*agents, None, None]),
                        team=rng.choice(teams),
                        subject=" ".join(rng.choices(WORDS, k=6)),
                        message_count=messages_per,
                        first_inbound_at=first,
                        last_inbound_at=last,
                        last_message_at=last,
                        first_response_at=None if status == "new" else first + timedelta(minutes=20),
                        first_response_due_at=first + timedelta(minutes=30),
                        language=rng.choice(LANGUAGES),
                        sentiment=rng.choice(SENTIMENTS),
                        intent=rng.choice(INTENTS),
                        category=rng.choice(CATEGORIES),
                        priority_score=rng.randint(0, 100),
                    )
                )
            created = Conversation.objects.bulk_create(batch)
            messages = []
            for conversation in created:
                for j in range(messages_per):
                    inbound = j % 2 == 0
                    messages.append(
                        Message(
                            workspace=workspace,
                            conversation=conversation,
                            channel=conversation.channel,
                            direction="in" if inbound else "out",
                            is_private=conversation.is_private,
                            kind="mention" if inbound else "reply",
                            network_message_id=f"seed-{conversation.pk}-{j}",
                            author_handle="customer" if inbound else "brand",
                            text=" ".join(rng.choices(WORDS, k=rng.randint(6, 25))),
                            sent_at=conversation.first_inbound_at + timedelta(minutes=j * 5),
                            delivery_status="received" if inbound else "sent",
                        )
                    )
            Message.objects.bulk_create(messages, batch_size=5000)
            through.objects.bulk_create(
                [through(conversation_id=c.pk, tag_id=vip.pk) for c in created if rng.random() < 0.05]
            )
        done += size
        log(f"seeded {done:,}/{conversations:,} conversations")
    return {"conversations": conversations, "messages": conversations * messages_per}


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def measure(repeat: int) -> list[dict[str, Any]]:
    """Each query `repeat` times through Django's request handling (test client, logged in)."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="agent0"))
    rows = []
    for name, url in QUERIES:
        client.get(url)  # warm caches and the query plan
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")
        rows.append(
            {
                "engine": connection.vendor,
                "query": name,
                "url": url,
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(_percentile(times, 95), 1),
            }
        )
    return rows


def run_child(conversations: int, repeat: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    counts = seed(conversations, log=lambda m: print(m, file=sys.stderr, flush=True))
    seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(json.dumps({"seed_seconds": round(seconds, 1), **counts, "rows": measure(repeat)}))


def run_inbox_benchmark(
    conversations: int, databases: list[str], repeat: int, output: Path, console: Console
) -> list[dict[str, Any]]:
    results = []
    for database in databases:
        with tempfile.TemporaryDirectory(prefix="socialdesk-inbox-") as tmp:
            url = fresh_database(database, Path(tmp), "inbox")
            console.print(f"inbox bench: {database.split(':')[0]}, {conversations:,} conversations ...")
            result = run_in_child(
                "socialdesk.bench.inbox", [str(conversations), str(repeat)], url, Path(tmp), console
            )
            for row in result["rows"]:
                console.print(
                    f"{row['engine']:>10} {row['query']:<22} p50 {row['p50_ms']:>7} ms"
                    f"  p95 {row['p95_ms']:>7} ms"
                )
            results.append(result)
    _append_markdown(results, conversations, repeat, output)
    return results


def _append_markdown(results: list[dict[str, Any]], conversations: int, repeat: int, output: Path) -> None:
    lines = [
        "",
        f"## Inbox and search — {datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"`socialdesk bench inbox`: {conversations:,} conversations / {conversations * 5:,} messages seeded "
        f"in bulk; each query {repeat} times through Django's request handling (session, query, template "
        f"or JSON), one process on {os.cpu_count()} cores, Python {platform.python_version()}. "
        "Target: p95 under 100 ms.",
        "",
        "| engine | query | p50 ms | p95 ms |",
        "|---|---|---:|---:|",
    ]
    for result in results:
        for row in result["rows"]:
            lines.append(
                f"| {row['engine']} | {row['query']} (`{row['url']}`) | {row['p50_ms']} | {row['p95_ms']} |"
            )
    seeds = ", ".join(f"{r['rows'][0]['engine']} {r['seed_seconds']} s" for r in results if r["rows"])
    lines += ["", f"Seeding took {seeds}."]
    with output.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    run_child(int(sys.argv[1]), int(sys.argv[2]))
