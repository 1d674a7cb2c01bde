"""The privacy audit log: who exported or erased which contact and when, and what each retention sweep
removed. An entry names the contact by number, not by key: it must survive the erasure it records."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from socialdesk.workspaces.models import Workspace


class AuditAction(models.TextChoices):
    EXPORT = "export", "Contact exported"
    ERASE = "erase", "Contact erased"
    RETENTION = "retention", "Retention sweep"


class AuditEntry(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=12, choices=AuditAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who, in words, even once the account is gone: a username, "command line (…)" or "retention job".
    actor_name = models.CharField(max_length=150)
    contact_id = models.PositiveIntegerField(null=True, blank=True)
    # What was exported, erased or swept, as numbers (never text about the person).
    counts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["workspace", "created_at"], name="privacy_audit")]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_name} at {self.created_at:%Y-%m-%d %H:%M}"
