"""Files that are not what they claim (not UTF-8, binary, control characters, nesting too deep, a value
too long, a key written twice) get one clear line from the CLI and a non-zero exit, never a traceback,
and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from socialdesk.cli import app
from socialdesk.conversations.models import Message
from socialdesk.policy.models import PolicyVersion
from socialdesk.workspaces.models import Workspace

EXAMPLES = Path(__file__).parents[1] / "socialdesk" / "policy" / "examples"
BANK = (EXAMPLES / "bank.yaml").read_text(encoding="utf-8")
FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _policy_validate(path: Path) -> tuple[int, str]:
    done = runner.invoke(app, ["policy", "validate", str(path)])
    assert done.exception is None or isinstance(done.exception, SystemExit), done.exception
    return done.exit_code, done.output


# Policy files


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"version: '1'\nbrand: Acme \xff\n", "not UTF-8 text: byte 0xff at line 2, column 13"),
        (b"\x00\x01\x02binary\x00", "a binary file, not text (NUL byte at offset 0)"),
        (b"version: '1'\nbrand: Ac\x07me\n", "control character U+0007 at line 2, column 10"),
    ],
)
def test_a_policy_file_that_is_not_text_is_one_line(tmp_path: Path, data: bytes, message: str) -> None:
    path = _file(tmp_path, "p.yaml", data)
    assert _policy_validate(path) == (1, f"{path}: {message}\n")


def test_a_key_written_twice_is_refused_with_both_lines(tmp_path: Path) -> None:
    first = BANK.splitlines().index(next(line for line in BANK.splitlines() if line.startswith("brand:"))) + 1
    path = _file(tmp_path, "p.yaml", (BANK + "brand: Someone else\n").encode())
    last = len(BANK.splitlines()) + 1
    assert _policy_validate(path) == (
        1,
        f"{path} is invalid:\n  line {last}, column 1: duplicate key 'brand': first at line {first}, "
        f"again at line {last}\n",
    )


def test_a_duplicate_nested_key_is_refused_too(tmp_path: Path) -> None:
    text = BANK.replace("within_minutes: 5", "within_minutes: 5\n  within_minutes: 6", 1)
    line = text.splitlines().index("  within_minutes: 6") + 1
    path = _file(tmp_path, "p.yaml", text.encode())
    code, output = _policy_validate(path)
    assert code == 1
    assert f"duplicate key 'within_minutes': first at line {line - 1}, again at line {line}" in output


@pytest.mark.parametrize("depth", [65, 5000])
def test_nesting_too_deep_is_refused(tmp_path: Path, depth: int) -> None:
    path = _file(tmp_path, "p.yaml", ("brand: " + "[" * depth + "]" * depth + "\n").encode())
    code, output = _policy_validate(path)
    assert code == 1
    assert output.startswith(f"{path} is invalid:\n  line 1, column ")
    assert output.endswith(": nested deeper than 64 levels\n")
    assert output.count("\n") == 2


def test_a_value_too_long_or_with_an_escaped_nul_is_refused(tmp_path: Path) -> None:
    long = _file(tmp_path, "long.yaml", BANK.replace("brand: ", "brand: " + "x" * 100_001, 1).encode())
    code, output = _policy_validate(long)
    assert code == 1
    assert "a value of 100,0" in output
    assert "characters (at most 100,000)" in output
    nul = _file(tmp_path, "nul.yaml", (BANK + 'description: "a\\0b"\n').encode())
    code, output = _policy_validate(nul)
    assert (code, output.splitlines()[1].split(": ", 1)[1]) == (1, "control character U+0000 in a value")


@pytest.mark.django_db
def test_policy_load_of_a_bad_file_saves_nothing(tmp_path: Path, workspace: Workspace) -> None:
    path = _file(tmp_path, "p.yaml", BANK.encode() + b"\xc3\x28")
    done = runner.invoke(app, ["policy", "load", str(path), "--workspace", workspace.slug])
    assert done.exit_code == 1
    assert "not UTF-8 text: byte 0xc3 at line" in done.output
    assert not PolicyVersion.objects.filter(workspace=workspace).exists()


# Scenario files


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"id": "p1"}\n\xff\n', "not UTF-8 text: byte 0xff at line 2, column 1"),
        (b"\x00\x00\x00\x00", "a binary file, not text (NUL byte at offset 0)"),
        (b'{"id": "p1", "text": "a\x01"}\n', "control character U+0001 at line 1, column 24"),
    ],
)
def test_a_scenario_that_is_not_text_is_one_line(tmp_path: Path, data: bytes, message: str) -> None:
    path = _file(tmp_path, "day.jsonl", data)
    done = runner.invoke(app, ["scenario", "run", str(path), "--workspace", "day"])
    assert (done.exit_code, done.output) == (2, f"scenario is invalid:\n{path}: {message}\n")
    assert not Workspace.objects.filter(slug="day").exists()


@pytest.mark.django_db
def test_scenario_lines_nested_too_deep_escaped_nul_or_too_long_name_their_line(tmp_path: Path) -> None:
    lines = [
        '{"scenario": {"brand": "Acme"}}',
        '{"id": "p1", "x": ' + "[" * 100 + "]" * 100 + "}",
        '{"id": "p2", "x": ' + "[" * 5000 + "]" * 5000 + "}",
        '{"id": "p3", "text": "a\\u0000b"}',
        '{"id": "p4", "text": "' + "x" * 200_001 + '"}',
    ]
    path = _file(tmp_path, "day.jsonl", "\n".join(lines).encode())
    done = runner.invoke(app, ["scenario", "run", str(path), "--workspace", "day"])
    assert done.exit_code == 2
    assert done.output.splitlines() == [
        "scenario is invalid:",
        f"{path}:2: nested deeper than 64 levels",
        f"{path}:3: nested too deep",
        f"{path}:4: control character U+0000 in a string",
        f"{path}:5: a line of {len(lines[4]):,} characters (at most 200,000)",
    ]
    assert not Workspace.objects.filter(slug="day").exists()


# CSV import (twcs)


@pytest.mark.django_db(transaction=True)
def test_a_csv_that_is_not_utf8_or_binary_or_has_a_huge_field_imports_nothing(tmp_path: Path) -> None:
    good = (FIXTURES / "twcs_sample.csv").read_bytes()
    lines = good.split(b"\n")
    not_utf8 = _file(tmp_path, "a.csv", b"\n".join([*lines[:3], lines[3] + b" \xff", *lines[4:]]))
    binary = _file(tmp_path, "b.csv", b"PK\x03\x04\x00\x00" + good)
    huge = _file(
        tmp_path, "c.csv", good.replace(lines[2], lines[2].replace(b",", b',"' + b"x" * 200_000 + b'",', 1))
    )
    for path, code, message in (
        (not_utf8, 2, f"{not_utf8}: line 4: not UTF-8 text (byte 0xff at byte {len(lines[3]) + 2})"),
        (binary, 2, f"{binary}: a binary file, not a CSV (NUL byte at offset 4)"),
        (huge, 2, f"{huge}: line 3: field larger than field limit (131072)"),
    ):
        done = runner.invoke(app, ["import", "twcs", str(path), "--workspace", "acme"])
        # The progress bar (transient) leaves an empty line behind.
        assert (done.exit_code, done.output.rstrip("\n")) == (code, message)
    assert not Workspace.objects.filter(slug="acme").exists()
    assert Message.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_csv_row_with_a_nul_is_malformed_and_skipped_or_refused_with_strict(tmp_path: Path) -> None:
    lines = (FIXTURES / "twcs_sample.csv").read_bytes().split(b"\n")
    path = _file(tmp_path, "a.csv", b"\n".join([*lines[:2], lines[2].replace(b",", b",\x00", 1), *lines[3:]]))
    strict = runner.invoke(app, ["import", "twcs", str(path), "--workspace", "acme", "--strict"])
    assert (strict.exit_code, strict.output.rstrip("\n")) == (
        2,
        "line 3: holds a NUL character (--strict: nothing was imported)",
    )
    assert not Workspace.objects.filter(slug="acme").exists()
    done = runner.invoke(app, ["import", "twcs", str(path), "--workspace", "acme"])
    assert done.exit_code == 0, done.output
    assert "  line 3: holds a NUL character" in done.output.splitlines()
