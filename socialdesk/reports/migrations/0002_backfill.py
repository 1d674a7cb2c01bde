"""Facts for the conversations stored before facts were recorded. It runs the live backfill code (not
historical models) because the facts must be the very rows the desk would have written; it is
idempotent, so a database that already has some facts gains only the missing ones."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def backfill(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from socialdesk.reports.history import backfill_workspace

    Workspace = apps.get_model("workspaces", "Workspace")
    for workspace_id in Workspace.objects.values_list("pk", flat=True):
        backfill_workspace(workspace_id)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("conversations", "__latest__"),
        ("policy", "__latest__"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
