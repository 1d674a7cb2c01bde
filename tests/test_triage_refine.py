"""The background refinement: ingest triages on the fast path, the `refine-triage` job re-triages new
posts on the accurate path and routes their conversation again when the opening post's triage changed
before anyone answered."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from socialdesk.conversations.models import Conversation, Message, Priority
from socialdesk.ingest.actions import receive_event
from socialdesk.ingest.refine import refine_recent
from socialdesk.policy.actions import save_policy
from socialdesk.triage.actions import correct_triage
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import post

TELECOM = (Path(__file__).parents[1] / "socialdesk" / "policy" / "examples" / "telecom.yaml").read_text(
    encoding="utf-8"
)
# The fast path finds no category in it (so "Everything else to care", normal priority); the accurate
# path reads a line problem ("Line problems to network operations", high).
MALAGA = (
    "@NimbusMobile da ieri sera a Malaga la linea va e viene, non riesco a chiamare nessuno. Che succede?"
)


REFINING = TELECOM.replace("triage:\n", "triage:\n  refine: true\n", 1)


@pytest.fixture
def telecom(workspace: Any) -> Any:
    save_policy(workspace, REFINING)
    return workspace


def _message(network_id: str) -> Message:
    return Message.objects.select_related("conversation__team").get(network_message_id=network_id)


def _team(conversation: Conversation) -> str:
    return conversation.team.slug if conversation.team is not None else ""


def test_the_accurate_path_refines_a_new_post_and_routes_its_conversation_again(
    telecom: Any, x_channel: Any
) -> None:
    # Given a post the fast path triaged on ingest
    receive_event(x_channel, "1", post("a", MALAGA))
    before = _message("a")
    assert (before.triage["path"], before.category, before.intent) == ("fast", "", "question")
    conversation = before.conversation
    assert (_team(conversation), conversation.priority) == ("care", Priority.NORMAL)
    # When the job runs
    assert refine_recent() == 1
    # Then the post carries the accurate path's labels and its conversation is routed by them
    after = _message("a")
    assert (after.triage["path"], after.category, after.intent, after.language) == (
        "accurate",
        "line_problem",
        "question",
        "it",
    )
    conversation = after.conversation
    assert (conversation.category, _team(conversation), conversation.priority) == (
        "line_problem",
        "network",
        Priority.HIGH,
    )
    # And the due times follow the new priority; nothing is refined twice
    assert conversation.first_response_due_at is not None
    assert refine_recent() == 0


def test_an_answered_conversation_keeps_its_route(telecom: Any, x_channel: Any) -> None:
    receive_event(x_channel, "1", post("a", MALAGA))
    conversation = _message("a").conversation
    # An agent has already answered (first_response_at is what a sent reply records)
    Conversation.objects.filter(pk=conversation.pk).update(first_response_at=timezone.now())
    assert refine_recent() == 1
    after = _message("a")
    assert (after.triage["path"], after.category) == ("accurate", "line_problem")
    # The labels are refined, the route people are working on is not
    assert (_team(after.conversation), after.conversation.priority) == ("care", Priority.NORMAL)


def test_an_agents_correction_is_never_overwritten(telecom: Any, x_channel: Any) -> None:
    agent = create_user("ana", "pw-ana-123456")
    add_member(telecom, agent, Role.AGENT)
    receive_event(x_channel, "1", post("a", MALAGA))
    correct_triage(_message("a"), "category", "billing", agent)
    assert refine_recent() == 0
    after = _message("a")
    assert (after.triage["path"], after.category, after.conversation.category) == (
        "fast",
        "billing",
        "billing",
    )


def test_only_recent_posts_of_workspaces_that_refine(telecom: Any, x_channel: Any) -> None:
    receive_event(x_channel, "1", post("a", MALAGA))
    # Six hours on, the post's route has long been acted on: it keeps its fast triage
    assert refine_recent(timezone.now() + timedelta(hours=6, minutes=1)) == 0
    # A policy that leaves refinement off (the default)
    save_policy(telecom, TELECOM)
    assert refine_recent() == 0
    assert _message("a").triage["path"] == "fast"
