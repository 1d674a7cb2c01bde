import json
from pathlib import Path

from typer.testing import CliRunner

from socialdesk.cli import app

EXAMPLES = Path(__file__).parents[1] / "socialdesk" / "policy" / "examples"
runner = CliRunner()


def test_validate_reports_line_and_column(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["policy", "validate", str(EXAMPLES / "bank.yaml")])
    assert ok.exit_code == 0
    assert "valid (version 2026.10-3)" in ok.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (EXAMPLES / "bank.yaml")
        .read_text(encoding="utf-8")
        .replace("within_minutes: 5", "within_minutes: -5")
    )
    result = runner.invoke(app, ["policy", "validate", str(bad)])
    assert result.exit_code == 1
    assert (
        "line 44, column 19: first_contact.within_minutes: Input should be greater than or equal to 0"
        in result.output
    )


def test_render_writes_both_documents_in_markdown_and_html(tmp_path: Path) -> None:
    result = runner.invoke(app, ["policy", "render", str(EXAMPLES / "telecom.yaml"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "internal.html",
        "internal.md",
        "public.html",
        "public.md",
    ]
    assert (
        (tmp_path / "public.md").read_text(encoding="utf-8").startswith("# Nimbus Mobile on social media\n")
    )
    assert "<h2>Problem-solving protocol</h2>" in (tmp_path / "internal.html").read_text(encoding="utf-8")
    assert (
        "Crisis: 12 negative conversations about the same category within 1 hour; "
        "or at least 5 alike posts in half an hour, above the usual rate."
        in (tmp_path / "internal.md").read_text(encoding="utf-8")
    )


def test_delivery_example_validates_and_renders(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["policy", "validate", str(EXAMPLES / "delivery.yaml")])
    assert ok.exit_code == 0, ok.output
    assert "valid (version 2026.11-2)" in " ".join(ok.output.split())  # the console wraps long paths
    result = runner.invoke(app, ["policy", "render", str(EXAMPLES / "delivery.yaml"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "public.md").read_text(encoding="utf-8").startswith("# Pronto on social media\n")
    assert (
        "Crisis: 8 negative conversations about the same category within 30 minutes; "
        "or at least 5 alike posts in half an hour, above the usual rate."
        in (tmp_path / "internal.md").read_text(encoding="utf-8")
    )


def test_schema_is_json_schema(tmp_path: Path) -> None:
    target = tmp_path / "policy.schema.json"
    assert runner.invoke(app, ["policy", "schema", "--output", str(target)]).exit_code == 0
    schema = json.loads(target.read_text(encoding="utf-8"))
    assert schema["title"] == "Policy"
    assert {"identity", "channels", "first_contact", "sla", "moderation", "categories"} <= set(
        schema["required"]
    )
