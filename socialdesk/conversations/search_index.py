"""SQLite's full-text index over messages is kept in step by triggers. It indexes what the desk may
show, never the text as written: the masked text when personal data was masked (card numbers,
national ids), nothing at all once a post was hidden for exposing personal data.

SQLite cannot add most columns in place: Django rebuilds the table, and the rebuild drops its
triggers, so any later migration touching Message would silently stop search from seeing new
messages. After every migrate we put back whatever triggers are missing or outdated and re-index
once. The index is external-content (content=conversations_message), but FTS5's own 'rebuild' would
read the raw `text` column, so re-indexing goes through `reindex_messages` instead."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

# What the index holds of a message: nothing once hidden for exposing personal data, else the
# masked text when something was masked, else the text. Spelled out per row name (new, old, m).
NEW = "CASE WHEN new.search_excluded THEN '' ELSE coalesce(new.masked_text, new.text) END"
OLD = "CASE WHEN old.search_excluded THEN '' ELSE coalesce(old.masked_text, old.text) END"
SEARCHABLE = "CASE WHEN search_excluded THEN '' ELSE coalesce(masked_text, text) END"
# Constant SQL built from the constants above: no input reaches it.
INSERT_NEW = "INSERT INTO message_fts(rowid, text) VALUES (new.id, " + NEW + ");"  # noqa: S608
DELETE_OLD = "INSERT INTO message_fts(message_fts, rowid, text) VALUES ('delete', old.id, " + OLD + ");"  # noqa: S608

TRIGGERS = {
    "message_fts_insert": "CREATE TRIGGER message_fts_insert AFTER INSERT ON conversations_message "
    "BEGIN " + INSERT_NEW + " END",
    "message_fts_delete": "CREATE TRIGGER message_fts_delete AFTER DELETE ON conversations_message "
    "BEGIN " + DELETE_OLD + " END",
    "message_fts_update": "CREATE TRIGGER message_fts_update "
    "AFTER UPDATE OF text, masked_text, search_excluded ON conversations_message "
    # Only when what is indexed changes: triage writes masked_text (often None again) on every
    # message, and FTS5 must never be told to delete what it does not hold (a corrupt index).
    "WHEN " + OLD + " IS NOT " + NEW + " "
    "BEGIN " + DELETE_OLD + " " + INSERT_NEW + " END",
}
# Before migration 0013 (a database migrated back past it): the text as written, as 0006 indexed it.
TEXT_TRIGGERS = {
    "message_fts_insert": "CREATE TRIGGER message_fts_insert AFTER INSERT ON conversations_message BEGIN "
    "INSERT INTO message_fts(rowid, text) VALUES (new.id, new.text); END",
    "message_fts_delete": "CREATE TRIGGER message_fts_delete AFTER DELETE ON conversations_message BEGIN "
    "INSERT INTO message_fts(message_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "message_fts_update": "CREATE TRIGGER message_fts_update AFTER UPDATE OF text ON conversations_message "
    "BEGIN INSERT INTO message_fts(message_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO message_fts(rowid, text) VALUES (new.id, new.text); END",
}
REINDEX = [
    "INSERT INTO message_fts(message_fts) VALUES ('delete-all')",
    "INSERT INTO message_fts(rowid, text) SELECT id, " + SEARCHABLE + " FROM conversations_message",  # noqa: S608
]


def reindex_messages(connection: BaseDatabaseWrapper) -> None:
    """Empty the index and fill it again from what each message may show."""
    with connection.cursor() as cursor:
        for sql in REINDEX:
            cursor.execute(sql)


def restore_search_triggers(using: str = "default", **_: Any) -> list[str]:
    """Create the missing or outdated triggers and re-index if any was; the names created."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'message_fts'")
        if cursor.fetchone() is None:
            return []  # migration 0006 has not run yet
        cursor.execute(
            "SELECT name FROM pragma_table_info('conversations_message') WHERE name = 'masked_text'"
        )
        masked = cursor.fetchone() is not None  # else 0013 has not run (or was reversed)
        wanted = TRIGGERS if masked else TEXT_TRIGGERS
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'message_fts_%'"
        )
        present = dict(cursor.fetchall())
        missing = [name for name, sql in wanted.items() if present.get(name) != sql]
        for name in missing:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(wanted[name])
        if missing and not masked:
            cursor.execute("INSERT INTO message_fts(message_fts) VALUES ('rebuild')")
    if missing and masked:
        reindex_messages(connection)
    return missing


# While one workspace's history is bulk-loaded, the insert trigger skips that workspace's rows; they
# are indexed in one statement at the end (the same text the trigger would index), which costs a
# fraction of a trigger firing per row.
BULK_INSERT = (
    "CREATE TRIGGER message_fts_insert AFTER INSERT ON conversations_message "
    "WHEN new.workspace_id <> {workspace_id} BEGIN " + INSERT_NEW + " END"
)
INDEX_LOADED = (
    "INSERT INTO message_fts(rowid, text) SELECT id, " + SEARCHABLE + " FROM conversations_message "  # noqa: S608
    "WHERE workspace_id = %s AND id > %s ORDER BY id"
)
# Pages of cache for the import connection (negative: KiB), restored afterwards.
BULK_CACHE_KIB = 131072


@contextmanager
def bulk_load(workspace_id: int, using: str = "default") -> Iterator[None]:
    """Messages inserted into `workspace_id` inside this block are indexed once, when it ends, and the
    import connection gets a larger page cache. Other workspaces keep being indexed as they are written.

    Crash safety: the trigger is put back and the loaded rows indexed in a `finally`, in one
    transaction. If the process dies without running it (killed), the insert trigger left behind
    differs from `TRIGGERS`, so the next `restore_search_triggers` (after every migrate, and at the
    start of every TWCS import) recreates it and re-indexes every message: no row stays unindexed.

    Meant for a workspace nobody is working in during the load: an edit of one of its messages
    written meanwhile (not yet indexed) would have FTS5 delete what it does not hold."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'message_fts_insert'")
        found = cursor.fetchone()
        cursor.execute("PRAGMA cache_size")
        cache = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    if found is None or found[0] != TRIGGERS["message_fts_insert"]:
        try:  # an older schema, or another bulk load under way: leave the triggers alone
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {cache}")
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM conversations_message")
        start = int(cursor.fetchone()[0])
        cursor.execute("DROP TRIGGER message_fts_insert")
        cursor.execute(BULK_INSERT.format(workspace_id=int(workspace_id)))
    try:
        yield
    finally:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(INDEX_LOADED, [workspace_id, start])
            cursor.execute("DROP TRIGGER IF EXISTS message_fts_insert")
            cursor.execute(TRIGGERS["message_fts_insert"])
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {cache}")
        restore_search_triggers(using)
