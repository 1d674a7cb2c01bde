"""SQLite's full-text index over message text is kept in step by triggers (migration 0006). SQLite
cannot add most columns in place: Django rebuilds the table, and the rebuild drops its triggers, so any
later migration touching Message would silently stop search from seeing new messages. After every
migrate we put back whatever triggers are missing and re-index once."""

from __future__ import annotations

from typing import Any

from django.db import connections

TRIGGERS = {
    "message_fts_insert": "CREATE TRIGGER message_fts_insert AFTER INSERT ON conversations_message BEGIN "
    "INSERT INTO message_fts(rowid, text) VALUES (new.id, new.text); END",
    "message_fts_delete": "CREATE TRIGGER message_fts_delete AFTER DELETE ON conversations_message BEGIN "
    "INSERT INTO message_fts(message_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "message_fts_update": "CREATE TRIGGER message_fts_update AFTER UPDATE OF text ON conversations_message "
    "BEGIN INSERT INTO message_fts(message_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO message_fts(rowid, text) VALUES (new.id, new.text); END",
}


def restore_search_triggers(using: str = "default", **_: Any) -> list[str]:
    """Create the missing triggers and rebuild the index if any was missing; the names created."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'message_fts'")
        if cursor.fetchone() is None:
            return []  # migration 0006 has not run yet
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'message_fts_%'")
        present = {row[0] for row in cursor.fetchall()}
        missing = [name for name in TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(TRIGGERS[name])
        if missing:
            cursor.execute("INSERT INTO message_fts(message_fts) VALUES ('rebuild')")
    return missing
