"""The twcs.csv importer on files in the formats published: Kaggle's original and pandas-written."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from typer.testing import CliRunner

from socialdesk.cli import app
from socialdesk.conversations.models import Conversation, Direction, Message
from socialdesk.importers.twcs import TwcsError, import_twcs_file
from socialdesk.workspaces.models import Workspace

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "twcs_sample.csv"
PANDAS = FIXTURES / "twcs_sample_pandas.csv"
THREADS = FIXTURES / "twcs_threads.csv"
NO_BRAND = "customer tweet addressed to no brand (no reply, @mention or answer)"
ANSWERS_NOTHING = "brand tweet answering no customer tweet in the file"
# Two days after the last tweet of twcs_threads.csv's AmericanAir thread, hours after Delta's reply.
CLOCK = datetime(2017, 11, 3, 20, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("transactional_db")


def _thread(root: str) -> Conversation:
    return Conversation.objects.get(thread_key=f"root:{root}")


def _ids(conversation: Conversation) -> list[tuple[str | None, str]]:
    return list(
        conversation.messages.order_by("sent_at", "pk").values_list("network_message_id", "direction")
    )


def _seconds_to_first_response(conversation: Conversation) -> float | None:
    if conversation.first_response_at is None:
        return None
    return (conversation.first_response_at - conversation.first_inbound_at).total_seconds()


@pytest.mark.parametrize("path", [SAMPLE, PANDAS], ids=["kaggle", "pandas"])
def test_kaggle_and_pandas_files_import_alike(path: Path) -> None:
    result = import_twcs_file("twcs", path)

    assert (result.rows, result.inbound, result.outbound, result.conversations) == (11, 5, 4, 3)
    assert result.skipped == {NO_BRAND: 1, ANSWERS_NOTHING: 1}
    assert result.malformed == []
    sprint = Conversation.objects.get(channel__handle="@sprintcare")
    assert _ids(sprint) == [
        ("5", Direction.INBOUND),
        ("4", Direction.OUTBOUND),
        ("3", Direction.INBOUND),
        ("1", Direction.OUTBOUND),
        ("2", Direction.INBOUND),
    ]
    assert _seconds_to_first_response(sprint) == 314
    assert sprint.message_count == 3  # the customer's
    apple = Conversation.objects.get(channel__handle="@AppleSupport")
    assert _seconds_to_first_response(apple) == 750
    assert (
        apple.messages.get(network_message_id="10").text
        == "@AppleSupport my battery drains & the phone gets hot"
    )
    # Addressed to no brand by @, but answered by one: it belongs to that brand.
    assert Conversation.objects.get(channel__handle="@AmazonHelp").messages.count() == 2


@time_machine.travel(CLOCK, tick=False)
def test_a_reply_to_two_customers_opens_a_thread_for_each() -> None:
    result = import_twcs_file("twcs", THREADS)

    assert (result.rows, result.inbound, result.outbound, result.conversations) == (17, 7, 10, 5)
    first, second = _thread("100"), _thread("103")
    assert _ids(first) == [
        ("100", Direction.INBOUND),
        ("101", Direction.OUTBOUND),
        ("102", Direction.INBOUND),
        ("104", Direction.OUTBOUND),
    ]
    # The reply addressed to both is the second customer's context, not their first response.
    assert _ids(second) == [
        ("101@600002", Direction.OUTBOUND),
        ("103", Direction.INBOUND),
        ("105", Direction.OUTBOUND),
    ]
    assert (first.contact.display_name, second.contact.display_name) == ("600001", "600002")
    assert (_seconds_to_first_response(first), _seconds_to_first_response(second)) == (300, 900)
    assert (first.message_count, second.message_count) == (2, 1)
    # A bare CR inside a quoted text is part of the tweet.
    assert first.messages.get(network_message_id="102").text == "@AmericanAir thanks,\rwhich flight?"


@time_machine.travel(CLOCK, tick=False)
def test_a_broadcast_answered_by_two_customers_is_two_threads() -> None:
    import_twcs_file("twcs", THREADS)

    asked, waiting = _thread("301"), _thread("302")
    assert _ids(asked) == [("300@800001", "out"), ("301", "in"), ("303", "out")]
    assert _ids(waiting) == [("300@800002", "out"), ("302", "in")]
    assert (_seconds_to_first_response(asked), _seconds_to_first_response(waiting)) == (600, None)


@time_machine.travel(CLOCK, tick=False)
def test_tweets_between_accounts_of_one_brand_stay_in_the_thread() -> None:
    import_twcs_file("twcs", THREADS)

    charging = _thread("200")
    assert charging.channel.handle == "@Apple"
    assert list(charging.messages.order_by("sent_at").values_list("network_message_id", "author_handle")) == [
        ("200", "700001"),
        ("201", "@Apple"),
        ("202", "@AppleSupport"),  # the hand-over from Apple
        ("204", "@AppleSupport"),  # the brand continuing its own reply
        ("203", "700001"),
    ]
    assert _seconds_to_first_response(charging) == 120
    assert Conversation.objects.filter(channel__handle="@AppleSupport").count() == 0


@time_machine.travel(CLOCK, tick=False)
def test_statuses_come_from_the_history() -> None:
    import_twcs_file("twcs", THREADS)

    statuses = {c.thread_key: (c.status, c.resolved_at, c.needs_response) for c in Conversation.objects.all()}
    assert statuses == {
        # Answered, and the customer quiet for a day since: resolved when the brand last spoke.
        "root:100": ("resolved", datetime(2017, 11, 1, 10, 22, tzinfo=UTC), False),
        "root:103": ("resolved", datetime(2017, 11, 1, 10, 45, tzinfo=UTC), False),
        # Answered less than a day ago: waiting on the customer.
        "root:301": ("pending", None, False),
        # The customer had the last word.
        "root:200": ("open", None, False),
        "root:302": ("open", None, True),
    }
    # Triaged on import: the latest customer tweet gives the conversation its labels.
    assert _thread("302").intent == "complaint"
    assert _thread("100").language == "en"
    assert Message.objects.get(network_message_id="301").triage["path"] == "fast"
    assert _thread("100").subject == "@AmericanAir my flight got cancelled"


@time_machine.travel(CLOCK, tick=False)
def test_importing_twice_adds_nothing_and_says_so() -> None:
    import_twcs_file("twcs", THREADS)
    again = import_twcs_file("twcs", THREADS)

    assert (again.inbound, again.outbound, again.already_imported, again.conversations) == (0, 0, 17, 0)
    assert again.summary() == [
        "17 rows read: 0 customer tweets and 0 brand tweets imported, 0 new conversations; "
        "17 messages already imported",
        f"skipped 1: {NO_BRAND}",
        f"skipped 1: {ANSWERS_NOTHING}",
    ]
    assert (Message.objects.count(), Conversation.objects.count()) == (17, 5)


def _with_bad_rows(tmp_path: Path) -> Path:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    lines[6] = lines[6].replace("Wed Nov 01 08:00:00 +0000 2017", "2017-11-01")  # line 7, tweet 10
    lines.insert(9, "35,Delta,False,Wed Nov 01 10:00:00 +0000 2017,too few fields")  # line 10
    # A bare CR in an unquoted text (line 14): the csv module alone would end the record there.
    lines.append("41,550005,True,Wed Nov 01 11:00:00 +0000 2017,@AmazonHelp where is\rmy parcel,,21")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(("\n".join(lines) + "\n").encode())
    return bad


def test_malformed_rows_are_reported_with_their_line_and_skipped(tmp_path: Path) -> None:
    result = import_twcs_file("twcs", _with_bad_rows(tmp_path))

    assert result.malformed == [
        (7, "created_at '2017-11-01' is not like 'Tue Oct 31 22:10:47 +0000 2017'"),
        (10, "has 5 fields, the header 7"),
    ]
    assert (result.rows, result.inbound, result.outbound) == (13, 5, 4)
    assert Message.objects.get(network_message_id="41").text == "@AmazonHelp where is\rmy parcel"
    assert not Message.objects.filter(network_message_id__in=["10", "11"]).exists()
    assert result.summary()[-3:] == [
        "skipped 2 malformed rows:",
        "  line 7: created_at '2017-11-01' is not like 'Tue Oct 31 22:10:47 +0000 2017'",
        "  line 10: has 5 fields, the header 7",
    ]


def test_strict_stops_at_the_first_malformed_row_leaving_nothing(tmp_path: Path) -> None:
    with pytest.raises(TwcsError, match=r"^line 7: created_at '2017-11-01' is not like"):
        import_twcs_file("fresh", _with_bad_rows(tmp_path), strict=True)

    assert not Workspace.objects.filter(slug="fresh").exists()
    assert (Message.objects.count(), Conversation.objects.count()) == (0, 0)


def test_wrong_columns_are_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,text\n1,hello\n", encoding="utf-8")
    with pytest.raises(TwcsError, match="missing columns tweet_id, author_id, inbound"):
        import_twcs_file("fresh", bad)
    assert not Workspace.objects.filter(slug="fresh").exists()


def test_cli_prints_a_truthful_summary(tmp_path: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(app, ["import", "twcs", str(_with_bad_rows(tmp_path)), "--workspace", "acme"])
    assert done.exit_code == 0, done.output
    assert "12 rows read" not in done.output
    assert "13 rows read: 5 customer tweets and 4 brand tweets imported, 3 new conversations; " in done.output
    assert "line 10: has 5 fields, the header 7" in done.output

    strict = runner.invoke(
        app, ["import", "twcs", str(_with_bad_rows(tmp_path)), "--workspace", "b", "--strict"]
    )
    assert strict.exit_code == 2
    assert "line 7: created_at" in strict.output
    assert not Workspace.objects.filter(slug="b").exists()


def test_quiet_time_follows_the_clock() -> None:
    with time_machine.travel(CLOCK + timedelta(days=1), tick=False):
        import_twcs_file("twcs", THREADS)
    assert _thread("301").status == "resolved"


@time_machine.travel(CLOCK, tick=False)
def test_importing_more_of_the_file_updates_the_threads_it_continues() -> None:
    first = import_twcs_file("twcs", THREADS, limit=5)
    assert (first.inbound, first.outbound, first.conversations) == (3, 3, 2)
    assert (_thread("103").status, _thread("103").first_response_at) == ("open", None)

    rest = import_twcs_file("twcs", THREADS)

    assert rest.summary()[0] == (
        "17 rows read: 4 customer tweets and 7 brand tweets imported, 3 new conversations, 1 updated; "
        "6 messages already imported"
    )
    bag = _thread("103")
    assert (bag.status, bag.resolved_at) == ("resolved", datetime(2017, 11, 1, 10, 45, tzinfo=UTC))
    assert (_seconds_to_first_response(bag), bag.needs_response) == (900, False)
    assert bag.last_message_at == datetime(2017, 11, 1, 10, 45, tzinfo=UTC)


def _insert_trigger() -> str | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'message_fts_insert'")
        found = cursor.fetchone()
    return found[0] if found else None


def test_imported_messages_are_searchable_and_the_trigger_is_back() -> None:
    from django.db import connection

    from socialdesk.conversations.search_index import TRIGGERS

    if connection.vendor != "sqlite":
        pytest.skip("the full-text index triggers are SQLite's")
    import_twcs_file("acme", SAMPLE)
    assert _insert_trigger() == TRIGGERS["message_fts_insert"]
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO message_fts(message_fts, rank) VALUES ('integrity-check', 1)")
        cursor.execute("SELECT count(*) FROM message_fts_docsize")
        assert cursor.fetchone()[0] == Message.objects.count()


def test_an_import_dying_mid_way_leaves_the_index_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import connection

    from socialdesk.conversations.search_index import BULK_INSERT, TRIGGERS
    from socialdesk.importers.twcs import writer

    if connection.vendor != "sqlite":
        pytest.skip("the full-text index triggers are SQLite's")

    def finish(self: writer.Writer) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(writer.Writer, "finish", finish)
    with pytest.raises(RuntimeError):
        import_twcs_file("acme", SAMPLE)
    # The finally: trigger back, every written message indexed.
    assert _insert_trigger() == TRIGGERS["message_fts_insert"]
    written = set(Message.objects.values_list("pk", flat=True))
    assert written
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM message_fts")
        assert {row[0] for row in cursor.fetchall()} == written
        # Killed without its finally: the bulk-load trigger stays behind and the next import (or
        # migrate) puts the real one back and re-indexes everything.
        cursor.execute("DELETE FROM message_fts")
        cursor.execute("DROP TRIGGER message_fts_insert")
        cursor.execute(BULK_INSERT.format(workspace_id=Workspace.objects.get(slug="acme").pk))
    monkeypatch.undo()
    import_twcs_file("acme", SAMPLE)
    assert _insert_trigger() == TRIGGERS["message_fts_insert"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM message_fts")
        assert {row[0] for row in cursor.fetchall()} == set(Message.objects.values_list("pk", flat=True))
