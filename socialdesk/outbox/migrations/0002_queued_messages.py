"""Outbound messages queued before the outbox existed get their row, so nothing waiting is lost."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.utils import timezone


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    message_model = apps.get_model("conversations", "Message")
    item_model = apps.get_model("outbox", "OutboxItem")
    now = timezone.now()
    queued = message_model.objects.filter(direction="out", delivery_status="queued")
    item_model.objects.bulk_create(
        [
            item_model(
                workspace_id=m.workspace_id,
                channel_id=m.channel_id,
                kind="private" if m.is_private else "reply",
                message_id=m.pk,
                idempotency_key=f"msg-{m.pk}",
                next_attempt_at=now,
            )
            for m in queued.iterator()
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("outbox", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
