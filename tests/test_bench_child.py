"""The one way benchmarks run a measurement: a child interpreter on a fresh database."""

from pathlib import Path

import pytest
from rich.console import Console

from socialdesk.bench.child import fresh_database, run_in_child

SAMPLE = Path(__file__).parent / "fixtures" / "twcs_sample.csv"


def test_a_child_imports_into_its_own_fresh_sqlite_database(tmp_path: Path) -> None:
    (tmp_path / "bench.sqlite3").write_text("left over", encoding="utf-8")
    url = fresh_database("sqlite", tmp_path, "bench")
    assert url == f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    assert not (tmp_path / "bench.sqlite3").exists()

    row = run_in_child(
        "socialdesk.importers.bench_twcs", [str(SAMPLE), "--no-triage"], url, tmp_path, Console()
    )

    assert (row["engine"], row["triage"], row["rows"], row["messages"], row["conversations"]) == (
        "sqlite",
        "none",
        11,
        9,
        3,
    )
    assert (tmp_path / "bench.sqlite3").exists()


def test_a_failing_child_stops_the_benchmark_showing_its_error(tmp_path: Path) -> None:
    console = Console(record=True, width=200)
    with pytest.raises(SystemExit) as stopped:
        run_in_child(
            "socialdesk.importers.bench_twcs",
            [str(tmp_path / "missing.csv")],
            fresh_database("sqlite", tmp_path, "bench"),
            tmp_path,
            console,
        )

    assert stopped.value.code == 1
    output = console.export_text()
    assert "bench failed:" in output
    assert "missing.csv" in output
