"""Triage inside the desk: stored on every inbound message, driving the policy (priority score,
needs-response, suggestions), corrected by agents and retrained from their corrections."""

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from typer.testing import CliRunner

from socialdesk.cli import app
from socialdesk.conversations.models import Conversation, Message, Priority
from socialdesk.ingest.actions import receive_event
from socialdesk.moderation.suggestions import suggest_moderation
from socialdesk.policy.actions import active_policy_version, save_policy
from socialdesk.policy.schema import Policy
from socialdesk.triage.actions import CorrectionError, correct_triage, retrain_categories, settings_for
from socialdesk.triage.engine import triage_many
from socialdesk.triage.models import CategoryModel, TriageCorrection
from socialdesk.workspaces.actions import add_member, create_user
from socialdesk.workspaces.models import Role
from tests.helpers import post

EXAMPLES = Path(__file__).parents[1] / "socialdesk" / "policy" / "examples"
TELECOM = (EXAMPLES / "telecom.yaml").read_text(encoding="utf-8")
ROAMING = "@NimbusMobile roaming charges of 80€ for a weekend in Porto?"


@pytest.fixture
def telecom(workspace: Any) -> Any:
    save_policy(workspace, TELECOM)
    return workspace


def _policy(workspace: Any) -> Policy:
    found = active_policy_version(workspace.pk)
    assert found is not None
    return found[1]


def _message(network_id: str) -> Message:
    return Message.objects.select_related("conversation", "channel").get(network_message_id=network_id)


def test_every_inbound_message_is_triaged_and_stored(telecom: Any, x_channel: Any) -> None:
    receive_event(
        x_channel, "1", post("a", "@NimbusMobile llevo dos días sin línea y nadie me da una solución")
    )
    message = _message("a")
    assert (message.language, message.sentiment, message.intent, message.category) == (
        "es",
        "negative",
        "complaint",
        "line_problem",
    )
    assert (message.needs_response, message.priority_score) == (True, 59)
    assert message.triage["path"] == "fast"
    assert message.triage["sentiment_scores"] == {"negative": 0.681, "neutral": 0.192, "positive": 0.127}
    conversation = message.conversation
    assert (conversation.needs_response, conversation.priority_score) == (True, 59)


def test_priority_score_starts_conversations_higher_and_feeds_conditions(
    telecom: Any, x_channel: Any
) -> None:
    policy = TELECOM.replace(
        "priority_from_score: {urgent: 90, high: 65}", "priority_from_score: {urgent: 95, high: 80}"
    ).replace("routing:\n", "routing:\n  - {name: Hot, when: {min_priority_score: 80}, tags: [hot]}\n", 1)
    save_policy(telecom, policy)
    receive_event(
        x_channel, "1", post("a", "@NimbusMobile my lawyer will hear about this refund", author="u1")
    )
    receive_event(x_channel, "2", post("b", "@NimbusMobile how do I set up eSIM", author="u2"))
    legal, question = _message("a").conversation, _message("b").conversation
    assert (legal.priority_score, question.priority_score) == (84, 40)
    assert list(legal.tags.values_list("name", flat=True)) == ["hot"]
    assert list(question.tags.values_list("name", flat=True)) == []
    # The legal escalation rule raises to urgent on its own; the question starts at normal.
    assert (legal.priority, question.priority) == (Priority.URGENT, Priority.NORMAL)


def test_exposed_personal_data_suggests_private_and_the_policy_reason(telecom: Any, x_channel: Any) -> None:
    text = "@NimbusMobile mi número es 612 98 76 54 y mi DNI 12345678Z, llamadme por favor"
    receive_event(x_channel, "1", post("a", text))
    message = _message("a")
    assert message.personal_data == ["phone", "national_id"]
    suggestion = suggest_moderation(_policy(telecom), message)
    assert suggestion is not None
    assert (suggestion.why, suggestion.reason, suggestion.action, suggestion.move_to_private) == (
        "personal_data",
        "personal_data",
        "hide",
        True,
    )
    receive_event(x_channel, "2", post("b", "@NimbusMobile how do I set up eSIM", author="u2"))
    assert suggest_moderation(_policy(telecom), _message("b")) is None


def test_corrections_are_kept_and_retraining_learns_them(telecom: Any, x_channel: Any, agent: Any) -> None:
    receive_event(x_channel, "1", post("a", ROAMING))
    message = _message("a")
    assert message.category == "technical"
    correct_triage(message, "category", "billing", agent)
    message.refresh_from_db()
    assert (message.category, message.conversation.category) == ("billing", "billing")
    correction = TriageCorrection.objects.get()
    assert (correction.field, correction.old_value, correction.new_value, correction.corrected_by) == (
        "category",
        "technical",
        "billing",
        agent,
    )
    similar = "roaming charges in Porto again"
    assert triage_many([similar], settings_for(telecom.pk))[0].category == "technical"
    model = retrain_categories(telecom.pk)
    assert model is not None
    # 35 examples, and each of the 4 categories' name and description as one more
    assert (model.from_policy, model.from_corrections) == (39, 1)
    assert model.examples[-1] == ["billing", ROAMING]
    assert triage_many([similar], settings_for(telecom.pk))[0].category == "billing"


def test_corrections_refuse_values_triage_does_not_have(telecom: Any, x_channel: Any, agent: Any) -> None:
    receive_event(x_channel, "1", post("a", ROAMING))
    message = _message("a")
    with pytest.raises(CorrectionError, match="'roaming' is not a category of the policy"):
        correct_triage(message, "category", "roaming", agent)
    with pytest.raises(CorrectionError, match="'angry' is not a sentiment"):
        correct_triage(message, "sentiment", "angry", agent)
    with pytest.raises(CorrectionError, match="triage has no field 'priority'"):
        correct_triage(message, "priority", "urgent", agent)
    assert TriageCorrection.objects.count() == 0


def test_retrain_command(telecom: Any, other_workspace: Any, x_channel: Any, agent: Any) -> None:
    receive_event(x_channel, "1", post("a", ROAMING))
    correct_triage(_message("a"), "category", "billing", agent)
    result = CliRunner().invoke(app, ["triage", "retrain"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "acme: 39 policy examples + 1 corrections (policy v1)",
        "globex: no active policy, nothing to train",
    ]
    assert CategoryModel.objects.filter(workspace=telecom).count() == 1


def test_agents_correct_triage_in_the_page_and_only_in_their_workspace(
    telecom: Any, other_workspace: Any, x_channel: Any, agent: Any
) -> None:
    receive_event(x_channel, "1", post("a", ROAMING))
    message = _message("a")
    client = Client()
    assert client.login(username="alice", password="correct horse battery staple")
    url = f"/c/{message.conversation_id}/m/{message.pk}/triage/"
    page = client.get(f"/c/{message.conversation_id}/").content.decode()
    assert 'name="field" value="category"' in page
    response = client.post(url, {"field": "category", "value": "billing"})
    assert response.status_code == 302
    assert Message.objects.get(pk=message.pk).category == "billing"
    bad = client.post(url, {"field": "intent", "value": "rant"})
    assert bad.status_code == 422
    assert "&#x27;rant&#x27; is not a intent" in bad.content.decode()
    # An agent of another brand cannot see or correct it.
    bob = create_user("bob", "another long passphrase")
    add_member(other_workspace, bob, Role.AGENT)
    other = Client()
    assert other.login(username="bob", password="another long passphrase")
    assert other.post(url, {"field": "category", "value": "line_problem"}).status_code == 404
    assert Message.objects.get(pk=message.pk).category == "billing"
    assert Conversation.objects.get().category == "billing"
