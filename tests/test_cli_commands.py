"""Every `socialdesk` command from a fresh install: each one's `--help` answers, and the token commands
run for real in a process of their own (Django set up by the command, not by pytest)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from socialdesk.cli import app
from tests.helpers import cli, desk_env


def _command_paths(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [path]
    if hasattr(command, "commands"):  # a group (typer's own click types, not necessarily click's)
        for name, sub in sorted(command.commands.items()):
            paths += _command_paths(sub, (*path, name))
    return paths


def test_every_command_answers_help() -> None:
    paths = _command_paths(typer.main.get_command(app))
    assert ("token", "create") in paths and ("serve",) in paths and ("demo",) in paths
    runner = CliRunner()
    failed = {}
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        if result.exit_code != 0 or "Usage:" not in result.output:
            failed[" ".join(path)] = (result.exit_code, result.output[-300:])
    assert failed == {}


@pytest.mark.django_db
def test_token_commands_work_on_a_fresh_install(isolated_database_url: str, tmp_path: Path) -> None:
    env = desk_env(isolated_database_url, tmp_path)
    assert cli(env, "migrate").returncode == 0
    made = cli(env, "manage", "createsuperuser", "--noinput", "--username", "demo", "--email", "d@x.example")
    assert made.returncode == 0, made.stderr

    created = cli(env, "token", "create", "demo", "--name", "ci")
    assert created.returncode == 0, created.stderr
    assert "token 1 (ci) for demo" in created.stdout
    assert re.search(r"^sd_\S+$|^\S{20,}$", created.stdout.splitlines()[-1])

    listed = cli(env, "token", "list", "demo")
    assert listed.returncode == 0, listed.stderr
    assert "active" in listed.stdout

    revoked = cli(env, "token", "revoke", "demo", "1")
    assert revoked.returncode == 0, revoked.stderr
    assert "token 1 revoked" in revoked.stdout
    assert "revoked" in cli(env, "token", "list", "demo").stdout

    again = cli(env, "token", "revoke", "demo", "1")
    assert again.returncode == 2
    assert "demo has no active token 1" in again.stdout
