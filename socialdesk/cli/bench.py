"""`socialdesk bench`: benchmarks; results are appended to docs/benchmarks.md.
Commands import the benchmarks inside their bodies (heavy: models, datasets), so `--help` stays fast."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from socialdesk.cli.common import console

bench_app = typer.Typer(
    name="bench", help="Benchmarks; results are appended to docs/benchmarks.md.", no_args_is_help=True
)


@bench_app.command("ingest")
def bench_ingest(
    messages: Annotated[list[int] | None, typer.Option("--messages", help="Sizes to run.")] = None,
    database: Annotated[
        list[str] | None, typer.Option("--db", help="sqlite and/or a postgres:// URL.")
    ] = None,
    output: Annotated[Path, typer.Option(help="Where results are appended.")] = Path("docs/benchmarks.md"),
    mode: Annotated[
        list[str] | None,
        typer.Option("--mode", help="webhook (one event per commit) and/or batched (100 per commit)."),
    ] = None,
) -> None:
    """Messages/s through the whole pipeline, and p50/p99 latency from receipt to conversation."""
    from socialdesk.bench.ingest import run_ingest_benchmarks

    run_ingest_benchmarks(
        sizes=messages or [10_000, 100_000],
        databases=database or ["sqlite", "postgres://postgres@127.0.0.1:5432/socialdesk_bench"],
        output=output,
        console=console,
        modes=tuple(mode or ["webhook", "batched"]),
    )


@bench_app.command("triage")
def bench_triage(
    messages: Annotated[int, typer.Option(help="Messages for the fast path.")] = 5000,
    accurate_messages: Annotated[int, typer.Option(help="Messages for the accurate path.")] = 200,
    output: Annotated[Path, typer.Option(help="Where results are appended.")] = Path("docs/benchmarks.md"),
) -> None:
    """Messages/s through the whole triage, fast (default) path and accurate path, on this CPU."""
    from socialdesk.bench.triage import run_triage_benchmark

    run_triage_benchmark(messages, accurate_messages, output, console)


@bench_app.command("listen")
def bench_listen(
    terms: Annotated[int, typer.Option(help="Brand terms in the matcher.")] = 10_000,
    posts: Annotated[int, typer.Option(help="Posts through the matcher.")] = 200_000,
    data: Annotated[
        Path | None, typer.Option(help="Folder with semeval2017-task4A (../shared/data).")
    ] = None,
    output: Annotated[Path, typer.Option(help="Where results are appended.")] = Path("docs/benchmarks.md"),
) -> None:
    """Keyword listening: posts/s matched against N brand terms (Aho-Corasick), with a regex baseline."""
    from socialdesk.bench.listen import run_listen_benchmark
    from socialdesk.triage.datasets import default_data_dir

    run_listen_benchmark(terms, posts, data or default_data_dir(), output, console)


@bench_app.command("inbox")
def bench_inbox(
    conversations: Annotated[int, typer.Option(help="Conversations to seed (5 messages each).")] = 200_000,
    database: Annotated[
        list[str] | None, typer.Option("--db", help="sqlite and/or a postgres:// URL.")
    ] = None,
    repeat: Annotated[int, typer.Option(help="Requests per query.")] = 40,
    output: Annotated[Path, typer.Option(help="Where results are appended.")] = Path("docs/benchmarks.md"),
) -> None:
    """Inbox list and search p50/p95 server time on a seeded database (fresh per engine)."""
    from socialdesk.bench.inbox import run_inbox_benchmark

    run_inbox_benchmark(
        conversations,
        database or ["sqlite", "postgres://postgres@127.0.0.1:5432/socialdesk_bench"],
        repeat,
        output,
        console,
    )


@bench_app.command("checker")
def bench_checker(
    output: Annotated[Path, typer.Option(help="Where the section is written.")] = Path("docs/benchmarks.md"),
    misses: Annotated[
        bool, typer.Option(help="Also list the calibration drafts (drafts.jsonl) the checker gets wrong.")
    ] = False,
) -> None:
    """The reply checker's per-rule precision and recall (calibration and held-out) and ms per draft."""
    from socialdesk.cli.common import setup_django

    setup_django()
    from socialdesk.bench.checker import run_checker_benchmark

    run_checker_benchmark(output, console, show_misses=misses)


@bench_app.command("incident-model")
def bench_incident_model() -> None:
    """Train the incident join model on the scenario days (socialdesk/incidents/weights/join.json) and
    print how each day scores with a model trained on the other day only."""
    from socialdesk.cli.common import setup_django

    setup_django()
    from socialdesk.bench.incident_model import train

    train(log=console.print)


@bench_app.command("checker-retrain")
def bench_checker_retrain(
    cv: Annotated[
        bool,
        typer.Option(
            help="Instead: print the leave-one-author-out figures recorded in the shipped heads (how their "
            "thresholds were chosen), without retraining."
        ),
    ] = False,
) -> None:
    """Retrain the reply checker's learned heads on all training drafts (checker_data/heads.npz)."""
    from socialdesk.cli.common import setup_django

    setup_django()
    from socialdesk.bench.checker_heads import retrain, shipped_cross_validation

    if cv:
        for rule, figures in shipped_cross_validation().items():
            pooled = figures["pooled"]
            console.print(f"{rule:28} head {pooled['head']}  patterns only {pooled['patterns']}")
            for name, each in figures["authors"].items():
                console.print(f"    without {name:18} head {each['head']}  patterns only {each['patterns']}")
    else:
        retrain(log=console.print)


@bench_app.command("import")
def bench_import(
    rows: Annotated[int, typer.Option(help="Rows of the generated twcs.csv.")] = 1_000_000,
    seed: Annotated[int, typer.Option(help="Seed of the generated file (same seed, same file).")] = 15,
    output: Annotated[Path, typer.Option(help="Where the section is written.")] = Path("docs/benchmarks.md"),
) -> None:
    """Rows/s importing a generated twcs.csv (Kaggle format) into a fresh SQLite desk."""
    from socialdesk.bench.twcs_import import run_import_benchmark

    run_import_benchmark(rows, seed, output, console)


@bench_app.command("reports")
def bench_reports(
    conversations: Annotated[
        int, typer.Option(help="Conversations over a year (5 messages each on average), with their facts.")
    ] = 200_000,
    database: Annotated[
        list[str] | None, typer.Option("--db", help="sqlite and/or a postgres:// URL.")
    ] = None,
    repeat: Annotated[int, typer.Option(help="30-day periods per report (spread over the year).")] = 20,
    output: Annotated[Path, typer.Option(help="Where the section is written.")] = Path("docs/benchmarks.md"),
) -> None:
    """Every dashboard report and its CSV/XLSX export for 30-day periods: p50/p95 per report on a
    seeded year of facts and rollups (fresh database per engine)."""
    from socialdesk.bench.reports import run_reports_benchmark

    run_reports_benchmark(
        conversations,
        database or ["sqlite", "postgres://postgres@127.0.0.1:5432/socialdesk_bench"],
        repeat,
        output,
        console,
    )


@bench_app.command("planning")
def bench_planning(
    output: Annotated[Path, typer.Option(help="Where results are written.")] = Path("docs/benchmarks.md"),
) -> None:
    """Staffing: forecast errors against seasonal naive on held-back weeks, and the simulated desk
    against the Erlang formulas."""
    from socialdesk.bench.planning import run_planning_benchmark

    run_planning_benchmark(output, console)
