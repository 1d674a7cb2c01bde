"""`socialdesk policy`: the action policy file: validate, export its schema, render its documents, load.
Commands import the desk inside their bodies: Django must be set up first (and `--help` stays fast)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from socialdesk.cli.common import console, existing_workspace, setup_django

if TYPE_CHECKING:
    from socialdesk.policy.schema import Policy

policy_app = typer.Typer(
    name="policy", help="The action policy file: validate, export its schema, render its documents."
)


def _read_policy(path: Path) -> tuple[str, Policy]:
    from socialdesk.policy.loader import MAX_POLICY_BYTES, PolicyError, load_policy
    from socialdesk.textfiles import TextFileError, read_text

    try:
        text = read_text(path, max_bytes=MAX_POLICY_BYTES)
        return text, load_policy(text, source=str(path))
    except (PolicyError, TextFileError) as exc:
        console.print(str(exc), style="red", highlight=False, soft_wrap=True, markup=False)
        raise typer.Exit(1) from exc


@policy_app.command("validate")
def policy_validate(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Check a policy file; every problem is reported with its line and column."""
    setup_django()
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
    setup_django()
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
    workspace: Annotated[
        str,
        typer.Option(help="Workspace slug; it must exist (demo, sandbox replay and imports create them)."),
    ] = "demo",
) -> None:
    """Save a policy file as the workspace's new active version."""
    setup_django()
    from socialdesk.policy.actions import save_policy

    text, _ = _read_policy(file)
    version = save_policy(existing_workspace(workspace), text)
    console.print(f"{workspace}: policy version {version.number} ({version.label}) is active")


@policy_app.command("check-reply")
def policy_check_reply(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The policy file.")],
    text: Annotated[str, typer.Argument(help="The draft reply.")],
    network: Annotated[str, typer.Option(help="The network the reply goes to, e.g. x, facebook.")],
    private: Annotated[bool, typer.Option(help="A private message rather than a public reply.")] = False,
) -> None:
    """Check a draft reply against the policy: one JSON line per violation (rule, quote, why); exit 1
    when there is any, 0 when the draft may be sent, 2 for an unknown network."""
    import json

    setup_django()
    from socialdesk.channels.registry import policy_networks
    from socialdesk.policy.checker import check_reply

    if network not in policy_networks():
        known = ", ".join(sorted(policy_networks()))
        typer.echo(f"error: unknown network {network!r}; one of: {known}", err=True)
        raise typer.Exit(2)
    _, policy = _read_policy(file)
    violations = check_reply(policy, text, network=network, private=private)
    for violation in violations:
        line = {"rule": violation.rule, "quote": violation.quote, "why": violation.message}
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    raise typer.Exit(1 if violations else 0)
