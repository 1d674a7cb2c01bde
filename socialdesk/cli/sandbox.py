"""`socialdesk sandbox`: the built-in sandbox network.
Commands import the desk inside their bodies: Django must be set up first (and `--help` stays fast)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from socialdesk.cli.common import console, setup_django, workspace_created_if_missing

sandbox_app = typer.Typer(name="sandbox", help="The built-in sandbox network.", no_args_is_help=True)


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
    setup_django()
    from socialdesk.channels.sandbox.receiver import read_scenario, replay, store_backlog
    from socialdesk.channels.sandbox.scenario import ScenarioError
    from socialdesk.ingest.pipeline import process_pending
    from socialdesk.policy.actions import policy_accounts

    try:
        posts = read_scenario(scenario)
    except ScenarioError as exc:
        console.print(f"[red]scenario is invalid:[/red]\n{exc}")
        raise typer.Exit(2) from exc
    ws = workspace_created_if_missing(workspace)
    if store_only:
        stored = store_backlog(ws, posts, policy_accounts(ws.pk))
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
            accounts=policy_accounts(ws.pk),
        )
    summary = f"{result.posts} posts: {result.stored} new, {result.duplicates} already received"
    if in_process:
        summary += f"; {recovered} recovered from an earlier run"
    else:
        summary += "; processing is queued for the workers"
    console.print(summary)
