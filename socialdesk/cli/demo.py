"""`socialdesk demo`: the demo desk (Nimbus Mobile, sandbox channels, a day of posts), served with a
clock that runs the periodic jobs, since no broker or worker runs beside it.
Commands import the desk inside their bodies: Django must be set up first (and `--help` stays fast)."""

from __future__ import annotations

import secrets
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from socialdesk.cli.common import console, migrate_database, setup_django
from socialdesk.cli.desk import serve
from socialdesk.cli.root import app

POLICY_EXAMPLES = Path(__file__).parents[1] / "policy" / "examples"


@app.command()
def demo(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Start the web desk after loading.")
    ] = True,
) -> None:
    """Set up the demo desk (Nimbus Mobile, sandbox channels, a day of posts) and serve it. Creates the
    `nimbus` workspace if missing."""
    setup_django()
    migrate_database()
    from socialdesk.channels.sandbox.receiver import read_scenario, replay
    from socialdesk.demo import SCENARIO_PATH
    from socialdesk.ingest.pipeline import process_pending
    from socialdesk.policy.actions import active_policy, policy_accounts, save_policy
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
    # Four eyes: nobody approves their own held reply, so the demo has a second approver.
    add_member(workspace, create_user("legal", password, email="legal@nimbus.example"), Role.LEGAL)
    _demo_team(workspace, password)
    process_pending()
    result = replay(
        workspace,
        read_scenario(SCENARIO_PATH),
        end_at=datetime.now(tz=UTC),
        accounts=policy_accounts(workspace.pk),
    )
    process_pending()
    console.print(
        f"Demo workspace [bold]Nimbus Mobile[/bold]: {result.stored} new posts, {result.duplicates} known"
    )
    console.print(
        f"Log in at http://{host}:{port}/ as [bold]demo[/bold] with password [bold]{password}[/bold]"
    )
    console.print("Held replies need a second pair of eyes: [bold]legal[/bold] has the same password.")
    sys.stdout.flush()
    if serve_after:
        _start_job_clock()
        serve(host=host, port=port)


# The care team's agents: who speaks what, their week (Madrid time) and their load.
DEMO_AGENTS = (
    ("maria", ["es", "en"], "mon-fri 08:00-16:00", 6),
    ("tom", ["en"], "mon-fri 14:00-22:00\nsat-sun 10:00-18:00", 8),
    ("sofia", ["en", "pt", "fr"], "mon-sun 00:00-23:59", 5),
)


def _demo_team(workspace: Any, password: str) -> None:
    """Three agents in care and billing (assigned automatically by the example policy), online, with
    languages, capacities and weekly shifts; the demo user joins the same teams."""
    from django.contrib.auth.models import User

    from socialdesk.policy.actions import active_policy_version
    from socialdesk.roster.availability import set_profile, set_status
    from socialdesk.roster.shifts import parse_week, set_week
    from socialdesk.workspaces.actions import add_member, create_user, ensure_team
    from socialdesk.workspaces.models import Role

    found = active_policy_version(workspace.pk)
    policy_teams = found[1].teams if found else []
    teams = [ensure_team(workspace.pk, t.slug, t.name) for t in policy_teams if t.slug in ("care", "billing")]
    for team in teams:
        team.members.add(User.objects.get(username="demo"))
    for name, languages, week, capacity in DEMO_AGENTS:
        user = create_user(name, password, email=f"{name}@nimbus.example")
        add_member(workspace, user, Role.AGENT)
        for team in teams:
            team.members.add(user)
        set_profile(
            None, workspace.pk, name, capacity=capacity, languages=languages, networks=[], categories=[]
        )
        set_week(None, workspace.pk, name, parse_week(week), "Europe/Madrid")
        set_status(None, workspace.pk, name, "online")


def _start_job_clock(interval: float = 5.0) -> None:
    """Without a broker nothing else runs the periodic jobs, so the demo server does: the same list
    and intervals as beat and `socialdesk worker` (socialdesk.jobs)."""
    import threading
    import time

    from django.db import close_old_connections

    from socialdesk.jobs import Clock

    clock = Clock()

    def run() -> None:
        while True:
            time.sleep(interval)
            try:
                clock.run_due()
            finally:
                close_old_connections()

    threading.Thread(target=run, name="job-clock", daemon=True).start()
