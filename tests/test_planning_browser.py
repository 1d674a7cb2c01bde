"""The planning page from the real server process (`socialdesk serve`) in Chromium: a lead follows the
Planning link, sees required against scheduled people as a chart with understaffed intervals marked
and a suggested rota, then asks what twice the volume would need. No console error, no sub-resource
answered 4xx/5xx. The server runs on the real clock, so the history is written relative to it (four
weeks of 12 conversations every morning) and the test checks what holds on any day."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import CHROMIUM, desk_env, free_port, run_python, serving, watched_page

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")

ARTIFACTS = Path(__file__).parents[1] / "test-artifacts" / "playwright"
SETUP = """
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo
from socialdesk.cli.common import migrate_database, setup_django
setup_django()
migrate_database()
import socialdesk
from socialdesk.policy.actions import save_policy
from socialdesk.reports.models import Fact, FactKind
from socialdesk.roster.shifts import WeeklyHours, set_week
from socialdesk.workspaces.actions import add_member, create_user, create_workspace
from socialdesk.workspaces.models import Role
root = Path(socialdesk.__file__).parent
workspace = create_workspace("nimbus", "Nimbus Mobile")
add_member(workspace, create_user("lena", "lead passphrase here"), Role.LEAD)
add_member(workspace, create_user("alice", "agent passphrase here"), Role.AGENT)
policy = (root / "policy" / "examples" / "telecom.yaml").read_text(encoding="utf-8")
# The example's own staffing section gives way to this one (a key written twice is refused).
save_policy(workspace, policy.split("\\nstaffing:\\n")[0] + "\\nstaffing:\\n  handle_seconds: 600\\n")
madrid = ZoneInfo("Europe/Madrid")
today = datetime.now(madrid).date()
def morning(day):
    return datetime.combine(today - timedelta(days=day), time(11, 0), tzinfo=madrid)
Fact.objects.bulk_create(
    Fact(workspace=workspace, kind=FactKind.OPENED, key=f"o{day}-{n}",
         at=morning(day) + timedelta(minutes=2 * n))
    for day in range(1, 29) for n in range(12)
)
set_week(None, workspace.pk, "alice", [WeeklyHours(d, time(9), time(13)) for d in range(5)], "Europe/Madrid")
"""


@pytest.fixture
def served(isolated_database_url: str, tmp_path: Path) -> Iterator[str]:
    env = desk_env(isolated_database_url, tmp_path)
    run_python(SETUP, env)
    with serving(env, tmp_path / "server.log", free_port(range(8131, 8140)), "--threads", "4") as (base, _):
        yield base


def _person_hours(text: str) -> float:
    # "... ; 45.0 person-hours required, 8.0 scheduled."
    return float(text.split("person-hours required")[0].split(";")[-1].strip())


def test_a_lead_reads_the_staffing_chart_and_asks_what_if(served: str) -> None:
    base = served
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with watched_page(base) as (_browser, page, problems):
        page.goto("/login/")
        page.fill("input[name=username]", "lena")
        page.fill("input[name=password]", "lead passphrase here")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        page.click("header a:text-is('Planning')")
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").inner_text() == "Planning Nimbus Mobile"
        # The chart: an image with a title, bars of people required, the scheduled line, red marks
        chart = page.locator("svg#staffing-chart[role=img]")
        assert chart.count() == 1
        assert (
            page.locator("#chart-staffing-title").text_content()
            == "People required and scheduled per interval"
        )
        assert page.locator("#staffing-chart rect.required").count() > 0
        assert page.locator("#staffing-chart polyline.scheduled").count() == 1
        assert page.locator("#staffing-chart rect.under").count() > 0
        assert page.locator("#plan-rota tbody tr").count() > 0
        assert "measured" not in page.locator("#plan-basis").inner_text()  # handling set in the policy
        before = _person_hours(page.locator("#plan-summary").inner_text())
        page.screenshot(path=str(ARTIFACTS / "planning-1-chart.png"), full_page=True)
        # What if the volume doubled (an outage): more people required
        page.fill("#volume-factor", "2")
        page.click("form[aria-label=Plan] button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "volume_factor=2" in page.url
        assert _person_hours(page.locator("#plan-summary").inner_text()) > before
        page.screenshot(path=str(ARTIFACTS / "planning-2-what-if.png"), full_page=True)
        assert problems == []
