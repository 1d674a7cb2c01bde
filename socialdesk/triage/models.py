"""What agents teach triage: corrections, and the category models retrained from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CorrectionField(models.TextChoices):
    CATEGORY = "category"
    INTENT = "intent"
    SENTIMENT = "sentiment"
    LANGUAGE = "language"


class TriageCorrection(models.Model):
    """An agent said triage got a field wrong on a message: the message text is a new example."""

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey("conversations.Message", on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(max_length=12, choices=CorrectionField.choices)
    old_value = models.CharField(max_length=60, blank=True)
    new_value = models.CharField(max_length=60)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    corrected_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["workspace", "field", "corrected_at"])]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value or '-'} -> {self.new_value}"


class CategoryModel(models.Model):
    """Examples the category classifier of a workspace uses: the policy's plus agents' corrections
    at the time of training. e5 vectors are kept when the accurate path was trained."""

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE, related_name="+")
    policy_version = models.PositiveIntegerField()
    trained_at = models.DateTimeField()
    examples = models.JSONField(default=list)  # [[code, text], ...]
    from_policy = models.PositiveIntegerField(default=0)
    from_corrections = models.PositiveIntegerField(default=0)
    e5_vectors = models.BinaryField(null=True, blank=True)  # float16, one row per example

    class Meta:
        indexes = [models.Index(fields=["workspace", "-trained_at"])]

    def __str__(self) -> str:
        return f"categories of workspace {self.workspace_id} @ {self.trained_at:%Y-%m-%d %H:%M}"
