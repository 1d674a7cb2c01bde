from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from socialdesk.ingest.models import EventStatus, RawEvent


@admin.register(RawEvent)
class RawEventAdmin(admin.ModelAdmin[RawEvent]):
    list_display = (
        "pk",
        "channel",
        "event_id",
        "status",
        "attempts",
        "received_at",
        "processed_at",
        "last_error",
    )
    list_filter = ("status",)
    readonly_fields = ("attempts", "error", "processed_at")
    actions = ("back_to_queue",)

    @admin.display(description="error")
    def last_error(self, raw: RawEvent) -> str:
        lines = raw.error.strip().splitlines()
        return lines[-1][:120] if lines else ""

    @admin.action(description="Put back in the queue (quarantined or failed events, attempts from zero)")
    def back_to_queue(self, request: HttpRequest, queryset: QuerySet[RawEvent]) -> None:
        # The worker or the sweep picks them up (`socialdesk events replay` processes them at once).
        count = queryset.filter(status__in=[EventStatus.QUARANTINED, EventStatus.FAILED]).update(
            status=EventStatus.PENDING, attempts=0, error="", processed_at=None
        )
        self.message_user(request, f"{count} event(s) back in the queue", messages.SUCCESS)
