"""The `socialdesk` command."""

from __future__ import annotations

import os
import secrets
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from socialdesk.cli_more import channels_app, token_app

if TYPE_CHECKING:
    from socialdesk.policy.schema import Policy
    from socialdesk.workspaces.models import Workspace

console = Console()
POLICY_EXAMPLES = Path(__file__).parent / "policy" / "examples"
app = typer.Typer(help="Socialdesk: a social-media customer-care desk.", no_args_is_help=True)
sandbox_app = typer.Typer(help="The built-in sandbox network.", no_args_is_help=True)
import_app = typer.Typer(help="Import conversations from other tools and datasets.", no_args_is_help=True)
bench_app = typer.Typer(help="Benchmarks; results are appended to docs/benchmarks.md.", no_args_is_help=True)
app.add_typer(sandbox_app, name="sandbox")
app.add_typer(import_app, name="import")
policy_app = typer.Typer(help="The action policy file: validate, export its schema, render its documents.")
app.add_typer(bench_app, name="bench")
app.add_typer(policy_app, name="policy")
triage_app = typer.Typer(
    help="Triage models: train, evaluate, retrain categories, try a text.", no_args_is_help=True
)
app.add_typer(triage_app, name="triage")
app.add_typer(token_app, name="token")
app.add_typer(channels_app, name="channels")


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialdesk.settings")
    import django

    django.setup()


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Run a Django management command (migrate, createsuperuser, shell, ...)."""
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["socialdesk manage", *ctx.args])


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    _setup()
    _migrate(verbosity=1)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    threads: Annotated[int, typer.Option(help="Worker threads.")] = 8,
) -> None:
    """Serve the web desk (waitress, a production WSGI server)."""
    _setup()
    from django.core.management import call_command
    from waitress import serve as waitress_serve

    from socialdesk.wsgi import application

    call_command("collectstatic", interactive=False, verbosity=0)
    console.print(f"Socialdesk listening on [bold]http://{host}:{port}/[/bold]")
    waitress_serve(application, host=host, port=port, threads=threads)


def _workspace(slug: str) -> Workspace:
    from socialdesk.workspaces.actions import create_workspace

    return create_workspace(slug, slug.replace("-", " ").title())


@sandbox_app.command("replay")
def sandbox_replay(
    scenario: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="JSONL scenario file.")],
    workspace: Annotated[str, typer.Option(help="Workspace slug (created if missing).")] = "demo",
    speed: Annotated[
        float, typer.Option(help="0 = as fast as possible; 60 = one scenario minute per second.")
    ] = 0,
    end_now: Annotated[bool, typer.Option(help="Shift timestamps so the last post is now.")] = False,
    store_only: Annotated[
        bool, typer.Option(help="Only store the raw events (a backlog for `socialdesk worker`).")
    ] = False,
) -> None:
    """Replay a scenario into the pipeline, as if the networks delivered it. Idempotent."""
    _setup()
    from socialdesk.channels.sandbox.receiver import ScenarioError, read_scenario, replay, store_backlog
    from socialdesk.ingest.actions import process_pending

    try:
        posts = read_scenario(scenario)
    except ScenarioError as exc:
        console.print(f"[red]scenario is invalid:[/red]\n{exc}")
        raise typer.Exit(2) from exc
    ws = _workspace(workspace)
    if store_only:
        stored = store_backlog(ws, posts)
        console.print(f"{len(posts)} posts: {stored} new raw events stored, not processed")
        return
    from django.conf import settings

    # In-process mode: first finish events stored by an earlier run that died before processing them.
    # With a broker the workers do that (they sweep on start).
    in_process = bool(settings.CELERY_TASK_ALWAYS_EAGER)
    recovered = process_pending().processed if in_process else 0
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("replaying", total=len(posts))
        result = replay(
            ws,
            posts,
            speed=speed,
            end_at=datetime.now(tz=UTC) if end_now else None,
            progress=lambda n: progress.advance(task, n),
        )
    summary = f"{result.posts} posts: {result.stored} new, {result.duplicates} already received"
    if in_process:
        summary += f"; {recovered} recovered from an earlier run"
    else:
        summary += "; processing is queued for the workers"
    console.print(summary)


POLL_EVERY = 60.0  # seconds between passes over mailboxes and polled mention timelines


@app.command()
def worker(
    follow: Annotated[bool, typer.Option(help="Keep polling for new events.")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between polls with --follow.")] = 1.0,
    batch_size: Annotated[int, typer.Option(help="Events per transaction.")] = 100,
) -> None:
    """Process pending inbound events, the policy's timed work (acknowledgments, follow-ups, SLA
    warnings) and the outbox (retries, sends a stopped sender left) without a broker."""
    import time

    _setup()
    from socialdesk.channels.polling import poll_channels
    from socialdesk.channels.webhooks import prune_deliveries
    from socialdesk.ingest.actions import process_pending
    from socialdesk.outbox.actions import outbox_tick
    from socialdesk.policy.timers import policy_tick

    last_poll = float("-inf")
    while True:
        result = process_pending(batch_size=batch_size)
        if result.processed:
            console.print(f"processed {result.processed} events")
        done = policy_tick()
        if any(done.values()):
            console.print(f"policy: {done}")
        sent = outbox_tick()
        if any(sent.__dict__.values()):
            console.print(f"outbox: {sent.__dict__}")
        if time.monotonic() - last_poll >= POLL_EVERY:
            last_poll = time.monotonic()
            prune_deliveries()
            polled = {name: n for name, n in poll_channels().items() if n}
            if polled:
                console.print(f"polled: {polled}")
        if not follow:
            return
        time.sleep(interval)


@import_app.command("twcs")
def import_twcs(
    csv_file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="twcs.csv")],
    workspace: Annotated[str, typer.Option(help="Workspace slug (created if missing).")] = "twcs",
    limit: Annotated[int, typer.Option(help="Import at most this many tweets (0 = all).")] = 0,
) -> None:
    """Import the 'Customer Support on Twitter' CSV with threads and response times."""
    _setup()
    from socialdesk.importers.twcs import TwcsError, import_twcs_file

    ws = _workspace(workspace)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("importing", total=None)
        try:
            result = import_twcs_file(
                ws,
                csv_file,
                limit=limit or None,
                progress=lambda n: progress.advance(task, n),
                on_total=lambda total: progress.update(task, total=total),
            )
        except TwcsError as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from exc
    console.print(
        f"{result.tweets} tweets: {result.inbound} inbound, {result.outbound} brand replies, "
        f"{result.conversations} conversations, {result.skipped} already imported"
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


@app.command()
def seed(
    conversations: Annotated[int, typer.Option(help="Conversations (5 messages each).")] = 200_000,
) -> None:
    """Fill a `bench` workspace with synthetic conversations in bulk (agents agent0-9)."""
    _setup()
    _migrate()
    from socialdesk.bench.inbox import seed as seed_conversations

    counts = seed_conversations(conversations, log=console.print)
    console.print(f"{counts['conversations']:,} conversations, {counts['messages']:,} messages")


def _data_dir(data: Path | None) -> Path:
    from socialdesk.triage.datasets import default_data_dir

    folder = data or default_data_dir()
    if not (folder / "xlm-t-sentiment").is_dir():
        console.print(f"[red]error:[/red] no training data in {folder} (give --data DIR, see ../shared/data)")
        raise typer.Exit(2)
    return folder


@triage_app.command("train")
def triage_train(
    data: Annotated[Path | None, typer.Option(help="The datasets folder (default ../shared/data).")] = None,
    out: Annotated[Path | None, typer.Option(help="Where to write heads.npz.")] = None,
    cache: Annotated[Path, typer.Option(help="e5 embedding cache.")] = Path("var/triage-cache/e5.npz"),
) -> None:
    """Reproduce the shipped heads (sentiment, complaint, offensive) from the datasets."""
    from socialdesk.triage.heads import WEIGHTS
    from socialdesk.triage.train import train

    train(_data_dir(data), out or WEIGHTS, cache, log=console.print)


@triage_app.command("eval")
def triage_eval(
    data: Annotated[Path | None, typer.Option(help="The datasets folder (default ../shared/data).")] = None,
    fast_only: Annotated[bool, typer.Option("--fast-only", help="Skip the accurate (e5) path.")] = False,
    cache: Annotated[Path, typer.Option(help="e5 embedding cache.")] = Path("var/triage-cache/e5.npz"),
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the report here.")] = None,
    docs: Annotated[
        Path | None, typer.Option(help="Append a table with published references, e.g. docs/benchmarks.md.")
    ] = None,
) -> None:
    """Macro-F1/recall per task on the validation splits, and throughput."""
    import json

    from socialdesk.triage.evaluate import markdown, run

    report = run(_data_dir(data), accurate=not fast_only, cache=cache, log=console.print)
    text = json.dumps(report, indent=2, sort_keys=True)
    console.print_json(text)
    if json_out:
        json_out.write_text(text + "\n", encoding="utf-8")
    if docs:
        with docs.open("a", encoding="utf-8") as handle:
            handle.write(markdown(report, f"{datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC"))
        console.print(f"appended to {docs}")


@triage_app.command("retrain")
def triage_retrain(
    workspace: Annotated[list[str] | None, typer.Option(help="Workspace slug (default: all).")] = None,
    accurate: Annotated[bool | None, typer.Option(help="Also embed examples for the accurate path.")] = None,
) -> None:
    """Rebuild category models from the policy's examples plus agents' corrections."""
    _setup()
    from socialdesk.triage.actions import retrain_categories
    from socialdesk.workspaces.models import Workspace

    spaces = Workspace.objects.filter(slug__in=workspace) if workspace else Workspace.objects.all()
    for space in spaces.order_by("slug"):
        model = retrain_categories(space.pk, accurate=accurate)
        if model is None:
            console.print(f"{space.slug}: no active policy, nothing to train")
        else:
            console.print(
                f"{space.slug}: {model.from_policy} policy examples + {model.from_corrections} corrections "
                f"(policy v{model.policy_version})"
            )


@triage_app.command("text")
def triage_text(
    text: Annotated[str, typer.Argument(help="A post to triage.")],
    accurate: Annotated[bool, typer.Option(help="Use the accurate path.")] = False,
    language: Annotated[list[str] | None, typer.Option(help="Expected languages.")] = None,
) -> None:
    """Triage one text and print every field (no database)."""
    import dataclasses
    import json

    from socialdesk.triage.engine import Settings, triage

    result = triage(text, Settings(languages=tuple(language or ()), accurate=accurate))
    console.print_json(json.dumps(dataclasses.asdict(result), ensure_ascii=False))


@app.command()
def demo(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Start the web desk after loading.")
    ] = True,
) -> None:
    """Set up the demo desk (Nimbus Mobile, sandbox channels, a day of posts) and serve it."""
    _setup()
    _migrate()
    from socialdesk.channels.sandbox.receiver import read_scenario, replay
    from socialdesk.demo import SCENARIO_PATH
    from socialdesk.ingest.actions import process_pending
    from socialdesk.policy.actions import active_policy, save_policy
    from socialdesk.workspaces.actions import add_member, create_user, create_workspace
    from socialdesk.workspaces.models import Role

    workspace = create_workspace("nimbus", "Nimbus Mobile", timezone="Europe/Madrid")
    if active_policy(workspace.pk) is None:
        save_policy(workspace, (POLICY_EXAMPLES / "telecom.yaml").read_text(encoding="utf-8"))
    password = secrets.token_urlsafe(12)
    user = create_user("demo", password, email="demo@nimbus.example")
    user.is_staff = True
    user.is_superuser = True
    user.save()
    add_member(workspace, user, Role.ADMIN)
    process_pending()
    result = replay(workspace, read_scenario(SCENARIO_PATH), end_at=datetime.now(tz=UTC))
    process_pending()
    console.print(
        f"Demo workspace [bold]Nimbus Mobile[/bold]: {result.stored} new posts, {result.duplicates} known"
    )
    console.print(
        f"Log in at http://{host}:{port}/ as [bold]demo[/bold] with password [bold]{password}[/bold]"
    )
    sys.stdout.flush()
    if serve_after:
        _start_policy_clock()
        serve(host=host, port=port)


def _start_policy_clock(interval: float = 15.0) -> None:
    """Without a broker nothing else runs the policy's timed work, so the demo server does."""
    import threading
    import time

    from django.db import close_old_connections

    from socialdesk.outbox.actions import outbox_tick
    from socialdesk.policy.timers import policy_tick

    def run() -> None:
        while True:
            time.sleep(interval)
            try:
                policy_tick()
                outbox_tick()
            finally:
                close_old_connections()

    threading.Thread(target=run, name="policy-clock", daemon=True).start()


