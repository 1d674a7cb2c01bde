"""Automatic assignment after routing: the team's method picks one available member with the skills
and spare capacity; abusive conversations can be spread; a conversation whose first response is at
risk while its assignee is away goes to someone available. A person's choice always wins: only
conversations nobody ever assigned, or whose latest assignment in the activity log is the desk's (no
actor), are touched. `AutoAssignment` rows remember the desk's assignments and whether each was
abusive (for the spread and each member's exposure).

Two workers assigning to one team at the same moment may each see the same spare place, so a member
can end up one conversation over capacity; the next assignments then pass them by."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from socialdesk.conversations.models import Activity, Conversation, Direction
from socialdesk.policy.actions import active_policy_version
from socialdesk.policy.schema import Policy
from socialdesk.roster import shifts
from socialdesk.roster.availability import mark_idle_away
from socialdesk.roster.load import OPEN, abusive_since, day_start, open_held
from socialdesk.roster.models import AutoAssignment, Availability
from socialdesk.roster.models import Status as Presence
from socialdesk.workspaces.models import Membership, Team


@dataclass(frozen=True)
class Candidate:
    user_id: int
    username: str
    open: int
    capacity: int
    last_assigned_at: datetime | None
    abusive_today: int
    abusive_in_a_row: int


def is_abusive(conversation: Conversation) -> bool:
    return (
        conversation.intent == "abuse"
        or conversation.messages.filter(abusive=True, direction=Direction.INBOUND).exists()
    )


def _skilled(row: Availability, conversation: Conversation, network: str) -> bool:
    return (
        (not row.languages or conversation.language in row.languages)
        and (not row.networks or network in row.networks)
        and (not row.categories or conversation.category in row.categories)
    )


def candidates(
    policy: Policy, conversation: Conversation, at: datetime, exclude: int | None = None
) -> list[Candidate]:
    """Members of the conversation's team who can take it now: online, on shift (when they have
    shifts), skilled for it and below capacity."""
    team = Team.objects.filter(pk=conversation.team_id or 0).first()
    if team is None:
        return []
    member_ids = set(team.members.values_list("pk", flat=True)) & set(
        Membership.objects.filter(workspace_id=conversation.workspace_id).values_list("user_id", flat=True)
    )
    member_ids.discard(exclude or 0)
    online = Availability.objects.filter(
        workspace_id=conversation.workspace_id, user_id__in=member_ids, status=Presence.ONLINE
    ).select_related("user")
    network = conversation.channel.network
    rows = [row for row in online if _skilled(row, conversation, network)]
    if not rows:
        return []
    ids = [row.user_id for row in rows]
    working = shifts.working_now(conversation.workspace_id, ids, at)
    rows = [row for row in rows if working.get(row.user_id, True)]
    open_counts = open_held(conversation.workspace_id, ids)
    abusive = abusive_since(conversation.workspace_id, ids, day_start(conversation.workspace_id, at))
    default_capacity = policy.assignment.default_capacity
    found = []
    for row in rows:
        capacity = row.capacity or default_capacity
        held = open_counts.get(row.user_id, 0)
        if held < capacity:
            found.append(
                Candidate(
                    row.user_id,
                    row.user.username,
                    held,
                    capacity,
                    row.last_assigned_at,
                    abusive.get(row.user_id, 0),
                    row.abusive_in_a_row,
                )
            )
    return found


def _never(value: datetime | None) -> float:
    return value.timestamp() if value else float("-inf")


def choose(policy: Policy, method: str, pool: list[Candidate], abusive: bool) -> tuple[Candidate, str] | None:
    """The member to assign and why, in words for the activity log."""
    if not pool:
        return None
    perspective = policy.assignment.keep_perspective
    limit = perspective.abusive_in_a_row

    def method_key(c: Candidate) -> tuple[float, ...]:
        if method == "least_loaded":
            return (c.open, _never(c.last_assigned_at), c.user_id)
        return (_never(c.last_assigned_at), c.user_id)

    def key(c: Candidate) -> tuple[float, ...]:
        tired = limit is not None and c.abusive_in_a_row >= limit
        if abusive:
            spread = (c.abusive_today,) if perspective.spread_abuse else ()
            return (int(tired), *spread, *method_key(c))
        return (int(not tired), *method_key(c))

    pick = min(pool, key=key)
    words = {"least_loaded": "least loaded", "round_robin": "round robin"}[method]
    reason = f"{words}, {pick.open} of {pick.capacity} open"
    if abusive and perspective.spread_abuse:
        reason += f", abusive spread ({pick.abusive_today} today)"
    if not abusive and limit is not None and pick.abusive_in_a_row >= limit:
        reason += f", a calmer one after {pick.abusive_in_a_row} abusive in a row"
    return pick, reason


def _auto_owned(conversation: Conversation) -> bool:
    """Nobody assigned it, or the desk did and no person assigned (or unassigned) it since: the
    conversation's latest assignment in the activity log has no actor."""
    latest = (
        Activity.objects.filter(conversation_id=conversation.pk, action="assigned")
        .order_by("-created_at", "-pk")
        .values("actor_id")
        .first()
    )
    if latest is None:
        return conversation.assignee_id is None
    return latest["actor_id"] is None


def _team_method(policy: Policy, conversation: Conversation) -> str:
    if conversation.team_id is None:
        return "manual"
    slug = Team.objects.filter(pk=conversation.team_id).values_list("slug", flat=True).first()
    return next((team.assignment for team in policy.teams if team.slug == slug), "manual")


