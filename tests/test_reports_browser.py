"""The reports page from the real server process (`socialdesk serve`) in Chromium, after a replayed
morning: every chart drawn, no console error, no sub-resource answered 4xx/5xx, a number's link opens
the inbox with the conversations behind it. The screenshots are kept as test artifacts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import CHROMIUM, desk_env, free_port, run_python, serving, watched_page

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")

ARTIFACTS = Path(__file__).parents[1] / "test-artifacts" / "playwright"
SETUP = """
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from socialdesk.cli.common import migrate_database, setup_django
setup_django()
migrate_database()
import socialdesk
from socialdesk.channels.sandbox.scenario import read_scenario_file
from socialdesk.policy.actions import save_policy
from socialdesk.scenarios.run import run_scenario
from socialdesk.workspaces.actions import add_member, create_user, create_workspace
from socialdesk.workspaces.models import Role
root = Path(socialdesk.__file__).parent
workspace = create_workspace("nimbus", "Nimbus Mobile")
add_member(workspace, create_user("lena", "lead passphrase here"), Role.LEAD)
save_policy(workspace, (root / "policy" / "examples" / "telecom.yaml").read_text(encoding="utf-8"))
day = read_scenario_file(root / "demo" / "nimbus_day.jsonl")
ends = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
run_scenario(workspace, replace(day, posts=[p for p in day.posts if p.at < ends],
                                replies=[r for r in day.replies if r.at < ends]))
"""
PERIOD = "workspace=nimbus&from=2026-11-14&to=2026-11-20"


@pytest.fixture
def served(isolated_database_url: str, tmp_path: Path) -> Iterator[str]:
    env = desk_env(isolated_database_url, tmp_path)
    run_python(SETUP, env)
    with serving(env, tmp_path / "server.log", free_port(range(8121, 8130)), "--threads", "4") as (base, _):
        yield base


def test_reports_page_draws_every_chart_and_links_to_the_conversations(served: str) -> None:
    base = served
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with watched_page(base) as (_browser, page, problems):
        page.goto("/login/")
        page.fill("input[name=username]", "lena")
        page.fill("input[name=password]", "lead passphrase here")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        response = page.goto(f"/reports/?{PERIOD}")
        assert response is not None and response.status == 200
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").inner_text() == "Reports Nimbus Mobile"
        # Each chart is an image with a title, and its numbers are in a table under it
        charts = page.locator("svg.chart[role=img]")
        assert charts.count() == 10
        assert page.locator("#chart-volume-title").text_content() == "Volume by day"
        page.screenshot(path=str(ARTIFACTS / "reports-1-dashboard.png"), full_page=True)
        # The day's customer messages link to the inbox filtered to them
        section = page.locator("#report-volume")
        section.locator("summary").click()
        day = section.locator("tbody tr", has=page.locator("th", has_text="2026-11-20"))
        assert day.locator("td").first.inner_text() == "74"
        day.locator("td a").first.click()
        page.wait_for_load_state("networkidle")
        assert "fact=inbound" in page.url
        assert page.locator("#report-filter").inner_text().startswith("behind a report's number: inbound")
        page.screenshot(path=str(ARTIFACTS / "reports-2-behind-a-number.png"), full_page=True)
        rows = page.locator("table tbody tr[data-id]")
        assert rows.count() > 0
        assert problems == []
