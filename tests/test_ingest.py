"""Raw events are stored once and processed once; bad payloads are kept and reported."""

from datetime import UTC, datetime
from typing import Any

from socialdesk.channels.sandbox.payloads import ScenarioPost
from socialdesk.channels.sandbox.receiver import read_scenario, replay
from socialdesk.conversations.models import Message
from socialdesk.ingest.actions import receive_event, receive_events
from socialdesk.ingest.models import EventStatus, RawEvent
from socialdesk.ingest.pipeline import process_pending
from tests.helpers import post


def test_same_event_twice_is_one_message(x_channel: Any) -> None:
    assert receive_event(x_channel, "e1", post("m1", "where is my order?")) is True
    assert receive_event(x_channel, "e1", post("m1", "where is my order?")) is False
    assert RawEvent.objects.count() == 1
    assert list(Message.objects.values_list("network_message_id", "text")) == [("m1", "where is my order?")]
    assert RawEvent.objects.get().status == EventStatus.PROCESSED


def test_same_post_under_two_event_ids_is_one_message(x_channel: Any) -> None:
    # e.g. a webhook delivery and a poll that both carry the same post
    receive_event(x_channel, "webhook-1", post("m1"))
    receive_event(x_channel, "poll-9", post("m1"))
    assert RawEvent.objects.count() == 2
    assert Message.objects.count() == 1


def test_replaying_the_demo_scenario_twice_creates_no_duplicates(workspace: Any, scenario_path: Any) -> None:
    posts = read_scenario(scenario_path)
    first = replay(workspace, posts)
    second = replay(workspace, posts)
    assert (first.stored, first.duplicates) == (304, 0)
    assert (second.stored, second.duplicates) == (0, 304)
    assert Message.objects.count() == 304
    assert Message.objects.values("network_message_id").distinct().count() == 304
    assert RawEvent.objects.filter(status=EventStatus.PROCESSED).count() == 304


def test_invalid_payload_is_kept_and_marked_failed(x_channel: Any) -> None:
    bad = post("m1")
    del bad["author"]
    receive_event(x_channel, "e-bad", bad)
    raw = RawEvent.objects.get()
    assert raw.status == EventStatus.FAILED
    assert "author" in raw.error
    assert raw.payload["id"] == "m1"
    assert Message.objects.count() == 0


def test_bulk_receive_then_drain_processes_each_once(x_channel: Any) -> None:
    events = [(f"e{i}", post(f"m{i}", author=f"u{i % 7}", minutes=i)) for i in range(250)]
    new_ids = receive_events(x_channel, events)
    assert len(new_ids) == 250
    assert receive_events(x_channel, events) == []
    result = process_pending(batch_size=64)
    assert (result.processed, result.failed, result.errored) == (250, 0, 0)
    assert process_pending().processed == 0
    assert Message.objects.count() == 250


def test_control_characters_are_dropped_but_text_kept(x_channel: Any) -> None:
    receive_event(x_channel, "e1", post("m1", "hi\x00 there\x07\n\u202eevil\u200b"))
    assert Message.objects.get().text == "hi there\n\u202eevil\u200b"


def test_replay_keeps_the_scenario_rhythm_at_the_chosen_speed(workspace: Any) -> None:
    posts = [ScenarioPost.model_validate(post(f"m{i}", minutes=m)) for i, m in enumerate([0, 2, 5, 5])]
    pauses: list[float] = []
    result = replay(workspace, posts, speed=60, sleep=pauses.append)
    # At 60x a scenario minute lasts a second.
    assert pauses == [2.0, 3.0, 0.0]
    assert (result.posts, result.stored) == (4, 4)


def test_replay_can_end_now(workspace: Any) -> None:
    posts = [ScenarioPost.model_validate(post(f"m{i}", minutes=m)) for i, m in enumerate([0, 90])]
    end = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    replay(workspace, posts, end_at=end)
    assert [m.sent_at.isoformat() for m in Message.objects.order_by("sent_at")] == [
        "2026-11-22T10:30:00+00:00",
        "2026-11-22T12:00:00+00:00",
    ]
