"""The team page, its API and activity (issue 18): a member sets their own status and sees their
queue; leads see and change everyone; using the desk brings a member online, polling does not."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import time_machine

from socialdesk.roster.models import Availability, Status
from socialdesk.workspaces.actions import ensure_team
from tests.helpers import T0, logged_in
from tests.test_roster import deliver, online, policy_text


def test_a_member_sets_their_status_and_sees_only_their_row(workspace: Any, agent: Any, lead: Any) -> None:
    from socialdesk.policy.actions import save_policy

    save_policy(workspace, policy_text("least_loaded"))
    client = logged_in(agent)
    page = client.get("/team/").content.decode()
    assert 'data-member="alice"' in page and 'data-member="lena"' not in page
    assert "Change a member" not in page  # the lead's forms
    assert ">Planning</a>" not in page  # the staffing plan is for leads and admins
    response = client.post(f"/team/{workspace.pk}/status/", {"status": "away"})
    assert response.status_code == 302
    row = Availability.objects.get(user=agent)
    assert (row.status, row.status_source) == (Status.AWAY, "manual")
    refused = client.post(f"/team/{workspace.pk}/status/", {"status": "online", "username": "lena"})
    assert refused.status_code == 403
    assert "Only leads and admins can change another member&#x27;s status." in refused.content.decode()


def test_a_lead_sees_everyone_and_sets_capacity_skills_and_shifts(
    workspace: Any, agent: Any, lead: Any
) -> None:
    from socialdesk.policy.actions import save_policy

    save_policy(workspace, policy_text("least_loaded"))
    client = logged_in(lead)
    response = client.post(
        f"/team/{workspace.pk}/members/alice/profile/",
        {"capacity": "3", "languages": "es, en", "networks": "x", "categories": ""},
    )
    assert response.status_code == 302
    response = client.post(
        f"/team/{workspace.pk}/members/alice/shifts/",
        {"week": "mon-fri 09:00-17:00\nsat 10:00-14:00 15:00-18:00", "timezone": "Europe/Madrid"},
    )
    assert response.status_code == 302
    bad = client.post(f"/team/{workspace.pk}/members/alice/shifts/", {"week": "monday 17:00-09:00"})
    assert bad.status_code == 422
    assert "end before they start" in bad.content.decode()
    client.post(
        f"/team/{workspace.pk}/members/alice/exception/", {"day": "2026-11-23", "hours": "", "note": "off"}
    )
    with time_machine.travel(T0, tick=False):
        page = client.get("/team/").content.decode()
    assert 'data-member="alice"' in page and 'data-member="lena"' in page
    assert ">Planning</a>" in page
    assert 'data-load="0/3"' in page
    assert "en, es; x; any category" in page
    assert "mon-fri 09:00-17:00, sat 10:00-14:00 15:00-18:00" in page
    # The form shows it back one span per line, as it takes it.
    assert ">mon-fri 09:00-17:00\nsat 10:00-14:00 15:00-18:00</textarea>" in page
    assert "2026-11-23 off" in page


def test_the_team_api(workspace: Any, agent: Any, lead: Any, x_channel: Any) -> None:
    from socialdesk.policy.actions import save_policy

    save_policy(workspace, policy_text("least_loaded"))
    ensure_team(workspace.pk, "care", "Customer care").members.add(agent)
    api = logged_in(lead)
    put = api.put(
        "/api/workspaces/acme/team/alice/profile",
        json.dumps({"capacity": 2, "languages": ["en"]}),
        content_type="application/json",
    )
    assert put.status_code == 200
    assert (put.json()["capacity"], put.json()["languages"]) == (2, ["en"])
    week = {"timezone": "UTC", "shifts": [{"weekday": 4, "starts": "08:00", "ends": "16:00"}]}
    put = api.put("/api/workspaces/acme/team/alice/shifts", json.dumps(week), content_type="application/json")
    assert put.json()["week"] == "fri 08:00-16:00"
    mine = logged_in(agent)
    put = mine.put(
        "/api/workspaces/acme/team/alice/status", '{"status": "online"}', content_type="application/json"
    )
    assert put.json()["status"] == "online"
    conversation = deliver(x_channel, "q1", "@NimbusMobile how do I change my plan to the family one?", "u1")
    conversation.refresh_from_db()
    assert conversation.assignee_id == agent.pk
    with time_machine.travel(T0, tick=False):
        rows = api.get("/api/workspaces/acme/team").json()
    assert [(r["username"], r["status"], r["open"], r["capacity"], r["on_shift"]) for r in rows] == [
        ("alice", "online", 1, 2, True),
        ("lena", "online", 0, 8, None),  # signed in (the API client)
    ]
    assert [r["username"] for r in mine.get("/api/workspaces/acme/team").json()] == ["alice"]
    refused = mine.put(
        "/api/workspaces/acme/team/lena/status", '{"status": "online"}', content_type="application/json"
    )
    assert refused.status_code == 403
    bad = api.put(
        "/api/workspaces/acme/team/alice/status", '{"status": "asleep"}', content_type="application/json"
    )
    assert (bad.status_code, bad.json()["detail"]) == (
        422,
        "Unknown status 'asleep': online, away or offline.",
    )
    missing = api.put(
        "/api/workspaces/acme/team/zed/status", '{"status": "away"}', content_type="application/json"
    )
    assert missing.status_code == 404


def test_the_inbox_shows_my_queue_and_the_perspective_note(
    workspace: Any, agent: Any, x_channel: Any
) -> None:
    from socialdesk.policy.actions import save_policy

    save_policy(workspace, policy_text("least_loaded", {"spread_abuse": True, "abusive_in_a_row": 1}))
    ensure_team(workspace.pk, "care", "Customer care").members.add(agent)
    online(workspace, "alice")
    deliver(x_channel, "b1", "@NimbusMobile you useless fucking idiots, you are all morons and scum", "u1")
    page = logged_in(agent).get("/?assignee=me").content.decode()
    assert 'id="my-queue" aria-current="page"' in page
    assert "You&#x27;ve had a run of rude conversations." in page
    assert page.count('data-id="') == 1


def test_signing_in_and_opening_pages_is_activity_and_polling_is_not(workspace: Any, agent: Any) -> None:
    from django.utils import timezone

    from socialdesk.roster.availability import mark_idle_away

    client = logged_in(agent)  # signing in puts the member online
    row = Availability.objects.get(user=agent)
    assert (row.status, row.status_source) == (Status.ONLINE, "activity")
    assert mark_idle_away(timezone.now() + timedelta(minutes=16)) == 1
    client.get("/inbox/rows/", headers={"HX-Request": "true"})
    assert Availability.objects.get(user=agent).status == Status.AWAY
    page = client.get("/").content.decode()
    assert Availability.objects.get(user=agent).status == Status.ONLINE
    assert '<span class="chip">online</span>' in page  # the header's chip, already this page
    # Offline by hand stays offline while the member looks around; signing in again ends it.
    client.post(f"/team/{workspace.pk}/status/", {"status": "offline"})
    client.get("/team/")
    assert Availability.objects.get(user=agent).status == Status.OFFLINE
    logged_in(agent)
    assert Availability.objects.get(user=agent).status == Status.ONLINE
