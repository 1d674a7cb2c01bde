"""Raw inbound events exactly as a network delivered them: the durable start of the pipeline."""

from __future__ import annotations

from django.db import models

from socialdesk.channels.models import Channel


class EventStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PROCESSED = "processed", "Processed"
    IGNORED = "ignored", "Ignored (event type not handled)"
    FAILED = "failed", "Failed (payload invalid)"
    QUARANTINED = "quarantined", "Quarantined (processing kept failing)"


class RawEvent(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="raw_events")
    # The network's own id for the event: the same delivery twice is the same row.
    event_id = models.CharField(max_length=200)
    payload = models.JSONField()
    received_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=EventStatus.choices, default=EventStatus.PENDING)
    processed_at = models.DateTimeField(null=True, blank=True)
    # Processing attempts that raised; at `pipeline.MAX_ATTEMPTS` the event is quarantined.
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    # The payload was deleted (retention, or its contact erased); the row stays so that the same
    # delivery arriving again is still recognised and dropped.
    payload_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "event_id"], name="one_raw_event_per_id")]
        indexes = [models.Index(fields=["status", "received_at"], name="raw_event_queue")]

    def __str__(self) -> str:
        return f"{self.channel_id}:{self.event_id} ({self.status})"
