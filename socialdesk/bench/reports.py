"""`socialdesk bench reports`: every report the dashboard shows, and its CSV and XLSX exports, for
30-day periods spread over a year of facts (socialdesk/bench/report_data.py seeds a fresh database
per engine). p50/p95 per report, into the "Reports" section of docs/benchmarks.md."""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console

from socialdesk.bench.child import fresh_database, run_in_child
from socialdesk.bench.sections import write_section

SECTION = "## Reports"
TARGET_MS = 300
FORMATS = ("csv", "xlsx")
PERIOD_DAYS = 30


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def windows(end: datetime, repeat: int) -> list[tuple[date, date]]:
    """`repeat` 30-day periods (first and last day, inclusive) spread evenly over the year before
    `end`, the latest ending the day before it."""
    last = end.date() - timedelta(days=1)
    span = 365 - PERIOD_DAYS
    found = []
    for n in range(repeat):
        last_day = last - timedelta(days=round(span * n / max(repeat - 1, 1)))
        found.append((last_day - timedelta(days=PERIOD_DAYS - 1), last_day))
    return found


def measure(end: datetime, repeat: int) -> list[dict[str, Any]]:
    """Each report built, and built then exported in each format, once per period."""
    from zoneinfo import ZoneInfo

    from django.db import connection

    from socialdesk.reports.summaries import catalog
    from socialdesk.reports.summaries.exports import render
    from socialdesk.reports.summaries.period import Period
    from socialdesk.workspaces.models import Workspace

    workspace = Workspace.objects.get(slug="bench")
    zone = ZoneInfo(workspace.timezone)
    periods = [Period(first, last, zone) for first, last in windows(end, repeat)]
    for name in catalog.NAMES:  # warm the connection, caches and query plans
        render(catalog.build(name, workspace.pk, periods[0]), "xlsx")
    rows = []
    for name in catalog.NAMES:
        times: dict[str, list[float]] = {"build": [], **{fmt: [] for fmt in FORMATS}}
        least = None
        for period in periods:
            started = time.perf_counter()
            report = catalog.build(name, workspace.pk, period)
            times["build"].append((time.perf_counter() - started) * 1000)
            least = len(report.rows) if least is None else min(least, len(report.rows))
            for fmt in FORMATS:
                started = time.perf_counter()
                data = render(catalog.build(name, workspace.pk, period), fmt)
                times[fmt].append((time.perf_counter() - started) * 1000)
                if not data:
                    raise RuntimeError(f"{name}: empty {fmt}")
        row: dict[str, Any] = {"engine": connection.vendor, "report": name, "fewest_rows": least}
        for what, values in times.items():
            row[f"{what}_p50"] = round(statistics.median(values), 1)
            row[f"{what}_p95"] = round(percentile(values, 95), 1)
        rows.append(row)
    return rows


def run_child(conversations: int, repeat: int, end_text: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from socialdesk.bench.report_data import seed_reports

    end = datetime.fromisoformat(end_text)
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    counts = seed_reports(conversations, end, log=lambda m: print(m, file=sys.stderr, flush=True))
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(json.dumps({"seed_seconds": round(seconds, 1), **counts, "rows": measure(end, repeat)}))


def default_end() -> datetime:
    return datetime.now(tz=UTC).replace(minute=0, second=0, microsecond=0)


def run_reports_benchmark(
    conversations: int,
    databases: list[str],
    repeat: int,
    output: Path,
    console: Console,
    end: datetime | None = None,
) -> list[dict[str, Any]]:
    end = end or default_end()
    results = []
    for database in databases:
        with tempfile.TemporaryDirectory(prefix="socialdesk-reports-") as tmp:
            url = fresh_database(database, Path(tmp), "reports")
            console.print(f"reports bench: {database.split(':')[0]}, {conversations:,} conversations ...")
            result = run_in_child(
                "socialdesk.bench.reports",
                [str(conversations), str(repeat), end.isoformat()],
                url,
                Path(tmp),
                console,
            )
            console.print(
                f"seeded in {result['seed_seconds']} s: {result['messages']:,} messages, "
                f"{result['facts']:,} facts, {result['rollups']:,} rollup rows"
            )
            for row in result["rows"]:
                console.print(
                    f"{row['engine']:>10} {row['report']:<15} p50 {row['build_p50']:>7} ms  p95 "
                    f"{row['build_p95']:>7} ms  csv p95 {row['csv_p95']:>7} ms"
                    f"  xlsx p95 {row['xlsx_p95']:>7} ms"
                )
            results.append(result)
    write_section(SECTION, section(results, conversations, repeat), output)
    return results


def section(results: list[dict[str, Any]], conversations: int, repeat: int) -> str:
    import django

    lines = [
        SECTION,
        "",
        f"`socialdesk bench reports` on {datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs "
        f"(shared with other work), Python {platform.python_version()}, Django {django.get_version()}: "
        f"{conversations:,} conversations spread over 365 days (weekly and daily shape, incident bursts), "
        "their messages and the facts they would have produced, inserted in bulk with the rollups added "
        "through `reports.facts.add_to_rollups` (one call per 5,000 conversations). Each report in "
        f"`catalog.NAMES` is built for {repeat} different {PERIOD_DAYS}-day periods spread over the year "
        "(workspace zone Europe/Madrid); *csv* and *xlsx* are the report built and exported, as a download "
        f"does. One process, after `ANALYZE`. Target: p95 under {TARGET_MS} ms.",
        "",
    ]
    for result in results:
        engine = result["rows"][0]["engine"] if result["rows"] else "?"
        by_kind = ", ".join(f"{kind} {n:,}" for kind, n in result["by_kind"].items())
        load = result.get("load_average")
        lines += [
            f"**{engine}**: {result['conversations']:,} conversations, {result['messages']:,} messages, "
            f"{result['facts']:,} facts ({by_kind}), {result['rollups']:,} rollup rows; seeded in "
            f"{result['seed_seconds']} s"
            + (f"; load average {load[0]} / {load[1]} / {load[2]}." if load else "."),
            "",
            "| report | p50 ms | p95 ms | csv p50 | csv p95 | xlsx p50 | xlsx p95 | fewest rows |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in result["rows"]:
            slow = " ⚠" if max(row["build_p95"], row["csv_p95"], row["xlsx_p95"]) >= TARGET_MS else ""
            lines.append(
                f"| {row['report']}{slow} | {row['build_p50']} | {row['build_p95']} | {row['csv_p50']} | "
                f"{row['csv_p95']} | {row['xlsx_p50']} | {row['xlsx_p95']} | {row['fewest_rows']} |"
            )
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    run_child(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
