from pathlib import Path
from typing import Any

import pytest

from socialdesk.conversations.models import Conversation, Direction, Message
from socialdesk.importers.twcs import TwcsError, import_twcs_file

SAMPLE = Path(__file__).parent / "fixtures" / "twcs_sample.csv"


def test_import_keeps_threads_and_response_times(workspace: Any) -> None:
    result = import_twcs_file(workspace, SAMPLE)
    assert (result.tweets, result.inbound, result.outbound, result.conversations, result.skipped) == (
        11,
        5,
        4,
        3,
        2,
    )

    sprint = Conversation.objects.get(channel__handle="@sprintcare")
    thread = list(sprint.messages.order_by("sent_at").values_list("network_message_id", "direction"))
    assert thread == [
        ("5", Direction.INBOUND),
        ("4", Direction.OUTBOUND),
        ("3", Direction.INBOUND),
        ("1", Direction.OUTBOUND),
        ("2", Direction.INBOUND),
    ]
    assert sprint.first_response_at is not None
    assert (sprint.first_response_at - sprint.first_inbound_at).total_seconds() == 314
    assert sprint.message_count == 3  # inbound messages

    apple = Conversation.objects.get(channel__handle="@AppleSupport")
    assert apple.first_response_at is not None
    assert (apple.first_response_at - apple.first_inbound_at).total_seconds() == 750
    assert (
        apple.messages.get(network_message_id="10").text
        == "@AppleSupport my battery drains & the phone gets hot"
    )

    # Addressed to no brand by @, but answered by one: it belongs to that brand.
    amazon = Conversation.objects.get(channel__handle="@AmazonHelp")
    assert amazon.messages.count() == 2


def test_importing_twice_adds_nothing(workspace: Any) -> None:
    import_twcs_file(workspace, SAMPLE)
    again = import_twcs_file(workspace, SAMPLE)
    assert (again.inbound, again.outbound, again.conversations, again.skipped) == (0, 0, 0, 11)
    assert Message.objects.count() == 9


def test_wrong_columns_are_a_clear_error(workspace: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,text\n1,hello\n", encoding="utf-8")
    with pytest.raises(TwcsError, match="missing columns tweet_id, author_id, inbound"):
        import_twcs_file(workspace, bad)


def test_bad_date_names_the_line(workspace: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(SAMPLE.read_text(encoding="utf-8").replace("Wed Nov 01 08:00:00 +0000 2017", "2017-11-01"))
    with pytest.raises(TwcsError, match="line 7: created_at '2017-11-01'"):
        import_twcs_file(workspace, bad)
    assert Message.objects.count() == 0
