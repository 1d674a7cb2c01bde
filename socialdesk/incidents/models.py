"""Incidents: many people hit by the same problem at once (the policy's crisis rule opens one).
Conversations about it point at the incident, so the desk can treat them as one."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from socialdesk.workspaces.models import Workspace


class IncidentStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class Incident(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="incidents")
    title = models.CharField(max_length=200)
    # The category the crisis rule counted ("" when the policy counts every category together).
    category = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.OPEN)
    opened_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    conversation_count = models.PositiveIntegerField(default=0)
    # What customers may read about it (templates' {incident_public} and {incident_link}); the title
    # above is the desk's own name for it and never goes out.
    public_text = models.CharField(max_length=280, blank=True)
    public_url = models.URLField(max_length=500, blank=True)

    class Meta:
        constraints = [
            # Concurrent workers cannot open two incidents for the same problem.
            models.UniqueConstraint(
                fields=["workspace", "category"],
                condition=Q(status="open"),
                name="one_open_incident_per_category",
            )
        ]

    def __str__(self) -> str:
        return self.title