def assign(
    policy: Policy, conversation: Conversation, at: datetime, exclude: int | None = None, why: str = ""
) -> int | None:
    """Assign by the team's method if the desk may; returns the member's id or None."""
    method = _team_method(policy, conversation)
    if method == "manual" or conversation.status not in OPEN or not _auto_owned(conversation):
        return None
    abusive = is_abusive(conversation)
    picked = choose(policy, method, candidates(policy, conversation, at, exclude), abusive)
    if picked is None:
        return None
    member, reason = picked
    if why:
        reason = f"{why}; {reason}"
    with transaction.atomic():
        Conversation.objects.filter(pk=conversation.pk).update(assignee_id=member.user_id)
        conversation.assignee_id = member.user_id
        AutoAssignment.objects.create(
            workspace_id=conversation.workspace_id,
            conversation=conversation,
            user_id=member.user_id,
            at=at,
            abusive=abusive,
            reason=reason[:200],
        )
        streak = member.abusive_in_a_row + 1 if abusive else 0
        Availability.objects.filter(workspace_id=conversation.workspace_id, user_id=member.user_id).update(
            last_assigned_at=at, abusive_in_a_row=streak
        )
        Activity.objects.create(
            conversation=conversation,
            actor=None,
            action="assigned",
            detail=f"{member.username} (automatic: {reason})"[:200],
            created_at=at,
        )
    return member.user_id


def assign_routed(policy: Policy, conversation_id: int, at: datetime | None = None) -> int | None:
    """After routing a customer's message: a conversation without an assignee gets one (read afresh:
    routing has just written its team)."""
    if all(team.assignment == "manual" for team in policy.teams):
        return None
    conversation = Conversation.objects.select_related("channel").get(pk=conversation_id)
    if conversation.assignee_id is not None:
        return None
    return assign(policy, conversation, at or timezone.now())


def reassign_at_risk(now: datetime | None = None) -> int:
    """Conversations the desk assigned to someone now away or offline, with the first response due
    within the policy's minutes (or overdue) and not yet given: to someone available."""
    now = now or timezone.now()
    moved = 0
    unavailable = Availability.objects.exclude(status=Presence.ONLINE).values_list("workspace_id", "user_id")
    away_by_workspace: dict[int, set[int]] = {}
    for workspace_id, user_id in unavailable:
        away_by_workspace.setdefault(workspace_id, set()).add(user_id)
    for workspace_id, away in away_by_workspace.items():
        found = active_policy_version(workspace_id)
        if found is None:
            continue
        policy = found[1]
        horizon = now + timedelta(minutes=policy.assignment.reassign_within_minutes)
        risky = Conversation.objects.filter(
            workspace_id=workspace_id,
            assignee_id__in=away,
            status__in=OPEN,
            first_response_at__isnull=True,
            first_response_due_at__lte=horizon,
        ).select_related("channel")
        for conversation in risky:
            previous = conversation.assignee_id
            if _auto_owned(conversation) and assign(
                policy, conversation, now, exclude=previous, why="first response at risk, assignee away"
            ):
                moved += 1
    return moved


def assign_waiting(now: datetime | None = None, limit: int = 200) -> int:
    """Unassigned conversations waiting in a team that assigns automatically (members came online or
    freed capacity since they arrived), the soonest due first."""
    now = now or timezone.now()
    assigned = 0
    workspaces = (
        Availability.objects.filter(status=Presence.ONLINE).values_list("workspace_id", flat=True).distinct()
    )
    for workspace_id in set(workspaces):
        found = active_policy_version(workspace_id)
        if found is None:
            continue
        policy = found[1]
        auto_teams = [team.slug for team in policy.teams if team.assignment != "manual"]
        if not auto_teams:
            continue
        waiting = (
            Conversation.objects.filter(
                workspace_id=workspace_id,
                assignee__isnull=True,
                status__in=OPEN,
                team__slug__in=auto_teams,
            )
            .filter(Q(first_response_at__isnull=True) | Q(waiting=True))
            .select_related("channel")
            .order_by("first_response_due_at", "first_inbound_at")[:limit]
        )
        rooms: dict[int | None, bool] = {}
        for conversation in waiting:
            # A team whose online members are all full is skipped at once, not tried per conversation.
            if conversation.team_id not in rooms:
                rooms[conversation.team_id] = _has_room(policy, workspace_id, conversation.team_id)
            if rooms[conversation.team_id] and assign(policy, conversation, now):
                assigned += 1
    return assigned


def _has_room(policy: Policy, workspace_id: int, team_id: int | None) -> bool:
    """Some online member of the team holds fewer open conversations than their capacity."""
    online = Availability.objects.filter(
        workspace_id=workspace_id, status=Presence.ONLINE, user__teams__pk=team_id or 0
    ).values_list("user_id", "capacity")
    capacities = {user: capacity or policy.assignment.default_capacity for user, capacity in online}
    held = open_held(workspace_id, capacities)
    return any(held.get(user, 0) < capacity for user, capacity in capacities.items())


def roster_tick(now: datetime | None = None) -> dict[str, int]:
    """The periodic job: idle members to away, at-risk reassignments, then the waiting queue."""
    now = now or timezone.now()
    return {
        "away": mark_idle_away(now),
        "reassigned": reassign_at_risk(now),
        "assigned": assign_waiting(now),
    }
