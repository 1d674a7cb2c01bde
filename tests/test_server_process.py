"""What a user runs: `socialdesk demo --no-serve` then `socialdesk serve`, as real processes on a fresh
data directory, every page family opened in Chromium. A static asset that is not served (a 404), a
server error or a console error fails the test."""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import CHROMIUM, cli, desk_env, free_port, serving, watched_page

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and os.environ.get("CI") != "true",
    reason="Debian's chromium is not installed (scripts/test installs it)",
)


def _password(log: Path, server: subprocess.Popen[str], timeout: float = 600.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(r"as demo with password (\S+)", log.read_text(encoding="utf-8"))
        if found:
            return found.group(1)
        if server.poll() is not None:
            raise AssertionError(f"demo exited with {server.returncode}: {log.read_text(encoding='utf-8')}")
        time.sleep(0.5)
    raise AssertionError(f"demo printed no password within {timeout} s")


@pytest.fixture(params=["demo then serve", "demo serving"])
def served_demo(
    request: pytest.FixtureRequest, isolated_database_url: str, tmp_path: Path
) -> Iterator[tuple[str, str]]:
    """(base URL, the demo user's password) of a real server on a data directory never served before:
    `socialdesk demo --no-serve` then `socialdesk serve`, or `socialdesk demo` serving itself."""
    env = desk_env(isolated_database_url, tmp_path)
    assert not (tmp_path / "data").exists()
    port = free_port()
    log = tmp_path / "server.log"
    if request.param == "demo then serve":
        loaded = cli(env, "demo", "--no-serve", timeout=600)
        assert loaded.returncode == 0, loaded.stderr
        found = re.search(r"as demo with password (\S+)", loaded.stdout)
        assert found, loaded.stdout
        with serving(env, log, port) as (base, _):
            yield base, found.group(1)
    else:
        # The demo loads its day before it listens: it may take minutes on a busy machine.
        with serving(env, log, port, command="demo", timeout=720) as (base, server):
            yield base, _password(log, server)


def test_every_page_family_loads_from_the_real_server_without_errors(served_demo: tuple[str, str]) -> None:
    base, password = served_demo
    with watched_page(base) as (_browser, page, problems):
        # No internet: anything fetched from elsewhere (a CDN) fails the test.
        page.goto("/login/")
        page.fill("input[name=username]", "demo")
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        # desk.js (served by WhiteNoise from the folder collected at start) ran and attached its keys.
        page.wait_for_function("() => window.socialdeskReady === true", timeout=90_000)
        first = page.locator("a[href^='/c/']").first.get_attribute("href")
        visited = {}
        pages = ["/", first, "/incidents/", "/channels/", "/tokens/", "/policy/", "/policy/public/"]
        pages += ["/automation/", "/automation/?hours=24", "/sandbox/outbox/", "/approvals/", "/members/"]
        pages += ["/notifications/", "/notifications/preferences/", "/notifications/webhooks/"]
        pages += ["/reports/", "/team/", "/planning/"]
        for path in [*pages, "/api/docs"]:
            response = page.goto(path)
            page.wait_for_load_state("networkidle")
            visited[path] = response.status
        # Swagger UI, served from django-ninja's bundled files, drew the API's operations.
        page.goto("/api/docs")
        page.wait_for_selector(".opblock", timeout=30_000)
        # The demo's card number is masked in search and on its page; a click reveals it (audited).
        page.goto("/?q=4539")
        assert page.locator("#rows a[href^='/c/']").count() == 0
        page.goto("/?q=tarjeta+caducidad")
        page.locator("#rows a[href^='/c/']").first.click()
        page.wait_for_function("() => window.socialdeskReady === true", timeout=90_000)
        assert "[card number]" in page.inner_text("#main")
        assert "4539" not in page.inner_text("#main")
        page.click("text=Reveal personal data")
        page.wait_for_selector("[role=status]")
        assert "4539 1488 0343 6467" in page.inner_text("#main")
        page.goto("about:blank")
    assert set(visited.values()) == {200}, visited
    assert problems == []
