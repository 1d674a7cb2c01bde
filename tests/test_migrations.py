from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from socialdesk.conversations.inbox import search_conversations
from socialdesk.conversations.models import Message
from socialdesk.conversations.search_index import TRIGGERS, restore_search_triggers
from socialdesk.ingest.actions import receive_event
from tests.helpers import post


@pytest.mark.django_db
def test_models_and_migrations_agree() -> None:
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "No changes detected"


def _triggers() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        return [row[0] for row in cursor.fetchall()]


def test_search_survives_a_migration_that_rebuilds_the_message_table(x_channel: Any) -> None:
    """SQLite rebuilds a table to add a column (0011 did) and drops its triggers with it; after every
    migrate the desk puts them back and re-indexes what was stored meanwhile."""
    if connection.vendor != "sqlite":
        assert restore_search_triggers() == []  # PostgreSQL searches a generated column: nothing to keep
        return
    assert _triggers() == sorted(TRIGGERS)  # the test database went through every migration
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER message_fts_insert")
    receive_event(x_channel, "1", post("a", "@NimbusMobile my calls keep dropping at home"))
    found = Message.objects.get(network_message_id="a").conversation_id
    assert list(search_conversations("dropping")) == []
    assert restore_search_triggers() == ["message_fts_insert"]
    assert [row["conversation_id"] for row in search_conversations("dropping")] == [found]
    assert restore_search_triggers() == []
    receive_event(x_channel, "2", post("b", "dropping again", minutes=1))
    assert len(search_conversations("dropping")) == 2
