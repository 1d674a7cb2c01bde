"""Automatic assignment (issue 18) with exact outcomes: the team's method, capacity, skills, shifts,
manual assignment winning, reassignment when the first response is at risk, abuse spread and the
break after a run; availability from activity and idleness."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
import yaml

from socialdesk.conversations.actions import assign_conversation
from socialdesk.conversations.models import Activity, Conversation, Message
from socialdesk.ingest.actions import receive_event
from socialdesk.policy.actions import save_policy
from socialdesk.roster.assignment import assign_waiting, reassign_at_risk
from socialdesk.roster.availability import mark_active, mark_idle_away, set_profile, set_status
from socialdesk.roster.models import AutoAssignment, Availability, Status, StatusSource
from socialdesk.roster.overview import perspective_note, team_overview
from socialdesk.roster.shifts import WeeklyHours, add_exception, scheduled_agents, set_week
from socialdesk.workspaces.actions import add_member, create_user, ensure_team
from socialdesk.workspaces.models import Role
from tests.helpers import T0, post

EXAMPLES = Path(__file__).parents[1] / "socialdesk" / "policy" / "examples"
ABUSE = "@NimbusMobile you useless fucking idiots, you are all morons and scum"
CALM = "@NimbusMobile how do I change my plan to the family one?"


def policy_text(method: str, perspective: dict[str, Any] | None = None) -> str:
    """The telecom example with every message routed to care, which assigns by `method`."""
    data = yaml.safe_load((EXAMPLES / "telecom.yaml").read_text(encoding="utf-8"))
    for team in data["teams"]:
        if team["slug"] == "care":
            team["assignment"] = method
    data["routing"] = [{"name": "All to care", "when": {}, "team": "care"}]
    data["escalation"] = []
    data.pop("crisis", None)
    data["assignment"] = {"reassign_within_minutes": 10, "away_after_idle_minutes": 15}
    if perspective:
        data["assignment"]["keep_perspective"] = perspective
    return yaml.safe_dump(data, allow_unicode=True)


@pytest.fixture
def care(workspace: Any, x_channel: Any) -> dict[str, Any]:
    team = ensure_team(workspace.pk, "care", "Customer care")
    people = {}
    for name in ("alice", "bob", "carol"):
        user = create_user(name, f"{name} has a long passphrase")
        add_member(workspace, user, Role.AGENT)
        team.members.add(user)
        people[name] = user
    return people


def online(workspace: Any, name: str, capacity: int | None = None, **skills: list[str]) -> None:
    set_status(None, workspace.pk, name, Status.ONLINE, at=T0)
    if capacity is not None or skills:
        set_profile(
            None,
            workspace.pk,
            name,
            capacity=capacity,
            languages=skills.get("languages", []),
            networks=skills.get("networks", []),
            categories=skills.get("categories", []),
        )


def deliver(channel: Any, post_id: str, text: str, author: str, minutes: float = 0) -> Conversation:
    with time_machine.travel(T0 + timedelta(minutes=minutes, seconds=5), tick=False):
        receive_event(channel, post_id, post(post_id, text, author=author, minutes=minutes))
    return (
        Message.objects.select_related("conversation__assignee").get(network_message_id=post_id).conversation
    )


def assignee(conversation: Conversation) -> str | None:
    conversation.refresh_from_db()
    return conversation.assignee.username if conversation.assignee else None


def test_least_loaded_respects_capacity_and_logs_the_reason(
    workspace: Any, x_channel: Any, care: Any
) -> None:
    save_policy(workspace, policy_text("least_loaded"))
    online(workspace, "alice", capacity=2)
    online(workspace, "bob", capacity=1)  # carol stays offline
    got = [assignee(deliver(x_channel, f"p{i}", CALM, f"u{i}", minutes=i)) for i in range(4)]
    assert got == ["alice", "bob", "alice", None]
    first = Message.objects.get(network_message_id="p0").conversation
    log = Activity.objects.filter(conversation=first, action="assigned").values_list("detail", flat=True)
    assert list(log) == ["alice (automatic: least loaded, 0 of 2 open)"]
    # Resolving one of alice's frees a place: the waiting conversation goes to her on the next tick.
    first.status = "resolved"
    first.save(update_fields=["status"])
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        assert assign_waiting() == 1
    assert assignee(Message.objects.get(network_message_id="p3").conversation) == "alice"


def test_round_robin_takes_turns_among_the_available(workspace: Any, x_channel: Any, care: Any) -> None:
    save_policy(workspace, policy_text("round_robin"))
    for name in ("alice", "bob", "carol"):
        online(workspace, name)
    got = [assignee(deliver(x_channel, f"p{i}", CALM, f"u{i}", minutes=i)) for i in range(5)]
    assert got == ["alice", "bob", "carol", "alice", "bob"]


def test_skills_pick_who_can_answer(workspace: Any, x_channel: Any, care: Any) -> None:
    save_policy(workspace, policy_text("least_loaded"))
    online(workspace, "alice", languages=["es"])
    online(workspace, "bob", languages=["en"])
    english = deliver(x_channel, "en1", CALM, "u1")
    spanish = deliver(
        x_channel,
        "es1",
        "@NimbusMobile hola, ¿cómo puedo cambiar mi tarifa al plan familiar? gracias",
        "u2",
        1,
    )
    assert (english.language, spanish.language) == ("en", "es")
    assert (assignee(english), assignee(spanish)) == ("bob", "alice")


def test_manual_assignment_wins_and_risk_moves_only_the_desks_own(
    workspace: Any, x_channel: Any, care: Any, lead: Any
) -> None:
    save_policy(workspace, policy_text("least_loaded"))
    online(workspace, "alice")
    auto = deliver(x_channel, "a1", CALM, "u1")
    manual = deliver(x_channel, "a2", CALM, "u2", minutes=1)
    assert (assignee(auto), assignee(manual)) == ("alice", "alice")
    assign_conversation(manual, care["alice"], lead)  # a lead's choice, the same person
    set_status(None, workspace.pk, "alice", Status.AWAY, at=T0 + timedelta(minutes=2))
    online(workspace, "bob")
    auto.refresh_from_db()
    due = auto.first_response_due_at
    assert due is not None
    # Due in 30 minutes: not at risk yet (the policy says 10).
    with time_machine.travel(due - timedelta(minutes=30), tick=False):
        assert reassign_at_risk() == 0
    with time_machine.travel(due - timedelta(minutes=9), tick=False):
        assert reassign_at_risk() == 1
    assert (assignee(auto), assignee(manual)) == ("bob", "alice")
    last = Activity.objects.filter(conversation=auto, action="assigned").order_by("-pk").first()
    assert last is not None
    assert last.detail == "bob (automatic: first response at risk, assignee away; least loaded, 0 of 8 open)"
    # A person moving it afterwards is final: nothing automatic touches it again.
    assign_conversation(auto, care["carol"], lead)
    with time_machine.travel(due, tick=False):
        assert reassign_at_risk() == 0
        assert assign_waiting() == 0
    assert assignee(auto) == "carol"


def test_shifts_and_exceptions_decide_who_is_working(workspace: Any, x_channel: Any, care: Any) -> None:
    save_policy(workspace, policy_text("least_loaded"))
    online(workspace, "alice")
    online(workspace, "bob")
    # T0 is Friday 2026-11-20 09:00 UTC = 10:00 in Madrid. Alice works Fridays 14:00-22:00 Madrid.
    set_week(None, workspace.pk, "alice", [WeeklyHours(4, time(14), time(22))], "Europe/Madrid")
    set_week(None, workspace.pk, "bob", [WeeklyHours(4, time(8), time(16))], "Europe/Madrid")
    assert assignee(deliver(x_channel, "s1", CALM, "u1")) == "bob"
    # Bob is off that day after all; alice comes in early.
    add_exception(None, workspace.pk, "bob", date(2026, 11, 20), "Europe/Madrid", note="dentist")
    add_exception(None, workspace.pk, "alice", date(2026, 11, 20), "Europe/Madrid", (time(9), time(13)))
    assert assignee(deliver(x_channel, "s2", CALM, "u2", minutes=1)) == "alice"
    # Scheduled people per hour that Friday, 08:00-16:00 UTC: alice 09-13 Madrid = 08-12 UTC.
    start = T0.replace(hour=8)
    assert scheduled_agents(workspace.pk, start, start + timedelta(hours=6), timedelta(hours=1)) == [
        1.0,
        1.0,
        1.0,
        1.0,
        0.0,
        0.0,
    ]
    rows = {row.username: row for row in team_overview(None, workspace.pk, T0)}
    assert (rows["alice"].on_shift, rows["bob"].on_shift, rows["carol"].on_shift) == (True, False, None)
    assert rows["bob"].days_off == ["2026-11-20 off"]
    assert rows["alice"].week == "fri 14:00-22:00"


def test_abuse_is_spread_and_a_run_earns_a_calmer_one(workspace: Any, x_channel: Any, care: Any) -> None:
    save_policy(workspace, policy_text("round_robin", {"spread_abuse": True, "abusive_in_a_row": 2}))
    online(workspace, "alice")
    online(workspace, "bob")
    first = deliver(x_channel, "b1", ABUSE, "u1")
    assert first.intent == "abuse"
    # Round robin alone would alternate; the spread also keeps the abusive count level.
    assert [assignee(first), assignee(deliver(x_channel, "b2", ABUSE, "u2", 1))] == ["alice", "bob"]
    assert assignee(deliver(x_channel, "b3", ABUSE, "u3", 2)) == "alice"
    assert assignee(deliver(x_channel, "b4", ABUSE, "u4", 3)) == "bob"
    # Both have had two abusive ones in a row: each sees the note.
    assert perspective_note(workspace.pk, care["alice"].pk).startswith(
        "You've had a run of rude conversations"
    )
    calm = deliver(x_channel, "c1", CALM, "u5", 4)
    assert assignee(calm) == "alice"
    detail = Activity.objects.get(conversation=calm, action="assigned").detail
    assert detail == "alice (automatic: round robin, 2 of 8 open, a calmer one after 2 abusive in a row)"
    assert perspective_note(workspace.pk, care["alice"].pk) == ""
    # Bob is still on a run of two: the next abusive one goes to alice although it is bob's turn.
    assert assignee(deliver(x_channel, "b5", ABUSE, "u6", 5)) == "alice"
    rows = {row.username: row for row in team_overview(None, workspace.pk, T0 + timedelta(minutes=6))}
    assert (rows["alice"].abusive_today, rows["bob"].abusive_today) == (3, 2)
    assert AutoAssignment.objects.filter(abusive=True).count() == 5


def test_manual_teams_are_left_to_people(workspace: Any, x_channel: Any, care: Any) -> None:
    save_policy(workspace, policy_text("manual"))
    online(workspace, "alice")
    assert assignee(deliver(x_channel, "m1", CALM, "u1")) is None
    assert assign_waiting() == 0


def test_activity_brings_online_and_idleness_makes_away(workspace: Any, care: Any) -> None:
    save_policy(workspace, policy_text("least_loaded"))
    alice = care["alice"]
    mark_active(workspace.pk, alice.pk, at=T0)
    row = Availability.objects.get(user=alice)
    assert (row.status, row.status_source) == (Status.ONLINE, StatusSource.ACTIVITY)
    assert mark_idle_away(T0 + timedelta(minutes=14)) == 0
    assert mark_idle_away(T0 + timedelta(minutes=16)) == 1
    assert Availability.objects.get(user=alice).status == Status.AWAY
    mark_active(workspace.pk, alice.pk, at=T0 + timedelta(minutes=17))
    assert Availability.objects.get(user=alice).status == Status.ONLINE
    # Away by hand stays away through activity; the idle rule leaves a manual status alone.
    set_status(None, workspace.pk, "alice", Status.AWAY, at=T0 + timedelta(minutes=18))
    mark_active(workspace.pk, alice.pk, at=T0 + timedelta(minutes=19))
    assert Availability.objects.get(user=alice).status == Status.AWAY
    set_status(None, workspace.pk, "alice", Status.OFFLINE, at=T0 + timedelta(minutes=20))
    mark_active(workspace.pk, alice.pk, at=T0 + timedelta(minutes=21))
    assert Availability.objects.get(user=alice).status == Status.OFFLINE
    set_status(None, workspace.pk, "alice", Status.ONLINE, at=T0 + timedelta(minutes=22))
    assert mark_idle_away(T0 + timedelta(hours=3)) == 0


def test_only_leads_change_others(workspace: Any, care: Any, lead: Any) -> None:
    from socialdesk.errors import DeskError

    save_policy(workspace, policy_text("least_loaded"))
    with pytest.raises(DeskError, match="Only leads and admins can change another member's status"):
        set_status(care["bob"], workspace.pk, "alice", Status.ONLINE)
    assert set_status(lead, workspace.pk, "alice", Status.ONLINE).status == Status.ONLINE
    with pytest.raises(DeskError, match="Only leads and admins set capacity and skills"):
        set_profile(
            care["alice"], workspace.pk, "alice", capacity=3, languages=[], networks=[], categories=[]
        )
    assert [row.username for row in team_overview(care["bob"], workspace.pk, T0)] == ["bob"]
    assert [row.username for row in team_overview(lead, workspace.pk, T0)] == [
        "alice",
        "bob",
        "carol",
        "lena",
    ]
