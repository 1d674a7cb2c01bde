"""Customer satisfaction: the question asked once, privately, after a resolution (through the
automation gate), the rating read from the customer's reply in their language, and its CSAT fact."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine

from socialdesk.channels.models import SandboxDelivery
from socialdesk.channels.sandbox.receiver import sandbox_channel
from socialdesk.conversations.actions import set_status
from socialdesk.conversations.models import Conversation, Message, Status
from socialdesk.ingest.actions import receive_event
from socialdesk.policy.actions import save_policy
from socialdesk.policy.timers import policy_tick
from socialdesk.replies.actions import send_reply
from socialdesk.reports.csat import Rating, parse_rating
from socialdesk.reports.models import CsatSurvey, Fact, FactKind, Rollup
from socialdesk.workspaces.models import Workspace
from tests.helpers import T0, post

EXAMPLES = Path(__file__).parents[1] / "socialdesk" / "policy" / "examples"
NO_LINE = "Hola, sigo sin línea en casa desde ayer, ¿me podéis ayudar?"
ANSWER = "Hola Name, ya está: reiniciamos tu línea, prueba ahora ^AL"
RESOLVED = T0 + timedelta(minutes=6)
ASK_AT = RESOLVED + timedelta(minutes=10)  # the telecom policy's csat.delay_minutes
QUESTION_ES = "Hola Name, ¿qué tal te atendimos? Responde con un número del 1 (mal) al 5 (genial)."
THANKS_ES = "¡Gracias, Name! Tu valoración nos ayuda a mejorar."


@pytest.fixture
def telecom(workspace: Workspace) -> Workspace:
    save_policy(workspace, (EXAMPLES / "telecom.yaml").read_text(encoding="utf-8"))
    return workspace


@pytest.fixture
def whatsapp(telecom: Workspace) -> Any:
    return sandbox_channel(telecom, "whatsapp")


def _conversation(message_id: str) -> Conversation:
    return Message.objects.get(network_message_id=message_id).conversation


def _texts() -> list[str]:
    return list(SandboxDelivery.objects.order_by("pk").values_list("text", flat=True))


def _resolved_case(channel: Any, agent: Any, *, network: str = "whatsapp", kind: str = "dm") -> Conversation:
    """A customer writes at T0, the agent answers at T0+5 min and resolves at T0+6 min."""
    receive_event(channel, "1", post("w", NO_LINE, network=network, kind=kind))
    conversation = _conversation("w")
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        send_reply(conversation, agent, ANSWER)
    with time_machine.travel(RESOLVED, tick=False):
        set_status(conversation, Status.RESOLVED, agent)
    return conversation


def _reply(channel: Any, message_id: str, text: str, minutes: float) -> Conversation:
    with time_machine.travel(T0 + timedelta(minutes=minutes), tick=False):
        receive_event(
            channel, message_id, post(message_id, text, network="whatsapp", kind="dm", minutes=minutes)
        )
    return _conversation(message_id)


def test_asked_once_privately_after_the_policy_delay(telecom: Workspace, whatsapp: Any, agent: Any) -> None:
    # Given a WhatsApp conversation an agent answered and resolved
    conversation = _resolved_case(whatsapp, agent)
    # When the policy tick runs before and after the delay, and again
    assert policy_tick(ASK_AT - timedelta(seconds=1))["csat"] == 0
    assert policy_tick(ASK_AT)["csat"] == 1
    assert policy_tick(ASK_AT)["csat"] == 0
    assert policy_tick(ASK_AT + timedelta(minutes=1))["csat"] == 0
    # Then the question went once, privately, in the customer's language, as an automatic message
    assert _texts() == [ANSWER, QUESTION_ES]
    question = Message.objects.get(text=QUESTION_ES)
    assert (question.is_private, question.automatic, question.language) == (True, True, "es")
    assert question.automatic_reason == "csat: resolved 10 minutes ago; in es, privately"
    survey = CsatSurvey.objects.get()
    assert (survey.conversation_id, survey.asked_at, survey.answer_until, survey.answered_at) == (
        conversation.pk,
        ASK_AT,
        ASK_AT + timedelta(days=7),
        None,
    )
    conversation.refresh_from_db()
    assert conversation.status == Status.RESOLVED
    assert conversation.automation_log[-1] == {
        "kind": "csat",
        "at": ASK_AT.isoformat(),
        "sent": True,
        "reason": "resolved 10 minutes ago; in es, privately",
    }


def test_a_rating_is_recorded_with_its_comment_and_the_agent(
    telecom: Workspace, whatsapp: Any, agent: Any
) -> None:
    conversation = _resolved_case(whatsapp, agent)
    policy_tick(ASK_AT)
    # When the customer answers "5 ⭐ muy rápidos" (20 minutes after the first message)
    _reply(whatsapp, "r", "5 ⭐ muy rápidos", minutes=20)
    # Then the survey holds the rating and its comment, and a CSAT fact counts it for the agent
    survey = CsatSurvey.objects.get()
    answered = T0 + timedelta(minutes=20)
    assert (survey.score, survey.comment, survey.answered_at, survey.agent_id) == (
        5,
        "muy rápidos",
        answered,
        agent.pk,
    )
    assert survey.answer == Message.objects.get(network_message_id="r")
    fact = Fact.objects.get(kind=FactKind.CSAT)
    assert (fact.score, fact.agent_id, fact.at, fact.key, fact.conversation_id, fact.channel_id) == (
        5,
        agent.pk,
        answered,
        f"csat:{conversation.pk}",
        conversation.pk,
        whatsapp.pk,
    )
    row = Rollup.objects.get(kind=FactKind.CSAT, dimension="agent")
    assert (row.value, row.count, row.scored, row.score) == (str(agent.pk), 1, 1, 5)
    # And the rating leaves the conversation resolved: no reopening, nobody waits, no response clock
    conversation.refresh_from_db()
    assert (conversation.status, conversation.waiting, conversation.next_response_due_at) == (
        Status.RESOLVED,
        False,
        None,
    )
    assert not Fact.objects.filter(kind=FactKind.REOPEN).exists()
    # And the customer is thanked once, privately, in the question's language
    assert _texts() == [ANSWER, QUESTION_ES, THANKS_ES]
    # A second rating is an ordinary message: the question was answered
    _reply(whatsapp, "r2", "bueno, un 4", minutes=21)
    assert Fact.objects.filter(kind=FactKind.CSAT).count() == 1
    assert CsatSurvey.objects.get().score == 5


def test_the_assignee_is_the_rated_agent(telecom: Workspace, whatsapp: Any, agent: Any, lead: Any) -> None:
    conversation = _resolved_case(whatsapp, agent)
    Conversation.objects.filter(pk=conversation.pk).update(assignee=lead)
    policy_tick(ASK_AT)
    _reply(whatsapp, "r", "4/5", minutes=20)
    assert Fact.objects.values_list("score", "agent_id").get(kind=FactKind.CSAT) == (4, lead.pk)


def test_a_low_rating_with_words_reopens_for_a_person(telecom: Workspace, whatsapp: Any, agent: Any) -> None:
    conversation = _resolved_case(whatsapp, agent)
    policy_tick(ASK_AT)
    _reply(whatsapp, "r", "2, sigo sin línea por la noche", minutes=20)
    survey = CsatSurvey.objects.get()
    assert (survey.score, survey.comment) == (2, "sigo sin línea por la noche")
    assert Fact.objects.values_list("score", flat=True).get(kind=FactKind.CSAT) == 2
    conversation.refresh_from_db()
    assert (conversation.status, conversation.waiting) == (Status.OPEN, True)
    assert Fact.objects.filter(kind=FactKind.REOPEN).count() == 1


def test_a_reply_without_a_rating_is_an_ordinary_message(
    telecom: Workspace, whatsapp: Any, agent: Any
) -> None:
    conversation = _resolved_case(whatsapp, agent)
    policy_tick(ASK_AT)
    _reply(whatsapp, "r", "¿Y cuándo llega la factura nueva?", minutes=20)
    survey = CsatSurvey.objects.get()
    assert (survey.score, survey.answered_at) == (None, None)
    assert not Fact.objects.filter(kind=FactKind.CSAT).exists()
    conversation.refresh_from_db()
    assert conversation.status == Status.OPEN
    assert _texts() == [ANSWER, QUESTION_ES]


def test_a_rating_after_the_answer_window_is_an_ordinary_message(
    telecom: Workspace, whatsapp: Any, agent: Any
) -> None:
    _resolved_case(whatsapp, agent)
    policy_tick(ASK_AT)
    eight_days = (ASK_AT - T0 + timedelta(days=7, seconds=1)).total_seconds() / 60
    conversation = _reply(whatsapp, "r", "5", minutes=eight_days)
    assert CsatSurvey.objects.get().score is None
    assert not Fact.objects.filter(kind=FactKind.CSAT).exists()
    assert conversation.status == Status.OPEN


def test_never_asked_twice_after_a_reopen_and_a_second_resolution(
    telecom: Workspace, whatsapp: Any, agent: Any
) -> None:
    conversation = _resolved_case(whatsapp, agent)
    assert policy_tick(ASK_AT)["csat"] == 1
    # The customer writes again (no rating): reopened; an agent answers and resolves again
    conversation = _reply(whatsapp, "again", "Otra cosa: ¿puedo cambiar de tarifa?", minutes=30)
    with time_machine.travel(T0 + timedelta(minutes=35), tick=False):
        send_reply(conversation, agent, "Claro Name, te lo cambio ahora ^AL")
        set_status(conversation, Status.RESOLVED, agent)
    assert policy_tick(T0 + timedelta(minutes=45))["csat"] == 0
    assert policy_tick(T0 + timedelta(minutes=46))["csat"] == 0
    assert _texts().count(QUESTION_ES) == 1
    assert CsatSurvey.objects.count() == 1


def _held(conversation: Conversation) -> tuple[bool, str]:
    survey = CsatSurvey.objects.get(conversation=conversation)
    return survey.asked_at is not None, survey.reason


def test_not_asked_on_a_public_post_where_the_network_opens_no_private_channel(
    telecom: Workspace, x_channel: Any, agent: Any
) -> None:
    conversation = _resolved_case(x_channel, agent, network="x", kind="mention")
    assert policy_tick(ASK_AT)["csat"] == 0
    assert _held(conversation) == (False, "a public post does not open a private channel on X: not asked")
    assert _texts() == [ANSWER]


def test_not_asked_outside_the_messaging_window(telecom: Workspace, whatsapp: Any, agent: Any) -> None:
    # Given a WhatsApp conversation resolved a day after the customer last wrote
    receive_event(whatsapp, "1", post("w", NO_LINE, network="whatsapp", kind="dm"))
    conversation = _conversation("w")
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        send_reply(conversation, agent, ANSWER)
    resolved = T0 + timedelta(hours=24)
    with time_machine.travel(resolved, tick=False):
        set_status(conversation, Status.RESOLVED, agent)
    # When the question falls due, 24 hours 10 minutes after the customer's message
    assert policy_tick(resolved + timedelta(minutes=10))["csat"] == 0
    # Then it is held back (the HUMAN_AGENT tag is for a person's answer, not the desk's question)
    assert _held(conversation) == (False, "outside the 24-hour messaging window")
    assert _texts() == [ANSWER]


@pytest.mark.parametrize(
    ("field", "reason"),
    [
        ("legal_threat", "legal threat: a person answers"),
        ("requires_approval", "replies here need a lead's approval"),
    ],
)
def test_not_asked_after_a_legal_threat_or_an_approval_hold(
    telecom: Workspace, whatsapp: Any, agent: Any, field: str, reason: str
) -> None:
    conversation = _resolved_case(whatsapp, agent)
    Conversation.objects.filter(pk=conversation.pk).update(**{field: True})
    assert policy_tick(ASK_AT)["csat"] == 0
    assert _held(conversation) == (False, reason)
    assert _texts() == [ANSWER]


def test_not_asked_to_spam(telecom: Workspace, whatsapp: Any, agent: Any) -> None:
    receive_event(
        whatsapp,
        "1",
        post("s", "FREE iPhone 17 giveaway click here http://x.example.win", network="whatsapp", kind="dm"),
    )
    conversation = _conversation("s")
    assert conversation.intent == "spam"
    with time_machine.travel(RESOLVED, tick=False):
        set_status(conversation, Status.RESOLVED, agent)
    assert policy_tick(ASK_AT)["csat"] == 0
    assert _held(conversation) == (False, "spam")
    assert _texts() == []


def test_not_asked_when_the_policy_does_not_ask(workspace: Workspace, agent: Any) -> None:
    source = (EXAMPLES / "telecom.yaml").read_text(encoding="utf-8")
    save_policy(workspace, source.replace("csat:\n  enabled: true", "csat:\n  enabled: false"))
    whatsapp = sandbox_channel(workspace, "whatsapp")
    _resolved_case(whatsapp, agent)
    assert policy_tick(ASK_AT)["csat"] == 0
    assert not CsatSurvey.objects.exists()


def test_the_question_falls_back_to_the_default_language(
    telecom: Workspace, whatsapp: Any, agent: Any
) -> None:
    conversation = _resolved_case(whatsapp, agent)
    Conversation.objects.filter(pk=conversation.pk).update(language="it")
    assert policy_tick(ASK_AT)["csat"] == 1
    assert _texts()[-1] == "Hi Name, how did we do? Reply with a number from 1 (bad) to 5 (great)."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Digits, in every language's phrasing
        ("5", Rating(5)),
        ("4/5", Rating(4)),
        ("4 out of 5, quick and kind", Rating(4, "quick and kind")),
        ("I'd give you a 4", Rating(4)),
        ("un 5", Rating(5)),
        ("Le doy un 5, muy rápidos", Rating(5, "muy rápidos")),
        ("3 de 5", Rating(3)),
        ("Dou um 4", Rating(4)),
        ("nota 2", Rating(2)),
        ("Je donne 4 sur 5 merci", Rating(4, "merci")),
        ("3 von 5", Rating(3)),
        ("5 thanks!", Rating(5, "thanks")),
        ("2 - still no signal at night?", Rating(2, "still no signal at night?")),
        # Words
        ("five", Rating(5)),
        ("cuatro", Rating(4)),
        ("quatro de cinco", Rating(4)),
        ("três", Rating(3)),
        ("cinq étoiles", Rating(5)),
        ("fünf Sterne", Rating(5)),
        ("vier von fünf", Rating(4)),
        ("excellent", Rating(5)),
        ("Excelente atención", Rating(5, "Excelente atención")),
        ("péssimo", Rating(1)),
        ("schrecklich", Rating(1)),
        # Emoji
        ("⭐⭐⭐⭐", Rating(4)),
        ("★★★☆☆", Rating(3)),
        ("5 ⭐", Rating(5)),
        ("⭐⭐⭐⭐⭐ great", Rating(5, "great")),
        ("4️⃣", Rating(4)),
        ("😀", Rating(5)),
        ("😡😡", Rating(1)),
        # Not ratings: left as ordinary messages
        ("Thanks!", None),
        ("gracias", None),
        ("My order 12345 is missing", None),
        ("I have 2 phones", None),
        ("2 phones broke", None),
        ("Call me at 5pm", None),
        ("meet on 4/5/2026", None),
        ("10/10", None),
        ("5€ refund?", None),
        ("3 or 4", None),
        ("3 ⭐⭐⭐⭐⭐", None),
        ("not terrible", None),
        ("tresor", None),
        ("un", None),
        ("👍", None),
        ("😀😡", None),
        ("¿Y cuándo llega la factura nueva?", None),
    ],
)
def test_ratings_are_read_from_replies(text: str, expected: Rating | None) -> None:
    assert parse_rating(text) == expected


@pytest.mark.parametrize(
    ("rating", "needs_person"),
    [
        (Rating(5), False),
        (Rating(4, "muy rápidos"), False),
        (Rating(1), False),
        (Rating(2, "still no signal"), True),
        (Rating(5, "and my bill?"), True),
    ],
)
def test_which_ratings_need_a_person(rating: Rating, needs_person: bool) -> None:
    assert rating.needs_person is needs_person


def test_the_preview_lists_the_question_the_tick_then_sends(
    telecom: Workspace, whatsapp: Any, agent: Any, x_channel: Any
) -> None:
    from socialdesk.policy import automation
    from socialdesk.policy.actions import active_policy_version

    asked = _resolved_case(whatsapp, agent)
    found = active_policy_version(telecom.pk)
    assert found is not None
    planned = [
        (p.conversation.pk, p.verdict.kind, p.verdict.at, p.verdict.send, p.verdict.text)
        for p in automation.preview(found[1], telecom.pk, RESOLVED, hours=1)
        if p.verdict.kind == automation.CSAT
    ]
    assert planned == [(asked.pk, "csat", ASK_AT, True, QUESTION_ES)]
    policy_tick(ASK_AT)
    assert not [
        p
        for p in automation.preview(found[1], telecom.pk, ASK_AT, hours=1)
        if p.verdict.kind == automation.CSAT
    ]
