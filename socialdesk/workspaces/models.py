"""Workspaces (one brand each), their members with roles, and teams."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    AGENT = "agent", "Agent"
    LEAD = "lead", "Lead"
    ADMIN = "admin", "Admin"
    LEGAL = "legal", "Legal"


class Workspace(models.Model):
    """A brand. An install hosts many; every query is scoped to one."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, default="UTC")
    automation_enabled = models.BooleanField(
        default=True,
        help_text="Send the policy's automatic messages. Off: nothing is sent, the timers keep running.",
    )
    two_factor_required = models.BooleanField(
        default=False,
        help_text="Members must sign in with a second factor; one without a device enrols first.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.AGENT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "user"], name="one_membership_per_user")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.workspace} ({self.role})"


class Team(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="teams")
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="teams")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "slug"], name="team_slug_per_workspace")]

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A personal token for the REST API (scripts, integrations): it acts as its user. Only a
    SHA-256 digest is stored; the token itself is shown once, when it is made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to tell tokens apart.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
