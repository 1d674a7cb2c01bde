"""`socialdesk scenario`: play a scenario day on a simulated clock and score the desk's decisions
against its truth labels (docs/scenarios.md).
Commands import the desk inside their bodies: Django must be set up first (and `--help` stays fast)."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from socialdesk.cli.common import console, migrate_database, setup_django

if TYPE_CHECKING:
    from socialdesk.channels.sandbox.scenario import Scenario
    from socialdesk.scenarios.score import Score
    from socialdesk.workspaces.models import Workspace

scenario_app = typer.Typer(
    name="scenario", help="Play a scenario day on a simulated clock and score it.", no_args_is_help=True
)
ScenarioFile = Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="JSONL scenario file.")]
PolicyOption = Annotated[
    Path | None,
    typer.Option(exists=True, dir_okay=False, help="Policy file (default: the one the header names)."),
]


def _read(file: Path) -> Scenario:
    from socialdesk.channels.sandbox.scenario import ScenarioError, read_scenario_file

    try:
        return read_scenario_file(file)
    except ScenarioError as exc:
        console.print(f"[red]scenario is invalid:[/red]\n{exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from exc


def _prepare(scenario: Scenario, slug: str, policy_file: Path | None) -> Workspace:
    """The workspace to play into, with the scenario's policy active (or its own, if it has one)."""
    from socialdesk.policy.actions import active_policy, save_policy
    from socialdesk.policy.loader import PolicyError
    from socialdesk.textfiles import TextFileError, read_text
    from socialdesk.workspaces.actions import create_workspace

    path = scenario.policy_path(policy_file)
    workspace = create_workspace(slug, scenario.header.brand or slug.replace("-", " ").title())
    if path is not None:
        try:
            source = read_text(path)
            if active_policy(workspace.pk) is None or _active_source(workspace) != source:
                save_policy(workspace, source)
        except (TextFileError, PolicyError) as exc:
            console.print(f"[red]policy {path}:[/red] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from exc
    elif active_policy(workspace.pk) is None:
        console.print(
            "[red]error:[/red] the scenario names no policy and the workspace has none; use --policy"
        )
        raise typer.Exit(2)
    return workspace


def _active_source(workspace: Workspace) -> str:
    from socialdesk.policy.models import PolicyVersion

    return PolicyVersion.objects.get(workspace=workspace, is_active=True).source


def _play(workspace: Workspace, scenario: Scenario, out: Console = console) -> None:
    from socialdesk.scenarios.run import run_scenario

    events = len(scenario.posts) + len(scenario.replies)
    started = time.monotonic()
    with Progress(console=out, transient=True) as progress:
        task = progress.add_task("playing the day", total=events)
        result = run_scenario(workspace, scenario, progress=lambda n: progress.advance(task, n))
    seconds = time.monotonic() - started
    automatic = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in result.automatic.items())
    out.print(
        f"{scenario.path.name}: {result.posts} posts ({result.stored} new), {result.agent_replies} agent "
        f"replies, {result.ticks} ticks from {result.started:%Y-%m-%d %H:%M} to {result.ended:%H:%M} UTC "
        f"in {seconds:.0f} s; policy jobs: {automatic}",
        highlight=False,
    )
    for refused in result.refused_replies:
        out.print(f"  [yellow]agent reply not sent[/yellow] {refused}", highlight=False, soft_wrap=True)


@scenario_app.command("run")
def scenario_run(
    file: ScenarioFile,
    workspace: Annotated[str, typer.Option(help="Workspace slug (created if missing).")],
    policy: PolicyOption = None,
) -> None:
    """Play a scenario into a workspace: posts at their times, the policy's jobs and the outbox at
    simulated times. Only that workspace's timers move."""
    setup_django()
    migrate_database()
    scenario = _read(file)
    _play(_prepare(scenario, workspace, policy), scenario)


