"""Bulk actions in a real browser against the real server process (`socialdesk serve`, waitress): an
agent selects conversations with the keyboard and a shift-click and resolves them with `e`; one of
them was closed by a colleague meanwhile and is listed as refused. A console error or any 4xx/5xx
response fails the test."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import CHROMIUM, cli, desk_env, free_port, run_python, serving, watched_page
from tests.test_browser import ARTIFACTS

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and os.environ.get("CI") != "true",
    reason="Debian's chromium is not installed (scripts/test installs it)",
)
PORTS = range(8131, 8140)  # the ports this desk's test servers may use on a shared machine
PASSWORD = "correct horse battery staple"

# Five customers write in, a minute apart, into a workspace running the telecom policy; alice is an
# agent there. Prints the conversation ids, oldest first (the live inbox's "longest waiting" order).
SEED = """
import json, django
django.setup()
from pathlib import Path
from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.conversations.models import Message
from socialdesk.ingest.actions import receive_event
from socialdesk.policy.actions import save_policy
from socialdesk.workspaces.actions import add_member, create_user, create_workspace
from socialdesk.workspaces.models import Role
from tests.helpers import post
import socialdesk.policy
workspace = create_workspace("acme", "Acme Telecom")
save_policy(workspace, (Path(socialdesk.policy.__file__).parent / "examples" / "telecom.yaml").read_text())
add_member(workspace, create_user("alice", "correct horse battery staple"), Role.AGENT)
channel = sandbox_channel(workspace, "x")
for n in range(5):
    receive_event(channel, str(n), post(f"p{n}", f"@NimbusMobile question {n}", author=f"u{n}", minutes=n))
print(json.dumps([Message.objects.get(network_message_id=f"p{n}").conversation_id for n in range(5)]))
"""


@pytest.fixture
def served_desk(isolated_database_url: str, tmp_path: Path) -> Iterator[tuple[str, list[int]]]:
    """(base URL, conversation ids) of `socialdesk serve` on a fresh database holding the seed."""
    env = desk_env(isolated_database_url, tmp_path, PYTHONPATH=str(Path(__file__).parents[1]))
    migrated = cli(env, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    ids = json.loads(run_python(SEED, env).strip().splitlines()[-1])
    with serving(env, tmp_path / "server.log", free_port(PORTS)) as (base, _):
        yield base, ids


def _statuses(page: Any) -> dict[int, str]:
    """Every conversation's status, read through the API with the page's session."""
    found = page.request.get("/api/conversations").json()
    return {item["id"]: item["status"] for item in found["items"]}


def test_select_with_the_keyboard_and_shift_click_then_resolve_in_bulk(
    served_desk: tuple[str, list[int]],
) -> None:
    base, ids = served_desk
    with watched_page(base, viewport={"width": 1280, "height": 900}) as (_browser, page, problems):
        page.goto("/login/")
        page.fill("input[name=username]", "alice")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        # Every status: a conversation closed meanwhile stays in the list (and in the selection).
        page.goto("/?sort=waiting")
        page.wait_for_function("() => window.socialdeskReady === true")
        shown = page.eval_on_selector_all("#rows tr[data-id]", "rows => rows.map(r => Number(r.dataset.id))")
        assert sorted(shown) == sorted(ids)
        first, second, third, fourth, last = shown
        assert page.is_hidden("#bulk")

        # j puts the cursor on the first row, x picks it, shift+j picks the next one too.
        page.keyboard.press("j")
        page.keyboard.press("x")
        page.keyboard.press("Shift+J")
        assert page.inner_text("#bulk-count") == "2"
        assert page.is_visible("#bulk")
        # A shift-click on the fourth row's box picks the range from the second down to it.
        page.click(f"#rows tr[data-id='{fourth}'] input.pick", modifiers=["Shift"])
        assert page.inner_text("#bulk-count") == "4"
        picked = page.eval_on_selector_all("#rows tr.picked", "rows => rows.map(r => Number(r.dataset.id))")
        assert picked == [first, second, third, fourth]
        # x on the cursor row takes it out again and puts it back: the selection is the keyboard's too.
        page.keyboard.press("x")
        assert page.inner_text("#bulk-count") == "3"
        page.keyboard.press("x")
        assert page.inner_text("#bulk-count") == "4"
        page.screenshot(path=str(ARTIFACTS / "bulk-1-selected.png"), full_page=True)

        # Meanwhile a colleague closes the third one (through the API, with the page's session).
        csrf = page.input_value("#bulk input[name=csrfmiddlewaretoken]")
        closed = page.request.post(
            f"/api/conversations/{third}/status",
            data=json.dumps({"status": "closed"}),
            headers={"Content-Type": "application/json", "X-CSRFToken": csrf, "Referer": f"{base}/"},
        )
        assert closed.status == 200, closed.text()

        # e resolves the selection; the inbox comes back with what happened.
        with page.expect_navigation():
            page.keyboard.press("e")
        page.wait_for_selector("#bulk-result")
        assert page.eval_on_selector_all("#bulk-result p", "ps => ps.map(p => p.textContent)") == [
            "3 resolved, 1 failed",
            f"#{third}: a closed conversation stays closed; a new message opens a new one",
        ]
        page.wait_for_function("() => window.socialdeskReady === true")
        assert page.is_hidden("#bulk")  # nothing selected after the action
        page.screenshot(path=str(ARTIFACTS / "bulk-2-resolved.png"), full_page=True)
        assert _statuses(page) == {
            first: "resolved",
            second: "resolved",
            third: "closed",
            fourth: "resolved",
            last: "new",
        }

        # Select every row shown, then Esc clears the selection.
        page.click("#pick-all")
        assert page.inner_text("#bulk-count") == "5"
        page.keyboard.press("Escape")
        assert page.is_hidden("#bulk")
        page.goto("about:blank")
    assert problems == []
