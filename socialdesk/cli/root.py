"""The `socialdesk` command itself; each command group adds itself in socialdesk.cli."""

from __future__ import annotations

import typer

app = typer.Typer(help="Socialdesk: a social-media customer-care desk.", no_args_is_help=True)
