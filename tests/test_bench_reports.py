"""`socialdesk bench reports` at a tiny size: the seeded year has exactly the rows its seed gives, and
every report in the catalog has rows for every period measured (timings are not asserted)."""

from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from socialdesk.bench.reports import SECTION, run_reports_benchmark, windows
from socialdesk.reports.summaries.catalog import NAMES

END = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)


def test_thirty_day_periods_spread_over_the_year_before_the_end() -> None:
    found = windows(END, 3)

    assert [(first.isoformat(), last.isoformat()) for first, last in found] == [
        ("2026-11-01", "2026-11-30"),
        ("2026-05-17", "2026-06-15"),
        ("2025-12-01", "2025-12-30"),
    ]


def test_a_tiny_run_seeds_exact_counts_and_every_report_has_rows(tmp_path: Path) -> None:
    output = tmp_path / "benchmarks.md"
    output.write_text("# Benchmarks\n\n## Other\n\nkept\n", encoding="utf-8")

    [result] = run_reports_benchmark(500, ["sqlite"], 2, output, Console(quiet=True), end=END)

    assert (result["conversations"], result["messages"]) == (500, 2500)
    assert result["by_kind"] == {
        "automatic": 149,
        "bulletin": 81,
        "csat": 123,
        "first_response": 494,
        "inbound": 1327,
        "opened": 500,
        "reopen": 21,
        "resolution": 508,
        "response": 1024,
        "sla": 1524,
    }
    # Every message is a fact: the customer's, the desk's automatic ones and the agents' responses.
    assert result["messages"] == sum(result["by_kind"][k] for k in ("inbound", "automatic", "response"))
    assert result["facts"] == 5751
    assert result["rollups"] == 59353
    assert [row["report"] for row in result["rows"]] == list(NAMES)
    assert {row["report"]: row["fewest_rows"] > 0 for row in result["rows"]} == dict.fromkeys(NAMES, True)
    text = output.read_text(encoding="utf-8")
    assert "## Other\n\nkept" in text
    assert text.count(SECTION) == 1
    assert all(f"| {name} " in text for name in NAMES)
