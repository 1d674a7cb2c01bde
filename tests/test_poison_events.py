"""One bad event never stalls the others (issue 21): an event whose processing raises is retried a
bounded number of times, once per drain, then quarantined (kept with its error, listed, replayable),
and the good events behind it are processed meanwhile."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from typer.testing import CliRunner

from socialdesk.cli import app
from socialdesk.conversations.models import Message
from socialdesk.ingest import pipeline
from socialdesk.ingest.actions import receive_events
from socialdesk.ingest.models import EventStatus, RawEvent
from socialdesk.ingest.pipeline import MAX_ATTEMPTS, process_pending, sweep_pending
from socialdesk.triage.actions import triage_message
from tests.helpers import post


@pytest.fixture
def poison(monkeypatch: pytest.MonkeyPatch) -> None:
    """Triage raises on one text, as a bug or an unexpected character would."""

    def triage(message: Message, found: Any) -> Any:
        if "poison" in message.text:
            raise ValueError("triage cannot read this")
        return triage_message(message, found)

    monkeypatch.setattr(pipeline, "triage_message", triage)


def _queue(channel: Any, *bodies: dict[str, Any]) -> list[int]:
    return receive_events(channel, [(body["id"], body) for body in bodies])


def test_a_poison_event_first_in_the_queue_is_quarantined_and_the_good_one_processed(
    x_channel: Any, poison: None
) -> None:
    bad, good = _queue(x_channel, post("bad", "poison pill", author="u1"), post("ok", "my bill", author="u2"))
    first = process_pending(batch_size=1)
    assert (first.processed, first.errored) == (1, 1)
    assert Message.objects.filter(network_message_id="ok").count() == 1
    assert RawEvent.objects.get(pk=good).status == EventStatus.PROCESSED
    for _ in range(MAX_ATTEMPTS):
        process_pending(batch_size=1)
    raw = RawEvent.objects.get(pk=bad)
    assert (raw.status, raw.attempts) == (EventStatus.QUARANTINED, MAX_ATTEMPTS)
    assert "ValueError: triage cannot read this" in raw.error
    assert not Message.objects.filter(network_message_id="bad").exists()
    # Quarantined events are no longer tried.
    assert process_pending().errored == 0


def test_many_poison_events_do_not_hide_a_good_one_from_a_drain(x_channel: Any, poison: None) -> None:
    """Worse than one: a whole batch of bad events ahead of the good one (the stalled worker)."""
    bodies = [post(f"bad{n}", "poison", author="u1", minutes=n) for n in range(5)]
    _queue(x_channel, *bodies)
    _queue(x_channel, post("ok", "hello", author="u2", minutes=9))
    result = process_pending(batch_size=3)
    assert (result.processed, result.errored) == (1, 5)
    assert Message.objects.filter(network_message_id="ok").exists()


def test_the_celery_sweep_quarantines_too(x_channel: Any, poison: None) -> None:
    (bad,) = _queue(x_channel, post("bad", "poison", author="u1"))
    for _ in range(MAX_ATTEMPTS):
        sweep_pending(grace_seconds=0)
    assert RawEvent.objects.get(pk=bad).status == EventStatus.QUARANTINED


def test_quarantined_events_are_listed_and_replayed_by_the_cli(
    x_channel: Any, poison: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    (bad,) = _queue(x_channel, post("bad", "poison", author="u1"))
    for _ in range(MAX_ATTEMPTS):
        process_pending()
    runner = CliRunner()
    listed = runner.invoke(app, ["events", "list"])
    assert listed.exit_code == 0, listed.output
    assert f"{bad}" in listed.output and "ValueError" in listed.output

    monkeypatch.undo()  # the bug is fixed
    replayed = runner.invoke(app, ["events", "replay", str(bad)])
    assert (replayed.exit_code, replayed.output) == (0, f"{bad}: processed\n")
    raw = RawEvent.objects.get(pk=bad)
    assert (raw.status, raw.attempts, raw.error) == (EventStatus.PROCESSED, 0, "")
    assert Message.objects.filter(network_message_id="bad").count() == 1
    missing = runner.invoke(app, ["events", "replay", "999999", str(bad)])
    assert (missing.exit_code, missing.output) == (
        1,
        f"999999: no such event\n{bad}: not replayed: it is processed\n",
    )


def test_admins_see_quarantined_events_with_their_error(x_channel: Any, poison: None) -> None:
    (bad,) = _queue(x_channel, post("bad", "poison", author="u1"))
    for _ in range(MAX_ATTEMPTS):
        process_pending()
    admin = User.objects.create_superuser("root", "root@example.com", "pw")
    client = Client()
    client.force_login(admin)
    page = client.get("/admin/ingest/rawevent/?status__exact=quarantined")
    assert page.status_code == 200
    assert f"/admin/ingest/rawevent/{bad}/change/" in page.content.decode()
    detail = client.get(f"/admin/ingest/rawevent/{bad}/change/")
    assert "triage cannot read this" in detail.content.decode()


def test_the_worker_command_says_when_it_quarantines(x_channel: Any, poison: None) -> None:
    _queue(x_channel, post("bad", "poison", author="u1"))
    runner = CliRunner()
    outputs = [runner.invoke(app, ["worker"]) for _ in range(MAX_ATTEMPTS)]
    assert [o.exit_code for o in outputs] == [0] * MAX_ATTEMPTS
    assert "quarantined 1 events (socialdesk events list)" in outputs[-1].output
    assert "quarantined" not in outputs[0].output
