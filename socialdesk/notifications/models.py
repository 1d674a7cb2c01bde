"""What the desk told whom: the event (`Notification`), one `Delivery` per recipient and medium (a
member in the desk or by email, or one of the workspace's webhooks), each sending `Attempt`, the
members' choices (`Preference`) and the workspace's outgoing `Webhook`s."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from socialdesk.conversations.models import Conversation
from socialdesk.crypto import EncryptedJSONField
from socialdesk.workspaces.models import Workspace


class Kind(models.TextChoices):
    LEGAL_ESCALATION = "legal_escalation", "Legal escalation"
    ESCALATION = "escalation", "Escalation by the policy"
    APPROVAL_WAITING = "approval_waiting", "Reply waiting for approval"
    SLA_WARNING = "sla_warning", "Response target about to be missed"
    SLA_BREACH = "sla_breach", "Response target missed"
    INCIDENT_OPENED = "incident_opened", "Incident opened"
    SPIKE = "spike", "Spike in posts"
    TEST = "test", "Webhook test"


# What members and webhooks choose among: a test goes only to the webhook it was asked for.
CHOOSABLE_KINDS = tuple(k for k in Kind if k != Kind.TEST)


class Medium(models.TextChoices):
    IN_APP = "in_app", "In the desk"
    EMAIL = "email", "Email"
    WEBHOOK = "webhook", "Webhook"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Delivered"
    FAILED = "failed", "Failed"


class Notification(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)  # a path in the desk, e.g. /c/12/
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # By name: incidents sit above this package (they call notify), so it cannot import their models.
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Makes an event idempotent when its caller may run twice (a job, a retried task); "" for none.
    key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "key"], condition=~Q(key=""), name="one_notification_per_key"
            )
        ]
        indexes = [models.Index(fields=["conversation", "kind", "created_at"], name="notification_about")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}"


class Webhook(models.Model):
    """An outgoing webhook of a workspace (Slack's incoming webhooks accept its body as it is)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80)
    # {"url": ..., "secret": ...}: a Slack webhook URL is itself a credential, so both are encrypted.
    target = EncryptedJSONField()
    kinds = models.JSONField(default=list, blank=True)  # empty: every kind
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    @property
    def url(self) -> str:
        return str(self.target.get("url", ""))

    def wants(self, kind: str) -> bool:
        return self.active and (not self.kinds or kind in self.kinds)


class Delivery(models.Model):
    """One recipient of one notification in one medium; email and webhook deliveries are sent by
    `sending` (claimed with a lease, retried with backoff), in-app ones are delivered when made."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    medium = models.CharField(max_length=8, choices=Medium.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    webhook = models.ForeignKey(Webhook, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)  # in-app only

    class Meta:
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(
                fields=["user", "-created_at"], name="notification_inbox", condition=Q(medium="in_app")
            ),
            models.Index(fields=["next_attempt_at"], name="notification_due", condition=Q(status="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.medium} delivery of {self.notification_id} ({self.status})"


class Attempt(models.Model):
    """One try at sending an email or calling a webhook: what answered, and when."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)  # HTTP status or SMTP reply
    ok = models.BooleanField()
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"attempt at {self.at:%Y-%m-%d %H:%M:%S}: {self.status_code} {self.error}"


class Preference(models.Model):
    """A member's choice for one kind; without a row the role's default applies (`audience`)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    in_app = models.BooleanField()
    email = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: in_app={self.in_app} email={self.email}"
