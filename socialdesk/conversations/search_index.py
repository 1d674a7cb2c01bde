"""SQLite's full-text index over messages is kept in step by triggers. It indexes what the desk may
show, never the text as written: the masked text when personal data was masked (card numbers,
national ids), nothing at all once a post was hidden for exposing personal data.

SQLite cannot add most columns in place: Django rebuilds the table, and the rebuild drops its
triggers, so any later migration touching Message would silently stop search from seeing new
messages. After every migrate we put back whatever triggers are missing or outdated and re-index
once. The index is external-content (content=conversations_message), but FTS5's own 'rebuild' would
read the raw `text` column, so re-indexing goes through `reindex_messages` instead."""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper


def searchable(row: str) -> str:
    """The SQL for what the index holds of a message (`row` is new or old in a trigger)."""
    return f"CASE WHEN {row}.search_excluded THEN '' ELSE coalesce({row}.masked_text, {row}.text) END"


def _insert(row: str) -> str:
    return f"INSERT INTO message_fts(rowid, text) VALUES ({row}.id, {searchable(row)});"


def _delete(row: str) -> str:
    return f"INSERT INTO message_fts(message_fts, rowid, text) VALUES ('delete', {row}.id, {searchable(row)});"


TRIGGERS = {
    "message_fts_insert": "CREATE TRIGGER message_fts_insert AFTER INSERT ON conversations_message "
    f"BEGIN {_insert('new')} END",
    "message_fts_delete": "CREATE TRIGGER message_fts_delete AFTER DELETE ON conversations_message "
    f"BEGIN {_delete('old')} END",
    "message_fts_update": "CREATE TRIGGER message_fts_update AFTER UPDATE OF text, masked_text, search_excluded "
    f"ON conversations_message BEGIN {_delete('old')} {_insert('new')} END",
}


def reindex_messages(connection: BaseDatabaseWrapper) -> None:
    """Empty the index and fill it again from what each message may show."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO message_fts(message_fts) VALUES ('delete-all')")
        cursor.execute(
            f"INSERT INTO message_fts(rowid, text) SELECT id, {searchable('m')} FROM conversations_message m"
        )


def restore_search_triggers(using: str = "default", **_: Any) -> list[str]:
    """Create the missing or outdated triggers and re-index if any was; the names created."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'message_fts'")
        if cursor.fetchone() is None:
            return []  # migration 0006 has not run yet
        cursor.execute("SELECT name FROM pragma_table_info('conversations_message') WHERE name = 'masked_text'")
        if cursor.fetchone() is None:
            return []  # migration 0013 has not run yet: the triggers below name its columns
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'message_fts_%'")
        present = dict(cursor.fetchall())
        missing = [name for name, sql in TRIGGERS.items() if present.get(name) != sql]
        for name in missing:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(TRIGGERS[name])
    if missing:
        reindex_messages(connection)
    return missing