def _read_policy(path: Path) -> tuple[str, Policy]:
    from socialdesk.policy.loader import PolicyError, load_policy

    text = path.read_text(encoding="utf-8")
    try:
        return text, load_policy(text, source=str(path))
    except PolicyError as exc:
        console.print(f"[red]{exc}[/red]", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from exc


@policy_app.command("validate")
def policy_validate(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Check a policy file; every problem is reported with its line and column."""
    _setup()
    _, policy = _read_policy(file)
    console.print(f"{file}: valid (version {policy.version})")


@policy_app.command("schema")
def policy_schema(
    output: Annotated[Path | None, typer.Option(help="Write to this file instead of stdout.")] = None,
) -> None:
    """The policy file's JSON Schema (for editors and CI of policy repositories)."""
    import json

    from socialdesk.policy.schema import Policy

    text = json.dumps(Policy.model_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


@policy_app.command("render")
def policy_render(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    out: Annotated[Path, typer.Option(help="Directory for public.md/.html and internal.md/.html.")] = Path(
        "policy"
    ),
) -> None:
    """Render the public and the internal policy document (Markdown and HTML) from one policy file."""
    _setup()
    from socialdesk.policy.render import render_internal, render_public, to_html

    _, policy = _read_policy(file)
    out.mkdir(parents=True, exist_ok=True)
    for name, markdown in (("public", render_public(policy)), ("internal", render_internal(policy))):
        (out / f"{name}.md").write_text(markdown, encoding="utf-8")
        (out / f"{name}.html").write_text(
            to_html(markdown, f"{policy.brand} — {name} policy"), encoding="utf-8"
        )
    console.print(f"wrote public.md, public.html, internal.md, internal.html to {out}")


@policy_app.command("load")
def policy_load(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    workspace: Annotated[str, typer.Option(help="Workspace slug.")] = "demo",
) -> None:
    """Save a policy file as the workspace's new active version."""
    _setup()
    from socialdesk.policy.actions import save_policy

    text, _ = _read_policy(file)
    version = save_policy(_workspace(workspace), text)
    console.print(f"{workspace}: policy version {version.number} ({version.label}) is active")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
