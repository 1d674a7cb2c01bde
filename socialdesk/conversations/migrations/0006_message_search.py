"""Full-text search over message text: FTS5 on SQLite (kept in step by triggers), a GIN index on
to_tsvector('simple', text) on PostgreSQL; and an inbox index ordered by last message."""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS message_fts USING fts5("
    "text, content='conversations_message', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS message_fts_insert AFTER INSERT ON conversations_message BEGIN "
    "INSERT INTO message_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS message_fts_delete AFTER DELETE ON conversations_message BEGIN "
    "INSERT INTO message_fts(message_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS message_fts_update AFTER UPDATE OF text ON conversations_message BEGIN "
    "INSERT INTO message_fts(message_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO message_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO message_fts(message_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS message_fts_insert",
    "DROP TRIGGER IF EXISTS message_fts_delete",
    "DROP TRIGGER IF EXISTS message_fts_update",
    "DROP TABLE IF EXISTS message_fts",
]
POSTGRES = [
    "CREATE INDEX IF NOT EXISTS message_text_search ON conversations_message "
    "USING gin (to_tsvector('simple', text))",
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS message_text_search"]


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("conversations", "0005_activity_note_presence_savedview")]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AddIndex(
            model_name="conversation",
            index=models.Index(fields=["workspace", "-last_message_at"], name="conv_recent"),
        ),
    ]
