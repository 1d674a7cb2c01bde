"""`socialdesk triage`: train, evaluate, retrain categories, try a text.
Commands import triage inside their bodies: the models are heavy, and Django must be set up first."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from socialdesk.cli.common import console, existing_workspace, setup_django

triage_app = typer.Typer(
    name="triage",
    help="Triage models: train, evaluate, retrain categories, try a text.",
    no_args_is_help=True,
)


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
    setup_django()
    from socialdesk.triage.actions import retrain_categories
    from socialdesk.workspaces.models import Workspace

    if workspace:
        spaces = [existing_workspace(slug) for slug in workspace]
    else:
        spaces = list(Workspace.objects.order_by("slug"))
    for space in spaces:
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
