"""Connected social accounts (channels) and the sandbox network's own store of what was sent to it."""

from __future__ import annotations

from typing import Any

from django.db import models

from socialdesk.channels.registry import network_choices, stands_in_for_others
from socialdesk.crypto import EncryptedJSONField
from socialdesk.workspaces.models import Workspace


class AccountRole(models.TextChoices):
    BRAND = "brand", "Brand account"
    SUPPORT = "support", "Support account"


class Channel(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="channels")
    network = models.CharField(max_length=16, choices=network_choices)
    account_role = models.CharField(max_length=8, choices=AccountRole.choices, default=AccountRole.BRAND)
    handle = models.CharField(max_length=200)
    name = models.CharField(max_length=200, blank=True)
    # Tokens and app secrets; encrypted at rest, never rendered back to a page.
    credentials = EncryptedJSONField(default=dict, blank=True)
    # Non-secret settings; for the sandbox `simulates` names the network it stands in for.
    config = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "network", "handle", "account_role"], name="one_channel_per_account"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_network_display()} {self.handle} ({self.account_role})"

    @property
    def effective_network(self) -> str:
        """The network whose rules apply: the simulated one for sandbox channels."""
        simulated: Any = self.config.get("simulates") if stands_in_for_others(self.network) else None
        return str(simulated) if simulated else str(self.network)


class SandboxDelivery(models.Model):
    """What the sandbox network 'received' from the desk: replies, DMs. Unique per idempotency key."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="sandbox_deliveries")
    idempotency_key = models.CharField(max_length=100, unique=True)
    network_message_id = models.CharField(max_length=100, unique=True)
    in_reply_to = models.CharField(max_length=200, blank=True)
    is_private = models.BooleanField(default=False)
    recipient = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    delivered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "sandbox deliveries"

    def __str__(self) -> str:
        return f"{self.network_message_id} -> {self.recipient}"


class WebhookDelivery(models.Model):
    """A digest of every accepted webhook body: the same body again is a replay and is refused.
    Written in the transaction that stores its events, so a delivery is either wholly taken or not."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "digest"], name="one_webhook_delivery_per_body")
        ]
        indexes = [models.Index(fields=["received_at"], name="webhook_delivery_age")]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.channel_id}:{self.digest[:12]}"
