"""An agent's queue and the team page from the real server process in Chromium (issue 18): posts
routed to care are assigned to the online agents by the example policy's least-loaded method; the
agent sees their status, their load and their queue; no console error, no sub-resource 4xx/5xx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import CHROMIUM, desk_env, free_port, run_python, serving, watched_page

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")

ARTIFACTS = Path(__file__).parents[1] / "test-artifacts" / "playwright"
SETUP = """
from datetime import UTC, datetime, timedelta
from pathlib import Path
from socialdesk.cli.common import migrate_database, setup_django
setup_django()
migrate_database()
import socialdesk
from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.ingest.actions import receive_event
from socialdesk.policy.actions import save_policy
from socialdesk.roster.availability import set_profile, set_status
from socialdesk.workspaces.actions import add_member, create_user, create_workspace, ensure_team
from socialdesk.workspaces.models import Role
root = Path(socialdesk.__file__).parent
workspace = create_workspace("nimbus", "Nimbus Mobile", timezone="Europe/Madrid")
save_policy(workspace, (root / "policy" / "examples" / "telecom.yaml").read_text(encoding="utf-8"))
care = ensure_team(workspace.pk, "care", "Customer care")
for name, capacity in (("alice", 2), ("bob", 5)):
    user = create_user(name, "agent passphrase here")
    add_member(workspace, user, Role.AGENT)
    care.members.add(user)
    set_status(None, workspace.pk, name, "online")
    set_profile(None, workspace.pk, name, capacity=capacity, languages=[], networks=[], categories=[])
channel = sandbox_channel(workspace, "x")
now = datetime.now(tz=UTC)
texts = ["how do I change my plan to the family one?", "where can I see my roaming allowance?",
         "can I keep my number if I move to a new city?", "what time does the Gran Via shop open?"]
for i, text in enumerate(texts):
    at = (now - timedelta(minutes=10 - i)).isoformat()
    author = {"id": f"u{i}", "handle": f"h_u{i}", "name": f"Customer {i}"}
    receive_event(channel, f"p{i}", {"id": f"p{i}", "at": at, "network": "x", "kind": "mention",
                                     "author": author, "text": "@NimbusMobile " + text})
"""


@pytest.fixture
def served(isolated_database_url: str, tmp_path: Path) -> Iterator[str]:
    env = desk_env(isolated_database_url, tmp_path)
    run_python(SETUP, env)
    with serving(env, tmp_path / "server.log", free_port(range(8131, 8140)), "--threads", "4") as (base, _):
        yield base


def test_an_agent_sees_their_status_load_and_queue(served: str) -> None:
    base = served
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with watched_page(base) as (_browser, page, problems):
        page.goto("/login/")
        page.fill("input[name=username]", "alice")
        page.fill("input[name=password]", "agent passphrase here")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        response = page.goto("/team/")
        assert response is not None and response.status == 200
        page.wait_for_load_state("networkidle")
        section = page.locator("section[aria-label='Nimbus Mobile']")
        # Least loaded over alice (capacity 2) and bob: alice, bob, alice, bob.
        assert section.locator("[data-member=alice] [data-load]").get_attribute("data-load") == "2/2"
        assert section.locator("tr[data-member]").count() == 1  # an agent sees their own row
        assert page.locator("#my-status-1").inner_text() == "online"
        page.screenshot(path=str(ARTIFACTS / "team-1-agent.png"), full_page=True)
        page.get_by_role("button", name="Away").click()
        page.wait_for_load_state("networkidle")
        assert page.locator("#my-status-1").inner_text() == "away"
        page.get_by_role("link", name="Your queue: 2 open of 2").click()
        page.wait_for_load_state("networkidle")
        assert page.locator("#my-queue").get_attribute("aria-current") == "page"
        rows = page.locator("table#inbox tbody tr[data-id]")
        assert rows.count() == 2
        texts = " ".join(rows.all_inner_texts())
        assert "family one" in texts and "Gran Via" not in texts
        page.screenshot(path=str(ARTIFACTS / "team-2-my-queue.png"), full_page=True)
        assert problems == []
