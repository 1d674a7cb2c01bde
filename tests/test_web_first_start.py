"""What a new desk shows on its first start: words that agree with each other and name things right,
a hint for someone in no workspace, and a members page for a workspace's admins."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client

from socialdesk.channels.models import AccountRole, Channel, SandboxDelivery, WebhookDelivery
from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.conversations.models import Activity
from socialdesk.policy.actions import policy_accounts
from socialdesk.web.inbox_views import _shown_total
from socialdesk.workspaces.actions import add_member, create_api_token, create_user
from socialdesk.workspaces.models import Role

PASSWORD = "correct horse battery staple"


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_channel_forms_name_the_network_with_its_article(workspace: Any) -> None:
    add_member(workspace, create_user("ada", PASSWORD), Role.ADMIN)
    page = _client("ada").get("/channels/").content.decode()
    assert "Connect an X account" in page
    assert "Connect a Facebook account" in page
    assert "Connect an Instagram account" in page
    assert "Connect an Email account" in page
    assert "Connect a x account" not in page


def test_capped_total_never_falls_below_the_live_count() -> None:
    tallies = {"new": 1000, "open": 300, "pending": 52, "live": 1352}
    assert _shown_total(1001, "", tallies) == "1,352+"
    assert _shown_total(1001, "", {**tallies, "live": 10}) == "1,000+"
    assert _shown_total(1352, "live", tallies) == "1,352"
    assert _shown_total(1001, "resolved", tallies) == "1,000+"
    assert _shown_total(12, "", tallies) == "12"


def test_admin_names_plurals_in_english() -> None:
    assert str(SandboxDelivery._meta.verbose_name_plural) == "sandbox deliveries"
    assert str(WebhookDelivery._meta.verbose_name_plural) == "webhook deliveries"
    assert str(Activity._meta.verbose_name_plural) == "activities"
    plurals = [str(m._meta.verbose_name_plural) for m in admin.site._registry]
    assert not [p for p in plurals if p.endswith("ys") and not p.endswith(("ays", "eys", "oys"))]


def test_someone_in_no_workspace_is_told_what_to_do(transactional_db: None) -> None:
    boss = create_user("root", PASSWORD)
    boss.is_superuser = boss.is_staff = True
    boss.save()
    page = _client("root").get("/").content.decode()
    assert "You are not a member of any workspace yet" in page
    assert "socialdesk demo" in page
    assert 'href="/admin/workspaces/workspace/add/"' in page
    create_user("nobody", PASSWORD)
    plain = _client("nobody").get("/").content.decode()
    assert "Ask an admin of your brand to add you" in plain
    assert "/admin/workspaces/workspace/add/" not in plain


def test_admin_adds_invites_changes_and_removes_members(workspace: Any, agent: Any) -> None:
    ada = create_user("ada", PASSWORD)
    add_member(workspace, ada, Role.ADMIN)
    create_user("bob", PASSWORD)
    client = _client("ada")
    base = f"/members/{workspace.pk}"

    page = client.get("/members/").content.decode()
    assert "Acme Telecom" in page and "alice" in page and "ada" in page

    added = client.post(f"{base}/add/", {"username": "bob", "role": "lead"})
    assert "bob added to Acme Telecom as lead" in added.content.decode()
    assert workspace.memberships.get(user__username="bob").role == Role.LEAD
    missing = client.post(f"{base}/add/", {"username": "carol", "role": "agent"})
    assert missing.status_code == 422
    assert "no user &#x27;carol&#x27;; invite them by email instead" in missing.content.decode()

    invited = client.post(f"{base}/invite/", {"email": "Carol@Example.com", "role": "agent"})
    link = re.search(
        r'<code id="invite-link">http://testserver(/invite/[^<]+)</code>', invited.content.decode()
    )
    assert link, invited.content.decode()
    carol = User.objects.get(email="carol@example.com")
    assert not carol.is_active and workspace.memberships.get(user=carol).role == Role.AGENT

    stranger = Client()
    assert "Choose a password" in stranger.get(link.group(1)).content.decode()
    accepted = stranger.post(
        link.group(1), {"new_password1": "a long new passphrase", "new_password2": "a long new passphrase"}
    )
    assert accepted.status_code == 302 and accepted["Location"] == "/"
    carol.refresh_from_db()
    assert carol.is_active
    assert stranger.get(link.group(1)).status_code == 404  # the link is spent

    assert client.post(f"{base}/{agent.pk}/role/", {"role": "lead"}).status_code == 302
    assert workspace.memberships.get(user=agent).role == Role.LEAD
    assert client.post(f"{base}/{agent.pk}/remove/").status_code == 302
    assert not workspace.memberships.filter(user=agent).exists()

    last = client.post(f"{base}/{ada.pk}/role/", {"role": "agent"})
    assert last.status_code == 409
    assert "the workspace needs at least one admin" in last.content.decode()
    assert client.post(f"{base}/{ada.pk}/remove/").status_code == 409
    assert workspace.memberships.get(user=ada).role == Role.ADMIN


def test_only_admins_manage_members(workspace: Any, agent: Any, other_workspace: Any) -> None:
    ada = create_user("ada", PASSWORD)
    add_member(other_workspace, ada, Role.ADMIN)
    client = _client("alice")
    refused = client.post(f"/members/{workspace.pk}/add/", {"username": "ada", "role": "admin"})
    assert refused.status_code == 403
    assert "only an admin of the workspace manages its members" in refused.content.decode()
    assert client.post(f"/members/{workspace.pk}/{agent.pk}/role/", {"role": "admin"}).status_code == 403
    assert workspace.memberships.get(user=agent).role == Role.AGENT
    assert not workspace.memberships.filter(user=ada).exists()
    # An admin of another brand cannot reach this one at all.
    assert _client("ada").post(f"/members/{workspace.pk}/{agent.pk}/remove/").status_code == 404
    assert workspace.memberships.filter(user=agent).exists()
    assert "You are an admin of no workspace" in client.get("/members/").content.decode()


def test_sandbox_channels_take_the_policys_accounts(workspace: Any, telecom_policy: Any) -> None:
    accounts = policy_accounts(workspace.pk)
    assert accounts["x"] == ("brand", "@NimbusMobile")
    assert accounts["whatsapp"] == ("support", "+34 900 100 200")
    earlier = sandbox_channel(workspace, "x")  # made before the policy named the account
    x = sandbox_channel(workspace, "x", accounts["x"])
    whatsapp = sandbox_channel(workspace, "whatsapp", accounts["whatsapp"])
    assert x.pk == earlier.pk
    assert (x.handle, x.account_role) == ("@NimbusMobile", AccountRole.BRAND)
    assert (whatsapp.handle, whatsapp.account_role) == ("+34 900 100 200", AccountRole.SUPPORT)
    assert whatsapp.effective_network == "whatsapp"
    assert sandbox_channel(workspace, "whatsapp", accounts["whatsapp"]).pk == whatsapp.pk
    assert Channel.objects.filter(workspace=workspace).count() == 2


def test_a_channel_without_credentials_says_so_and_has_no_webhook(workspace: Any) -> None:
    add_member(workspace, create_user("ada", PASSWORD), Role.ADMIN)
    Channel.objects.create(workspace=workspace, network="x", handle="@AcmeImported")
    sandbox_channel(workspace, "facebook")
    page = _client("ada").get("/channels/").content.decode()
    row = page[page.index("@AcmeImported") :].split("</tr>")[0]
    assert "no credentials" in row
    assert "/hooks/" not in page
    sandbox_row = page[page.index("@acme.facebook") :].split("</tr>")[0]
    assert "no credentials" not in sandbox_row and "active" in sandbox_row


def test_members_through_the_api(workspace: Any, agent: Any) -> None:
    ada = create_user("ada", PASSWORD)
    add_member(workspace, ada, Role.ADMIN)
    create_user("bob", PASSWORD)
    _, token = create_api_token(ada, "members script")
    client, auth = Client(), {"Authorization": f"Bearer {token}"}
    base = "/api/workspaces/acme/members"

    listed = client.get(base, headers=auth).json()
    assert [(m["username"], m["role"]) for m in listed] == [("ada", "admin"), ("alice", "agent")]
    added = client.post(base, {"username": "bob", "role": "lead"}, "application/json", headers=auth)
    assert added.status_code == 201 and added.json()["role"] == "lead"
    dan = {"email": "dan@example.com", "role": "agent"}
    invited = client.post(base, dan, "application/json", headers=auth)
    assert invited.status_code == 201
    assert invited.json()["active"] is False
    assert invited.json()["invitation_url"].startswith("http://testserver/invite/")
    changed = client.patch(f"{base}/{agent.pk}", {"role": "legal"}, "application/json", headers=auth)
    assert changed.json()["role"] == "legal"
    assert client.delete(f"{base}/{agent.pk}", headers=auth).status_code == 204
    last = client.delete(f"{base}/{ada.pk}", headers=auth)
    assert (last.status_code, last.json()["code"]) == (409, "last_admin")
    create_user("fay@example.com", PASSWORD)  # a username that looks like the address
    fay = {"email": "fay@example.com", "role": "agent"}
    taken = client.post(base, fay, "application/json", headers=auth)
    assert (taken.status_code, taken.json()["code"]) == (409, "has_account")
    again = client.post(base, dan, "application/json", headers=auth)  # a new link for the same invitee
    assert again.status_code == 201 and again.json()["user_id"] == invited.json()["user_id"]

    _, agents_token = create_api_token(create_user("eve", PASSWORD), "eve")
    add_member(workspace, User.objects.get(username="eve"), Role.AGENT)
    refused = client.get(base, headers={"Authorization": f"Bearer {agents_token}"})
    assert refused.status_code == 403
