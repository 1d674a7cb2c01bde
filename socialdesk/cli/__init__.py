"""The `socialdesk` command: one module per command group, each adding its commands here."""

from __future__ import annotations

from socialdesk.cli import check, demo, desk, worker  # noqa: F401 - their top-level commands register on `app`
from socialdesk.cli.automation import automation_app
from socialdesk.cli.bench import bench_app
from socialdesk.cli.channels import channels_app
from socialdesk.cli.events import events_app
from socialdesk.cli.imports import import_app
from socialdesk.cli.plan import plan_app
from socialdesk.cli.policy import policy_app
from socialdesk.cli.privacy import privacy_app
from socialdesk.cli.root import app
from socialdesk.cli.sandbox import sandbox_app
from socialdesk.cli.scenario import scenario_app
from socialdesk.cli.tokens import token_app
from socialdesk.cli.triage import triage_app

app.add_typer(sandbox_app)
app.add_typer(import_app)
app.add_typer(bench_app)
app.add_typer(policy_app)
app.add_typer(triage_app)
app.add_typer(token_app)
app.add_typer(channels_app)
app.add_typer(scenario_app)
app.add_typer(automation_app)
app.add_typer(plan_app)
app.add_typer(events_app)
app.add_typer(privacy_app)

__all__ = ["app", "main"]


def main() -> None:
    app()
