# The inbox's default order: the customer waiting longest first (see conversations.waiting).

from django.db import migrations, models
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When


def backfill(apps, schema_editor):
    """waiting_since from the threads: the oldest customer message with no agent's answer (queued or
    sent, not automatic, not held or returned) sent after it; nobody waits in resolved or closed ones."""
    Conversation = apps.get_model("conversations", "Conversation")
    Message = apps.get_model("conversations", "Message")
    answer = Q(direction="out", automatic=False) & ~Q(delivery_status__in=["approval", "returned"])
    answered_later = Message.objects.filter(
        answer, conversation_id=OuterRef(OuterRef("pk")), sent_at__gte=OuterRef("sent_at")
    )
    unanswered = Message.objects.filter(conversation_id=OuterRef("pk"), direction="in").filter(
        ~Exists(answered_later)
    )
    live = Conversation.objects.exclude(status__in=["resolved", "closed"])
    live.update(waiting_since=Subquery(unanswered.order_by("sent_at", "pk").values("sent_at")[:1]))
    live.update(waiting=Case(When(waiting_since__isnull=False, then=Value(True)), default=Value(False)))


class Migration(migrations.Migration):

    dependencies = [
        ("conversations", "0014_plural_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="conversation",
            name="waiting",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="conversation",
            name="waiting_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="conversation",
            index=models.Index(
                fields=["workspace", "-waiting", "waiting_since", "-last_message_at", "-id"],
                name="conv_inbox_waiting",
            ),
        ),
        migrations.AddIndex(
            model_name="conversation",
            index=models.Index(
                fields=["workspace", "status", "-waiting", "waiting_since", "-last_message_at", "-id"],
                name="conv_inbox_waiting_status",
            ),
        ),
    ]
