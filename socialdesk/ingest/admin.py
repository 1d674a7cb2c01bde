from django.contrib import admin

from socialdesk.ingest.models import RawEvent


@admin.register(RawEvent)
class RawEventAdmin(admin.ModelAdmin[RawEvent]):
    list_display = ("pk", "channel", "event_id", "status", "received_at", "processed_at")
    list_filter = ("status",)
