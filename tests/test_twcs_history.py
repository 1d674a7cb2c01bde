"""Imported history as a desk to work in: every customer tweet triaged exactly as live triage would,
each conversation's status, wait and clocks from its history."""

import statistics
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine

from socialdesk.conversations.inbox import ordered
from socialdesk.conversations.masking import masked_text
from socialdesk.conversations.models import Conversation, Direction, Message
from socialdesk.conversations.waiting import refresh_waiting
from socialdesk.importers.twcs import import_twcs_file
from socialdesk.reports.models import Fact, FactKind
from socialdesk.reports.summaries import catalog
from socialdesk.reports.summaries.period import Period
from socialdesk.triage.actions import settings_for
from socialdesk.triage.engine import triage
from socialdesk.triage.fields import result_fields

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "twcs_sample.csv"
PANDAS = FIXTURES / "twcs_sample_pandas.csv"
THREADS = FIXTURES / "twcs_threads.csv"
# Two days after the last tweet of twcs_threads.csv's AmericanAir thread, hours after Delta's reply.
CLOCK = datetime(2017, 11, 3, 20, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("transactional_db")
TRIAGE_FIELDS = (
    "language",
    "sentiment",
    "intent",
    "category",
    "personal_data",
    "legal_threat",
    "abusive",
    "needs_response",
    "priority_score",
    "triage",
    "masked_text",
)


def _with_personal_data(tmp_path: Path) -> Path:
    """The sample with a customer reply that gives a card number and an email (masked / readable)."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    lines.append(
        '42,550005,True,Wed Nov 01 11:00:00 +0000 2017,"@AmazonHelp card 4111 1111 1111 1111, '
        'mail me at ana@example.com",,21'
    )
    path = tmp_path / "personal.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("parallel", [True, False], ids=["worker process", "in process"])
@pytest.mark.parametrize(
    "fixture", [SAMPLE, PANDAS, THREADS, None], ids=["kaggle", "pandas", "threads", "pii"]
)
@time_machine.travel(CLOCK, tick=False)
def test_every_customer_tweet_is_triaged_as_one_by_one(
    fixture: Path | None, parallel: bool, tmp_path: Path
) -> None:
    path = fixture or _with_personal_data(tmp_path)
    import_twcs_file("twcs", path, parallel=parallel)

    inbound = Message.objects.filter(direction=Direction.INBOUND).order_by("pk")
    assert inbound.count() == {SAMPLE: 5, PANDAS: 5, THREADS: 7}.get(fixture, 6)  # type: ignore[arg-type]
    settings = settings_for(inbound[0].workspace_id)
    for message in inbound:
        alone = triage(message.text, settings)
        expected = result_fields(alone) | {"masked_text": masked_text(message.text, alone.personal_spans)}
        assert {name: getattr(message, name) for name in TRIAGE_FIELDS} == expected, message.text
        assert message.triage["path"] == "fast"
    assert not Message.objects.filter(direction=Direction.OUTBOUND).exclude(triage={}).exists()
    if fixture is None:
        card = Message.objects.get(network_message_id="42")
        assert card.masked_text == "@AmazonHelp card [card number], mail me at ana@example.com"
        assert card.personal_data == ["card", "email"]
        assert card.conversation.has_personal_data is True


@time_machine.travel(CLOCK, tick=False)
def test_conversations_fold_their_tweets_as_live_triage_does() -> None:
    import_twcs_file("twcs", THREADS)

    flight = Conversation.objects.get(thread_key="root:100")
    first, latest = (
        triage(t)
        for t in flight.messages.filter(direction="in").order_by("sent_at").values_list("text", flat=True)
    )
    # Intent, category and language from the first customer tweet; sentiment from the latest; the
    # highest score of them; nothing more needed from a conversation the brand answered.
    assert (flight.intent, flight.language, flight.sentiment) == (
        first.intent,
        first.language,
        latest.sentiment,
    )
    assert flight.intent == "complaint"
    assert flight.priority_score == max(first.priority_score, latest.priority_score)
    assert flight.needs_response is False
    assert flight.subject == "@AmericanAir my flight got cancelled"


def at(day: int, hour: int, minute: int) -> datetime:
    return datetime(2017, 11, day, hour, minute, tzinfo=UTC)


def _inbox_order() -> list[str]:
    return list(ordered(Conversation.objects.all(), "waiting").values_list("thread_key", flat=True))


@time_machine.travel(CLOCK, tick=False)
def test_status_wait_and_clocks_come_from_the_history() -> None:
    import_twcs_file("twcs", THREADS)

    found = {
        c.thread_key: (c.status, c.waiting, c.waiting_since, c.first_response_at, c.resolved_at)
        for c in Conversation.objects.all()
    }
    assert found == {
        # Answered, quiet for the policy's time since: resolved when the brand last spoke.
        "root:100": ("resolved", False, None, at(1, 10, 5), at(1, 10, 22)),
        "root:103": ("resolved", False, None, at(1, 10, 45), at(1, 10, 45)),
        # Answered hours ago: waiting on the customer, not on us.
        "root:301": ("pending", False, None, at(3, 12, 20), None),
        # The customer had the last word: open, waiting since that tweet (the brand's 09:11 came first).
        "root:200": ("open", True, at(2, 9, 20), at(2, 9, 2), None),
        # The broadcast they answered is no answer to them.
        "root:302": ("open", True, at(3, 12, 15), None, None),
    }


@time_machine.travel(CLOCK, tick=False)
def test_the_inbox_puts_the_longest_waiting_imported_customer_first() -> None:
    import_twcs_file("twcs", THREADS)
    expected = ["root:200", "root:302", "root:301", "root:103", "root:100"]

    assert _inbox_order() == expected
    # The live rule (conversations.waiting) reads the imported threads the same way.
    refresh_waiting(Conversation.objects.all())
    assert _inbox_order() == expected
    assert Conversation.objects.get(thread_key="root:200").waiting_since == datetime(
        2017, 11, 2, 9, 20, tzinfo=UTC
    )


@time_machine.travel(CLOCK, tick=False)
def test_a_reimport_that_answers_a_waiting_customer_ends_the_wait() -> None:
    import_twcs_file("twcs", THREADS, limit=3)
    assert (
        Conversation.objects.get(thread_key="root:100").waiting,
        Conversation.objects.get(thread_key="root:100").waiting_since,
    ) == (
        True,
        datetime(2017, 11, 1, 10, 20, tzinfo=UTC),
    )

    import_twcs_file("twcs", THREADS)

    flight = Conversation.objects.get(thread_key="root:100")
    assert (flight.status, flight.waiting, flight.waiting_since) == ("resolved", False, None)


@time_machine.travel(CLOCK, tick=False)
def test_imported_history_fills_the_reports() -> None:
    import_twcs_file("twcs", THREADS)

    firsts: dict[str, tuple[datetime, float]] = {}
    for key, moment, seconds in Fact.objects.filter(kind=FactKind.FIRST_RESPONSE).values_list(
        "conversation__thread_key", "at", "seconds"
    ):
        assert seconds is not None
        firsts[key] = (moment, seconds)
    answered = Conversation.objects.filter(first_response_at__isnull=False)
    assert firsts == {
        c.thread_key: (c.first_response_at, (c.first_response_at - c.first_inbound_at).total_seconds())
        for c in answered
        if c.first_response_at is not None
    }
    assert set(firsts) == {"root:100", "root:103", "root:301", "root:200"}
    resolved = Fact.objects.filter(kind=FactKind.RESOLUTION).values_list("conversation__thread_key", "at")
    assert sorted(resolved) == [("root:100", at(1, 10, 22)), ("root:103", at(1, 10, 45))]
    assert (
        Fact.objects.filter(kind=FactKind.INBOUND).count()
        == Message.objects.filter(direction=Direction.INBOUND).count()
    )
    # The report's median is the median of the imported first-response times
    workspace_id = Conversation.objects.values_list("workspace_id", flat=True).first()
    assert workspace_id is not None
    period = Period(date(2017, 11, 1), date(2017, 11, 3), UTC)
    row = catalog.build("response_times", workspace_id, period).as_dicts()[0]
    assert (row["measure"], row["count"]) == ("First response", 4)
    assert row["median"] == statistics.median(seconds for _, seconds in firsts.values())
    # Importing the same file again adds no fact
    facts = Fact.objects.count()
    import_twcs_file("twcs", THREADS)
    assert Fact.objects.count() == facts
