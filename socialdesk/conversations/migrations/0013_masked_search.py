"""Masked personal data: what the desk shows and indexes of a message (card numbers, national ids,
the policy's patterns masked; nothing of a post hidden for exposing personal data), an audit of who
read a message as written, and the search index rebuilt on the masked text. Existing messages are
masked from the personal data their triage found (stored spans)."""

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from socialdesk.conversations.search_index import SEARCHABLE, TEXT_TRIGGERS, TRIGGERS, reindex_messages
from socialdesk.conversations.masking import masked_text

POSTGRES = [
    "DROP INDEX IF EXISTS message_search_vector",
    "ALTER TABLE conversations_message DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE conversations_message ADD COLUMN search_vector tsvector "
    f"GENERATED ALWAYS AS (to_tsvector('simple', {SEARCHABLE})) STORED",
    "CREATE INDEX message_search_vector ON conversations_message USING gin (search_vector)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS message_search_vector",
    "ALTER TABLE conversations_message DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE conversations_message ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED",
    "CREATE INDEX message_search_vector ON conversations_message USING gin (search_vector)",
]
SUBJECT_CHARS = 120  # as conversations.actions.subject_of, frozen here


def _subject(text: str) -> str:
    return " ".join(text.split())[:SUBJECT_CHARS]


def _spans(triage: Any) -> list[Any]:
    """The personal data triage found (kind, start, end): card numbers were Luhn-checked already."""
    return triage.get("personal_spans", []) if isinstance(triage, dict) else []


def mask_existing(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    message_model = apps.get_model("conversations", "Message")
    conversation_model = apps.get_model("conversations", "Conversation")
    rows = message_model.objects.filter(direction="in").values_list("pk", "conversation_id", "text", "triage")
    for pk, conversation_id, text, triage in rows.iterator(chunk_size=2000):
        masked = masked_text(text, _spans(triage))
        if masked is None:
            continue
        message_model.objects.filter(pk=pk).update(masked_text=masked)
        conversation_model.objects.filter(pk=conversation_id, subject=_subject(text)).update(
            subject=_subject(masked)
        )


def index_masked(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for sql in POSTGRES:
            schema_editor.execute(sql)
    elif connection.vendor == "sqlite":
        for name, sql in TRIGGERS.items():
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
            schema_editor.execute(sql)
        reindex_messages(connection)


def index_text(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for sql in POSTGRES_REVERSE:
            schema_editor.execute(sql)
    elif connection.vendor == "sqlite":
        for name in TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        # Back to 0006's triggers (post_migrate puts them back if a table rebuild drops them).
        for sql in TEXT_TRIGGERS.values():
            schema_editor.execute(sql)
        schema_editor.execute("INSERT INTO message_fts(message_fts) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0012_reply_approval"),
        ("workspaces", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="masked_text",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="message",
            name="search_excluded",
            field=models.BooleanField(default=False),
        ),
        migrations.CreateModel(
            name="PersonalDataReveal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField()),
                (
                    "actor",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "message",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reveals",
                        to="conversations.message",
                    ),
                ),
                (
                    "workspace",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="workspaces.workspace"
                    ),
                ),
            ],
            options={"indexes": [models.Index(fields=["workspace", "created_at"], name="reveal_audit")]},
        ),
        migrations.RunPython(mask_existing, migrations.RunPython.noop),
        migrations.RunPython(index_masked, index_text),
    ]
