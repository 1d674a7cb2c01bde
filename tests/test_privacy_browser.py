"""A contact's export and erasure in Chromium against the real server process (`socialdesk serve`): an
admin follows the contact link from a conversation, downloads the export, then erases the contact
through the confirmation page. No console error, no sub-resource answered 4xx/5xx."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import CHROMIUM, desk_env, free_port, run_python, serving, watched_page

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")

SETUP = """
from pathlib import Path
from socialdesk.cli.common import migrate_database, setup_django
setup_django()
migrate_database()
import socialdesk
from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.conversations.models import Message
from socialdesk.ingest.actions import receive_event
from socialdesk.policy.actions import save_policy
from socialdesk.workspaces.actions import add_member, create_user, create_workspace
from socialdesk.workspaces.models import Role
root = Path(socialdesk.__file__).parent
workspace = create_workspace("nimbus", "Nimbus Mobile")
add_member(workspace, create_user("ada", "admin passphrase here"), Role.ADMIN)
save_policy(workspace, (root / "policy" / "examples" / "telecom.yaml").read_text(encoding="utf-8"))
channel = sandbox_channel(workspace, "x")
body = {"id": "a", "at": "2026-11-20T09:00:00+00:00", "network": "x", "kind": "mention",
        "author": {"id": "u1", "handle": "h_u1", "name": "Marta Ruiz"},
        "text": "@NimbusMobile my router at Calle Mayor 5 keeps dropping"}
receive_event(channel, "e1", body)
message = Message.objects.get(network_message_id="a")
print(message.conversation_id, message.contact_id)
"""


@pytest.fixture
def served(isolated_database_url: str, tmp_path: Path) -> Iterator[tuple[str, int, int]]:
    env = desk_env(isolated_database_url, tmp_path)
    conversation, contact = (int(n) for n in run_python(SETUP, env).split()[-2:])
    with serving(env, tmp_path / "server.log", free_port(range(8141, 8150)), "--threads", "4") as (base, _):
        yield base, conversation, contact


def test_an_admin_exports_then_erases_a_contact(served: tuple[str, int, int]) -> None:
    base, conversation, contact = served
    with watched_page(base) as (_browser, page, problems):
        page.goto("/login/")
        page.fill("input[name=username]", "ada")
        page.fill("input[name=password]", "admin passphrase here")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        page.goto(f"/c/{conversation}/")
        page.click(f"a[href='/contacts/{contact}/']")
        page.wait_for_url(f"{base}/contacts/{contact}/")
        assert page.locator("h1").inner_text() == f"Contact {contact}: Marta Ruiz"
        with page.expect_download() as download:
            page.click("#export-contact")
        assert download.value.suggested_filename == f"contact-{contact}.json"
        exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
        assert exported["counts"]["messages"] == 1
        assert exported["conversations"][0]["messages"][0]["text"].endswith("Calle Mayor 5 keeps dropping")
        page.click("#erase-contact")
        page.wait_for_url(f"{base}/contacts/{contact}/erase/")
        page.fill("#confirm-erase", str(contact))
        page.click("#confirm-erase-button")
        page.wait_for_url(f"{base}/contacts/{contact}/")
        assert page.locator("h1").inner_text() == f"Contact {contact}: erased-contact-{contact}"
        audit = page.locator("section[aria-label='Privacy audit']").inner_text()
        assert "Contact erased by ada" in audit and "Contact exported by ada" in audit
        page.goto(f"/c/{conversation}/")
        assert "Calle Mayor" not in page.content() and "[erased]" in page.content()
        page.wait_for_load_state("networkidle")
        assert problems == []
