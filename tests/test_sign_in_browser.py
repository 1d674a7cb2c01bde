"""Signing in from the real server process in Chromium (issue 21): with a code from an authenticator
app, enrolling one because the workspace requires it, and through a local OpenID Connect provider
(tests/oidc_provider.py, a process of its own). No console error, no sub-resource 4xx/5xx."""

from __future__ import annotations

from base64 import b32decode
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import TOTP

from tests.helpers import CHROMIUM, desk_env, free_port, run_python, serving, watched_page
from tests.oidc_provider import PASSWORD as PROVIDER_PASSWORD
from tests.oidc_provider import desk_settings, running

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")

ARTIFACTS = Path(__file__).parents[1] / "test-artifacts" / "playwright"
PASSWORD = "desk passphrase here"
BOB_KEY = "3132333435363738393031323334353637383930"  # hex, RFC 6238's test secret
SETUP = f"""
from socialdesk.cli.common import migrate_database, setup_django
setup_django()
migrate_database()
from django_otp.plugins.otp_totp.models import TOTPDevice
from socialdesk.workspaces.actions import add_member, create_user, create_workspace, set_two_factor_required
from socialdesk.workspaces.models import Role
acme = create_workspace("acme", "Acme Telecom")
globex = create_workspace("globex", "Globex Bank")
set_two_factor_required(None, globex, True)
for name, workspace in (("alice", acme), ("bob", acme), ("carol", globex)):
    add_member(workspace, create_user(name, {PASSWORD!r}, email=name + "@acme.example"), Role.AGENT)
bob = create_user("bob", {PASSWORD!r}, email="bob@acme.example")
TOTPDevice.objects.create(user=bob, name="Authenticator app", key={BOB_KEY!r}, confirmed=True)
"""


def code_now(key: bytes) -> str:
    return f"{TOTP(key).token():06d}"


@pytest.fixture
def served(isolated_database_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(the desk's base URL, the provider's), the desk configured to sign in with the provider."""
    # Ports the system hands out: other suites on this machine start servers in the fixed ranges, and a
    # port taken between the check and the bind would leave the browser talking to their desk.
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    provider_port = free_port()
    provider_base = f"http://127.0.0.1:{provider_port}"
    env = desk_env(isolated_database_url, tmp_path, **desk_settings(provider_base))
    run_python(SETUP, env)
    with (
        running(provider_port, tmp_path / "provider", [f"{base}/oidc/callback/"]),
        serving(env, tmp_path / "server.log", port, "--threads", "4"),
    ):
        yield base, provider_base


def log_in(page: Any, username: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_signing_in_with_an_authenticator_app(served: tuple[str, str]) -> None:
    base, _ = served
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with watched_page(base) as (_browser, page, problems):
        # bob has an app: after the password the desk asks for its code.
        log_in(page, "bob")
        page.wait_for_url(f"{base}/login/verify/?next=%2F")
        page.screenshot(path=str(ARTIFACTS / "sign-in-1-code.png"), full_page=True)
        page.fill("#code", code_now(bytes.fromhex(BOB_KEY)))
        page.get_by_role("button", name="Verify").click()
        page.wait_for_url(f"{base}/")
        assert page.locator("h1").inner_text() == "Inbox"
        page.get_by_role("button", name="Log out").click()
        page.wait_for_url(f"{base}/login/")

        # carol's workspace requires two-factor: she sets up an app before anything else.
        log_in(page, "carol")
        page.wait_for_url(f"{base}/account/security/?next=%2F")
        assert page.locator("#enrol-required").is_visible()
        assert page.locator("figure svg").count() == 1
        secret = page.locator("#totp-secret").inner_text()
        key = b32decode(secret + "=" * (-len(secret) % 8))
        page.fill("#code", code_now(key))
        page.get_by_role("button", name="Turn on two-factor").click()
        page.wait_for_load_state("networkidle")
        assert page.locator("#recovery-codes li").count() == 10
        page.screenshot(path=str(ARTIFACTS / "sign-in-2-recovery-codes.png"), full_page=True)
        page.get_by_role("link", name="Continue to the desk").click()
        page.wait_for_url(f"{base}/")
        assert page.locator("h1").inner_text() == "Inbox"
        assert problems == []


def test_signing_in_through_the_identity_provider(served: tuple[str, str]) -> None:
    base, provider = served
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with watched_page(base, also=(provider,)) as (_browser, page, problems):
        page.goto("/login/")
        page.get_by_role("link", name="Sign in with Acme ID").click()
        page.wait_for_url(f"{provider}/accounts/login/**")
        page.fill("input[name=username]", "alice")
        page.fill("input[name=password]", PROVIDER_PASSWORD)
        page.get_by_role("button", name="Sign in to the provider").click()
        page.wait_for_url(f"{base}/")
        assert page.locator("h1").inner_text() == "Inbox"
        assert "alice" in page.locator("header").inner_text()
        page.screenshot(path=str(ARTIFACTS / "sign-in-3-provider.png"), full_page=True)
        # Someone the desk does not know is sent back with the reason.
        page.get_by_role("button", name="Log out").click()
        page.wait_for_url(f"{base}/login/")
        page.context.clear_cookies()
        page.goto("/login/")
        page.get_by_role("link", name="Sign in with Acme ID").click()
        page.wait_for_url(f"{provider}/accounts/login/**")
        page.fill("input[name=username]", "mallory")
        page.fill("input[name=password]", PROVIDER_PASSWORD)
        page.get_by_role("button", name="Sign in to the provider").click()
        page.wait_for_url(f"{base}/login/")
        assert page.get_by_role("alert").inner_text() == (
            "No account here has the email mallory@elsewhere.example. "
            "Ask an admin of your workspace to invite you."
        )
        assert problems == []
