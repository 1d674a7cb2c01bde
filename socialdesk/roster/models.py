"""A member's availability (status, capacity, skills), weekly shifts and their exceptions, and the
automatic assignments made (so a manual assignment is told apart and always wins)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from socialdesk.workspaces.models import Workspace


class Status(models.TextChoices):
    ONLINE = "online", "Online"
    AWAY = "away", "Away"
    OFFLINE = "offline", "Offline"


class StatusSource(models.TextChoices):
    MANUAL = "manual", "Set by hand"
    ACTIVITY = "activity", "From activity"


class Availability(models.Model):
    """One per member and workspace, made on first need. Empty skill lists mean "any"."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OFFLINE)
    status_source = models.CharField(
        max_length=8, choices=StatusSource.choices, default=StatusSource.ACTIVITY
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    last_active_at = models.DateTimeField(null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Open conversations at once; empty: the policy's default."
    )
    languages = models.JSONField(default=list, blank=True, help_text="ISO 639-1 codes; empty: any.")
    networks = models.JSONField(default=list, blank=True, help_text="Network names; empty: any.")
    categories = models.JSONField(default=list, blank=True, help_text="Policy category codes; empty: any.")
    last_assigned_at = models.DateTimeField(null=True, blank=True)
    abusive_in_a_row = models.PositiveSmallIntegerField(
        default=0, help_text="Abusive conversations assigned one after another (reset by a calm one)."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="one_availability_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.workspace}: {self.status}"


class Shift(models.Model):
    """A weekly working window in the member's own time zone (ends after starts; a night shift is two
    rows). Exceptions replace the week for one date."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(help_text="0 Monday … 6 Sunday.")
    starts = models.TimeField()
    ends = models.TimeField()
    timezone = models.CharField(max_length=64, help_text="IANA zone, e.g. Europe/Madrid.")

    class Meta:
        ordering = ["weekday", "starts"]
        indexes = [models.Index(fields=["workspace", "user"], name="shift_member")]

    def __str__(self) -> str:
        return f"{self.user} weekday {self.weekday} {self.starts:%H:%M}-{self.ends:%H:%M} {self.timezone}"


class ShiftException(models.Model):
    """One date that differs from the week: a day off (no hours), or other hours that day."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    starts = models.TimeField(null=True, blank=True)
    ends = models.TimeField(null=True, blank=True)
    timezone = models.CharField(max_length=64)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["day", "starts"]
        indexes = [models.Index(fields=["workspace", "user", "day"], name="shift_exception_day")]

    def __str__(self) -> str:
        return f"{self.user} on {self.day}: {self.note or 'other hours'}"


class AutoAssignment(models.Model):
    """An assignment the desk made. The conversation's assignee still being this user is what tells an
    automatic assignment from a manual one (a person's choice is never undone)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey("conversations.Conversation", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()
    abusive = models.BooleanField(default=False)
    reason = models.CharField(max_length=200)

    class Meta:
        indexes = [
            models.Index(fields=["conversation", "-at"], name="auto_assignment_latest"),
            models.Index(fields=["workspace", "user", "-at"], name="auto_assignment_member"),
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id} → {self.user} ({self.reason})"
