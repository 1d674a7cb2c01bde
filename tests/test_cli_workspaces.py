"""Commands that take --workspace refuse a slug that names none (a typo must not create an empty
brand); only the commands that bring a brand's data in (demo, sandbox replay, scenario run, imports)
create one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup, TyperOption
from typer.testing import CliRunner

from socialdesk.cli import app

EXAMPLES = Path(__file__).parents[1] / "socialdesk" / "policy" / "examples"
runner = CliRunner()


def _slugs() -> list[str]:
    from socialdesk.workspaces.models import Workspace

    return list(Workspace.objects.order_by("slug").values_list("slug", flat=True))


def test_policy_load_refuses_an_unknown_workspace_and_creates_none(
    workspace: Any, other_workspace: Any
) -> None:
    from socialdesk.policy.models import PolicyVersion

    telecom = str(EXAMPLES / "telecom.yaml")
    typo = runner.invoke(app, ["policy", "load", telecom, "--workspace", "acmee"])
    assert typo.exit_code == 2
    assert typo.output == "error: no workspace 'acmee'; known: acme, globex\n"
    assert (_slugs(), PolicyVersion.objects.count()) == (["acme", "globex"], 0)
    loaded = runner.invoke(app, ["policy", "load", telecom, "--workspace", "acme"])
    assert loaded.exit_code == 0, loaded.output
    assert loaded.output == "acme: policy version 1 (2026.11-1) is active\n"
    assert list(PolicyVersion.objects.values_list("workspace__slug", "number")) == [("acme", 1)]


def test_policy_load_into_an_empty_install_names_no_workspace(transactional_db: None) -> None:
    result = runner.invoke(app, ["policy", "load", str(EXAMPLES / "bank.yaml")])
    assert (result.exit_code, result.output) == (2, "error: no workspace 'demo'; known: none yet\n")
    assert _slugs() == []


def test_triage_retrain_refuses_an_unknown_workspace(workspace: Any) -> None:
    result = runner.invoke(app, ["triage", "retrain", "--workspace", "acme", "--workspace", "nope"])
    assert (result.exit_code, result.output) == (2, "error: no workspace 'nope'; known: acme\n")
    assert _slugs() == ["acme"]


def _workspace_options(group: TyperGroup, prefix: str = "") -> dict[str, str]:
    """{command path: help of its --workspace option} over every command of the CLI."""
    found: dict[str, str] = {}
    for name, command in group.commands.items():
        path = f"{prefix} {name}".strip()
        if isinstance(command, TyperGroup):
            found |= _workspace_options(command, path)
            continue
        for param in command.params:
            if isinstance(param, TyperOption) and "--workspace" in param.opts:
                found[path] = param.help or ""
    return found


def test_only_the_commands_that_bring_data_in_create_a_workspace_and_their_help_says_so() -> None:
    options = _workspace_options(typer.main.get_group(app))
    assert sorted(options) == [
        "automation off",
        "automation on",
        "automation preview",
        "import twcs",
        "plan staffing",
        "policy load",
        "privacy erase",
        "privacy export",
        "sandbox replay",
        "scenario run",
        "scenario score",
        "triage retrain",
    ]
    creating = sorted(path for path, text in options.items() if "created if missing" in text)
    assert creating == ["import twcs", "sandbox replay", "scenario run"]
    assert "must exist" in options["policy load"]
    demo = typer.main.get_group(app).commands["demo"]
    assert "Creates the\n`nimbus` workspace if missing." in (demo.help or "")
