"""`socialdesk policy check-reply`: one JSON line per violation, exit 1; nothing and exit 0 when the draft
may be sent; exit 2 for a network the desk does not know."""

import json
from pathlib import Path

from typer.testing import CliRunner

from socialdesk.cli import app

runner = CliRunner()
TELECOM = str(Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml")


def test_each_violation_is_one_json_line_and_the_exit_code_is_1() -> None:
    result = runner.invoke(
        app, ["policy", "check-reply", TELECOM, "--network", "x", "DM us your full card number. Calm down!"]
    )
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines == [
        {
            "rule": "no_sensitive_data_request",
            "quote": "full card number",
            "why": "“full card number” is never asked for, not even in a private message (fraud risk); "
            "ask for the account or order number, or point to the secure verification flow.",
        },
        {
            "rule": "hostile_tone",
            "quote": "Calm down",
            "why": "“Calm down” sounds impatient or hostile, or blames the customer.",
        },
        {
            "rule": "signature",
            "quote": "",
            "why": 'The reply is not signed. The agent\'s initials after a caret at the end, e.g. "^AG".',
        },
    ]


def test_a_good_draft_prints_nothing_and_exits_0() -> None:
    result = runner.invoke(
        app, ["policy", "check-reply", TELECOM, "--network", "x", "Sorry Ana, fixed now. DM us if not. ^DE"]
    )
    assert (result.exit_code, result.stdout) == (0, "")


def test_private_changes_what_may_be_asked() -> None:
    draft = "Could you tell me your account number? ^DE"
    public = runner.invoke(app, ["policy", "check-reply", TELECOM, "--network", "x", draft])
    private = runner.invoke(app, ["policy", "check-reply", TELECOM, "--network", "x", "--private", draft])
    assert public.exit_code == 1
    assert [json.loads(line)["rule"] for line in public.stdout.splitlines()] == ["no_personal_data_in_public"]
    assert (private.exit_code, private.stdout) == (0, "")


def test_an_unknown_network_exits_2_with_the_known_ones() -> None:
    result = runner.invoke(app, ["policy", "check-reply", TELECOM, "--network", "myspace", "Hi ^DE"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "unknown network 'myspace'; one of: bluesky, email, facebook" in result.stderr
