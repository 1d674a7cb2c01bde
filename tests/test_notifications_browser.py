"""The notification pages from the real server process (`socialdesk serve`) in Chromium: no console
error, no sub-resource answered 4xx/5xx, and the header's unread count rises without a reload when
the desk raises a notification."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import CHROMIUM, desk_env, free_port, run_python, serving, watched_page

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")

SETUP = """
from socialdesk.cli.common import migrate_database, setup_django
setup_django()
migrate_database()
from socialdesk.notifications.notify import notify
from socialdesk.workspaces.actions import add_member, create_user, create_workspace
from socialdesk.workspaces.models import Role
workspace = create_workspace("acme", "Acme Telecom")
add_member(workspace, create_user("adam", "admin passphrase here"), Role.ADMIN)
notify(workspace, "incident_opened", "Madrid outage")
"""
RAISE = """
from socialdesk.cli.common import setup_django
setup_django()
from socialdesk.notifications.notify import notify
from socialdesk.workspaces.models import Workspace
notify(Workspace.objects.get(slug="acme"), "spike", "40 posts about roaming in 10 minutes")
"""


@pytest.fixture
def served(isolated_database_url: str, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    env = desk_env(isolated_database_url, tmp_path)
    run_python(SETUP, env)
    with serving(env, tmp_path / "server.log", free_port(range(8111, 8120)), "--threads", "4") as (base, _):
        yield base, env


def test_notification_pages_load_clean_and_the_unread_count_is_live(
    served: tuple[str, dict[str, str]],
) -> None:
    base, env = served
    with watched_page(base) as (_browser, page, problems):
        page.goto("/login/")
        page.fill("input[name=username]", "adam")
        page.fill("input[name=password]", "admin passphrase here")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        for path in ["/notifications/", "/notifications/preferences/", "/notifications/webhooks/"]:
            response = page.goto(path)
            page.wait_for_load_state("networkidle")
            assert response.status == 200, path
        # An admin adds a webhook: the secret is shown once
        page.select_option("select[name=workspace]", label="Acme Telecom")
        page.fill("input[name=name]", "Slack #leads")
        page.fill("input[name=url]", "http://127.0.0.1:9/closed")
        page.click("text=Add webhook")
        assert page.inner_text("#new-secret").startswith("whsec_")
        # The centre shows the incident, unread; the header counts it
        page.goto("/notifications/")
        assert "Madrid outage" in page.inner_text("#notification-list")
        assert page.inner_text("#nav-notifications") == "Notifications 1"
        # When the desk raises another, the header says so without a reload
        run_python(RAISE, env)
        page.wait_for_function(
            "() => document.querySelector('#nav-notifications').innerText === 'Notifications 2'",
            timeout=30_000,
        )
        page.click("text=Mark all read")
        page.wait_for_load_state("networkidle")
        assert page.inner_text("#nav-notifications") == "Notifications"
        page.goto("about:blank")
    assert problems == []
