"""The status page and the incident page from the real server process (`socialdesk serve`) in
Chromium: a visitor with no account reads the bulletin and its update; a lead publishes an update
from the incident page and the visitor sees it. No console error, no 4xx/5xx sub-resource, nothing
fetched from elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import CHROMIUM, desk_env, run_python, serving, watched_page

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and os.environ.get("CI") != "true",
    reason="Debian's chromium is not installed (scripts/test installs it)",
)
PORT = 8143  # this branch's range on the shared machine
LEAD_PASSWORD = "lead passphrase here"

# Run in the server's own database before it starts: a workspace whose policy posts bulletins on its
# X account (the sandbox standing in for it), an incident, its bulletin.
SETUP = """
import django
django.setup()
from datetime import UTC, datetime
from django.core.management import call_command
call_command("migrate", verbosity=0)
from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.incidents.bulletins import publish_bulletin
from socialdesk.workspaces.actions import add_member, create_user, create_workspace
from socialdesk.workspaces.models import Role
from tests.bulletin_setup import BULLETIN, bulletin_policy, incident
workspace = create_workspace("acme", "Acme Telecom")
lead = create_user("lena", "lead passphrase here")
add_member(workspace, lead, Role.LEAD)
bulletin_policy(workspace)
sandbox_channel(workspace, "x", ("brand", "@NimbusMobile"))
outage = incident(workspace)
publish_bulletin(lead, outage, "en", BULLETIN, datetime.now(tz=UTC))
print(outage.pk)
"""


def test_a_visitor_reads_the_status_page_and_a_lead_updates_it(
    isolated_database_url: str, tmp_path: Path
) -> None:
    env = desk_env(isolated_database_url, tmp_path, SOCIALDESK_PUBLIC_URL=f"http://127.0.0.1:{PORT}")
    root = str(Path(__file__).parents[1])
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    incident_id = int(run_python(SETUP, env).split()[-1])
    with (
        serving(env, tmp_path / "server.log", PORT) as (base, _),
        watched_page(base) as (browser, page, problems),
    ):
        # A visitor, signed in nowhere
        response = page.goto("/status/acme/")
        assert response.status == 200
        assert response.headers["cache-control"] == "public, max-age=60"
        article = page.locator(f"#incident-{incident_id}")
        assert "Mobile data is down in central Madrid since 08:40." in article.inner_text()
        assert "NET-8812" not in page.content()
        # The lead publishes an update from the incident page
        page.goto("/login/")
        page.fill("input[name=username]", "lena")
        page.fill("input[name=password]", LEAD_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        page.goto(f"/incidents/{incident_id}/")
        page.fill("textarea[name=text]", "Update: half of the cells are back. {incident_link}")
        page.click("text=Publish update")
        page.wait_for_url(f"{base}/incidents/{incident_id}/")
        assert "Update · en" in page.inner_text("main")
        visitor = browser.new_page(base_url=base)
        visitor.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
        visitor.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        visitor.goto(f"/status/acme/#incident-{incident_id}")
        texts = visitor.locator(f"#incident-{incident_id} .bulletin .text").all_inner_texts()
        assert texts == [
            "Mobile data is down in central Madrid since 08:40. Engineers are on it. Updates: "
            f"{base}/status/acme/#incident-{incident_id}",
            f"Update: half of the cells are back. {base}/status/acme/#incident-{incident_id}",
        ]
    assert problems == []
