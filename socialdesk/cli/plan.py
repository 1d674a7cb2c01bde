"""`socialdesk plan`: how many agents a queue needs (Erlang C/A, for anyone checking the model) and a
workspace's staffing plan for the coming weeks. Commands import the desk inside their bodies."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from socialdesk.cli.common import console, existing_workspace, setup_django

plan_app = typer.Typer(
    name="plan", help="Staffing: Erlang C/A and the plan from the forecast.", no_args_is_help=True
)


@plan_app.command("erlang")
def plan_erlang(
    per_hour: Annotated[float, typer.Option("--per-hour", help="Arrivals per hour.", min=0)],
    handle_seconds: Annotated[float, typer.Option("--handle-seconds", help="Mean handling time.", min=1)],
    target_seconds: Annotated[
        float, typer.Option("--target-seconds", help="The wait to answer within.", min=0)
    ],
    service_level: Annotated[
        float, typer.Option("--service-level", help="Share to answer within the target (0.8 or 80).", min=0)
    ],
    patience_seconds: Annotated[
        float | None, typer.Option("--patience-seconds", help="Mean patience: Erlang A (else C).", min=1)
    ] = None,
    occupancy_cap: Annotated[float, typer.Option("--occupancy-cap", help="Busiest share allowed.")] = 1.0,
    shrinkage: Annotated[float, typer.Option(help="Share of paid time not answering (0-1).")] = 0.0,
) -> None:
    """Agents needed and the service level they give, with ASA and occupancy."""
    from socialdesk.planning.erlang import agents_needed, with_shrinkage

    level = service_level / 100 if service_level > 1 else service_level
    if not 0 < level < 1 or not 0 < occupancy_cap <= 1 or not 0 <= shrinkage < 1:
        console.print("[red]error:[/red] service level and occupancy cap are in (0, 1], shrinkage in [0, 1)")
        raise typer.Exit(2)
    found = agents_needed(per_hour, handle_seconds, target_seconds, level, patience_seconds, occupancy_cap)
    model = "Erlang A" if patience_seconds else "Erlang C"
    console.print(f"{model}: {per_hour * handle_seconds / 3600:.2f} erlangs of work", highlight=False)
    console.print(f"agents needed: {found.agents}", highlight=False)
    console.print(
        f"predicted service level: {found.service_level:.1%} within {target_seconds:g} s", highlight=False
    )
    console.print(f"probability of waiting: {found.wait_probability:.1%}", highlight=False)
    console.print(f"average speed of answer: {found.asa_seconds:.1f} s", highlight=False)
    console.print(f"occupancy: {found.occupancy:.1%}", highlight=False)
    if patience_seconds:
        console.print(f"giving up: {found.abandon_share:.1%}", highlight=False)
    if shrinkage:
        console.print(
            f"on the rota with shrinkage: {with_shrinkage(found.agents, shrinkage)}", highlight=False
        )


@plan_app.command("staffing")
def plan_staffing(
    workspace: Annotated[str, typer.Option(help="Workspace slug.")],
    weeks: Annotated[int, typer.Option(help="Weeks ahead (1-8).")] = 2,
    volume_factor: Annotated[
        float, typer.Option("--volume-factor", help="What if: forecast times this.")
    ] = 1.0,
    every: Annotated[
        bool, typer.Option("--all", help="Every interval, not only the staffed or short ones.")
    ] = False,
) -> None:
    """Per interval: forecast, agents needed, people required vs scheduled; then the suggested rota."""
    setup_django()
    from django.utils import timezone

    from socialdesk.errors import DeskError
    from socialdesk.planning.staffing import staffing_plan

    space = existing_workspace(workspace)
    try:
        plan = staffing_plan(None, space, timezone.now(), weeks, volume_factor)
    except DeskError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    table = Table(title=f"{space.name}: staffing for {weeks} week(s), volume x{volume_factor:g}")
    for column in ("interval", "new conv.", "agents", "required", "scheduled", "difference", "within target"):
        table.add_column(column, justify="right")
    for i in plan.intervals:
        if every or i.required or i.scheduled:
            table.add_row(
                f"{i.starts:%a %d/%m %H:%M}" + ("" if i.open else " closed"),
                f"{i.volume:g}",
                str(i.agents),
                str(i.required),
                f"{i.scheduled:g}",
                f"[red]{i.gap:g}[/red]" if i.gap < 0 else f"{i.gap:g}",
                f"{i.service_level:.0%}",
            )
    console.print(table)
    required, scheduled = plan.person_hours()
    console.print(
        f"{plan.model}, {plan.service_level:.0%} within {plan.target_seconds} s, handling "
        f"{plan.handle.seconds:g} s ({plan.handle.source}), occupancy ≤ {plan.occupancy_cap:g}, shrinkage "
        f"{plan.shrinkage:g}, {plan.history_weeks} week(s) of history.",
        highlight=False,
    )
    console.print(
        f"understaffed intervals: {len(plan.under)}; overstaffed: {len(plan.over)}; person-hours required "
        f"{required:g}, scheduled {scheduled:g}",
        highlight=False,
    )
    console.print("suggested rota (8-hour shifts):", highlight=False)
    for shift in plan.rota:
        console.print(
            f"  {shift.starts:%a %d/%m %H:%M} - {shift.ends:%a %H:%M}  x {shift.people}", highlight=False
        )
