"""Policy versions: every saved policy file is kept; one version per workspace is active."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from socialdesk.workspaces.models import Workspace


class PolicyVersion(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="policy_versions")
    number = models.PositiveIntegerField()
    label = models.CharField(max_length=100, help_text="The policy file's own `version`.")
    source = models.TextField(help_text="The YAML exactly as saved.")
    is_active = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "number"], name="policy_version_number"),
            models.UniqueConstraint(
                fields=["workspace"], condition=Q(is_active=True), name="one_active_policy"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workspace} policy v{self.number} ({self.label})"
