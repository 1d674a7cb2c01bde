"""The outbox: every reply, private message and moderation action the desk sends to a network is a
row here first, written in the transaction that decided it. A sender claims the row, calls the
network, and records the outcome; retries, rate limits and crashes are handled on the row."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from socialdesk.channels.models import Channel
from socialdesk.conversations.models import Message
from socialdesk.workspaces.models import Workspace


class OutboxKind(models.TextChoices):
    REPLY = "reply", "Public reply"
    PRIVATE = "private", "Private message"
    HIDE = "hide", "Hide"
    DELETE = "delete", "Delete"
    POST = "post", "Post on the brand's account"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    # The sender stopped mid-send and the network cannot be asked whether it arrived: an agent
    # checks before anything is sent again (never twice beats never lost, silently).
    UNCERTAIN = "uncertain", "Check on the network"


class Post(models.Model):
    """A post the brand publishes on its own account (an incident bulletin), outside any conversation.
    `continues` is the brand's own earlier post on the same account that this one answers, so an
    update stays in the bulletin's thread; its network id is read when this one is sent."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    continues = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    network_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"post {self.pk} on {self.channel_id}"


class OutboxItem(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=OutboxKind.choices)
    # The outbound message for replies; the customer's message for moderation; None for a post.
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="outbox"
    )
    post = models.OneToOneField(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="outbox")
    idempotency_key = models.CharField(max_length=80, unique=True)
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    network_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["next_attempt_at"], name="outbox_due", condition=Q(status="pending")),
            models.Index(fields=["claimed_until"], name="outbox_claimed", condition=Q(status="sending")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.idempotency_key} ({self.status})"
