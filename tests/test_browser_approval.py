"""Four eyes and think twice in a real browser (the Playwright setup of tests/test_browser.py): the
author of a held reply gets no approve button, another lead approves it from the queue and the
conversation shows who; an agent undoes a reply within the policy's delay without reloading."""

from __future__ import annotations

from typing import Any

from socialdesk.channels.models import SandboxDelivery
from socialdesk.conversations.models import Conversation, Message
from socialdesk.ingest.actions import receive_event
from socialdesk.outbox.models import OutboxItem
from socialdesk.policy.actions import save_policy
from socialdesk.replies.actions import send_reply
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests import test_browser
from tests.helpers import post
from tests.test_browser import ARTIFACTS, TELECOM, pytestmark  # noqa: F401 (skipped without Chromium)

page = test_browser.page  # the same fixture: a live server and Chromium

DRAFT = "Ana, we've refunded the double charge today. ^AL"


def _log_in(page: Any, username: str, password: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("#inbox")


def test_the_author_cannot_approve_and_another_lead_does_from_the_queue(
    page: Any, workspace: Any, x_channel: Any, lead: Any
) -> None:
    save_policy(workspace, TELECOM)
    receive_event(
        x_channel, "1", post("a", "@NimbusMobile refund the double charge or my lawyer files a claim")
    )
    conversation = Conversation.objects.get()
    held = send_reply(conversation, lead, DRAFT)
    leo = create_user("leo", "second lead passphrase")
    add_member(workspace, leo, Role.LEAD)

    _log_in(page, "lena", "lead passphrase here")
    page.goto("/approvals/")
    assert page.locator("article.held-reply").count() == 1
    assert page.locator("text=Approve and send").count() == 0
    assert "You wrote this reply" in page.inner_text("article.held-reply")
    page.goto(f"/c/{conversation.pk}/")
    assert page.locator("text=Approve and send").count() == 0
    assert "Held for approval: escalated: Legal threats go to legal" in page.inner_text(
        f"[data-id=m{held.pk}]"
    )
    with page.expect_navigation():
        page.click("header button[type=submit]")  # log out

    _log_in(page, "leo", "second lead passphrase")
    assert page.inner_text("#nav-approvals") == "Approvals 1"
    page.click("#nav-approvals")
    page.wait_for_selector("article.held-reply")
    assert "refund the double charge or my lawyer files a claim" in page.inner_text("article.held-reply")
    page.screenshot(path=str(ARTIFACTS / "5-approvals.png"), full_page=True)
    with page.expect_navigation():
        page.click("text=Approve and send")
    assert page.inner_text("main").count("No replies are waiting for approval.") == 1
    page.goto(f"/c/{conversation.pk}/")
    assert "Approved by leo" in page.inner_text(f"[data-id=m{held.pk}]")
    assert list(SandboxDelivery.objects.values_list("text", flat=True)) == [DRAFT]
    assert Message.objects.get(pk=held.pk).reviewed_by == leo


def test_undo_within_the_delay_without_reloading(
    page: Any, workspace: Any, x_channel: Any, agent: Any
) -> None:
    # Two minutes: ample for a slow machine to click before the delay runs out.
    save_policy(
        workspace,
        TELECOM.replace(
            "  require_signature: true\n", "  require_signature: true\n  send_delay_seconds: 120\n"
        ),
    )
    receive_event(x_channel, "1", post("a", "@NimbusMobile no signal since yesterday"))
    conversation = Conversation.objects.get()
    text = "Name, sorry about the signal: we're checking the mast near you. ^AL"

    _log_in(page, "alice", "correct horse battery staple")
    page.goto(f"/c/{conversation.pk}/")
    page.fill("#reply-text", text)
    with page.expect_navigation():
        page.click("#composer button[type=submit]")
    undo = page.locator("button.undo")
    assert undo.inner_text().startswith("Undo (")
    page.evaluate("window.beforeUndo = true")  # gone if the page reloads
    page.wait_for_function("() => document.querySelector('button.undo').textContent !== 'Undo (120s)'")
    page.screenshot(path=str(ARTIFACTS / "6-undo.png"), full_page=True)
    undo.click()
    page.wait_for_selector(".undone")
    assert page.evaluate("window.beforeUndo") is True
    assert page.input_value("#reply-text") == text
    assert page.locator("article.msg.out").count() == 0
    assert (Message.objects.filter(direction="out").count(), OutboxItem.objects.count()) == (0, 0)
    assert SandboxDelivery.objects.count() == 0