@scenario_app.command("score")
def scenario_score(
    file: ScenarioFile,
    workspace: Annotated[
        str | None,
        typer.Option(
            help="Score what `scenario run` left in this workspace (default: play the day "
            "first into a fresh, temporary desk)."
        ),
    ] = None,
    policy: PolicyOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the score as JSON.")] = False,
    check: Annotated[bool, typer.Option(help="Exit 1 when a threshold fails (CI).")] = False,
) -> None:
    """Compare every decision the desk made on a scenario day with its truth labels."""
    scratch = None
    if workspace is None:
        # A desk of its own: the user's desk is not touched, and every run starts from the same state.
        scratch = tempfile.TemporaryDirectory(prefix="socialdesk-scenario-")
        os.environ["SOCIALDESK_DATA_DIR"] = scratch.name
        os.environ.pop("DATABASE_URL", None)
    setup_django()
    from socialdesk.cli.common import existing_workspace
    from socialdesk.policy.actions import active_policy
    from socialdesk.scenarios.score import score_run

    scenario = _read(file)
    if scratch is not None:
        migrate_database()
        target = _prepare(scenario, "scenario", policy)
        # With --json, stdout is the JSON alone (for jq and CI); the run's summary goes to stderr.
        _play(target, scenario, Console(stderr=True) if as_json else console)
    else:
        target = existing_workspace(workspace or "")
    found = active_policy(target.pk)
    if found is None:
        console.print(f"[red]error:[/red] workspace {target.slug} has no active policy")
        raise typer.Exit(2)
    score = score_run(target, scenario, found)
    if as_json:
        print(json.dumps(score.as_dict(), indent=2, default=str))
    else:
        _print(score)
    if check and score.failures():
        raise typer.Exit(1)


def _print(score: Score) -> None:
    table = Table(title=f"{score.scenario}: {score.posts} posts, {score.messages_found} reached the desk")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for name, value in score.triage.items():
        table.add_row(name.replace("_", " "), _pct(value))
    for name, found in score.detection.items():
        table.add_row(
            f"{name.replace('_', ' ')} precision / recall",
            f"{_pct(found['precision'])} / {_pct(found['recall'])} of {found['positives']}",
        )
    for incident in score.incidents:
        table.add_row(
            f"incident {incident.slug} ({incident.posts} posts)",
            f"precision {_pct(incident.precision)} recall {_pct(incident.recall)}",
        )
    table.add_row("desk incidents opened", str(score.desk_incidents))
    for stray in score.stray_incidents:
        table.add_row("  opened for look-alikes", stray)
    table.add_row("automatic messages", ", ".join(f"{k} {v}" for k, v in score.automatic.items()))
    table.add_row("  to conversations labelled auto_ok=false", str(len(score.to_auto_ok_false)))
    table.add_row("  in the customer's language (where templated)", _pct(score.language_share))
    delay = score.ack_delay_minutes
    table.add_row(
        "  acknowledgment delay p50 / p99 (limit)",
        f"{delay.get('p50')} / {delay.get('p99')} min ({score.ack_limit_minutes:g})",
    )
    coverage = score.ack_coverage
    table.add_row(
        "  auto_ok conversations acknowledged",
        f"{coverage.get('acknowledged')} of {coverage.get('auto_ok_conversations')}",
    )
    due = score.due_times
    table.add_row(
        "due times set where a response is needed",
        f"{due.get('with_due_time')} of {due.get('needing_response')} (p50 {due.get('due_minutes_p50')} min)",
    )
    table.add_row(
        "agent answers in time", f"{due.get('answered_in_time')} of {due.get('answered_by_agents')}"
    )
    console.print(table)
    for line in score.to_auto_ok_false[:20]:
        console.print(f"  [red]auto_ok=false[/red] {line}", highlight=False, soft_wrap=True)
    for line in score.language_mismatches[:20]:
        console.print(f"  [yellow]language[/yellow] {line}", highlight=False, soft_wrap=True)
    failures = score.failures()
    console.print(
        "[red]FAILED:[/red] " + "; ".join(failures) if failures else "[green]thresholds hold[/green]"
    )


def _pct(value: object) -> str:
    return f"{value:.1%}" if isinstance(value, float) else "—" if value is None else str(value)
