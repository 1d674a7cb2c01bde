"""Contacts (one person across networks), conversations and their messages."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from socialdesk.channels.models import Channel
from socialdesk.workspaces.models import Team, Workspace


class Contact(models.Model):
    """One person. Handles on several networks point here; a merged contact points at its survivor."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="contacts")
    display_name = models.CharField(max_length=200, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Erased at the person's request (socialdesk.privacy): the name is a pseudonym, the handles are gone.
    erased_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.display_name or f"contact {self.pk}"


class ContactHandle(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="handles")
    network = models.CharField(max_length=16)
    network_user_id = models.CharField(max_length=200)
    handle = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "network", "network_user_id"], name="one_handle_per_network_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.network}:{self.handle or self.network_user_id}"


class Status(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    PENDING = "pending", "Pending"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


class Priority(models.IntegerChoices):
    LOW = 1, "Low"
    NORMAL = 2, "Normal"
    HIGH = 3, "High"
    URGENT = 4, "Urgent"


class Tag(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=60)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="tag_name_per_workspace")]

    def __str__(self) -> str:
        return self.name


class Conversation(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="conversations")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="conversations")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="conversations")
    # How later messages find this conversation: `root:<network id>` (public threads), `dm:<handle>` (DMs).
    thread_key = models.CharField(max_length=250)
    is_private = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    tags = models.ManyToManyField(Tag, blank=True, related_name="conversations")
    subject = models.CharField(max_length=200, blank=True)
    message_count = models.PositiveIntegerField(default=0)
    first_inbound_at = models.DateTimeField()
    last_inbound_at = models.DateTimeField()
    last_message_at = models.DateTimeField()
    # The customer's oldest message no agent has answered yet (automatic messages do not answer);
    # None when nobody waits. `waiting` says the same for the index (see conversations.waiting).
    waiting = models.BooleanField(default=False)
    waiting_since = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # What triage found, as the policy sees it (from the messages so far).
    language = models.CharField(max_length=8, blank=True)
    sentiment = models.CharField(max_length=10, blank=True)
    intent = models.CharField(max_length=12, blank=True)
    category = models.CharField(max_length=60, blank=True)
    legal_threat = models.BooleanField(default=False)
    has_personal_data = models.BooleanField(default=False)
    needs_response = models.BooleanField(default=False)
    priority_score = models.PositiveSmallIntegerField(default=0, help_text="Triage's 0-100, highest message.")
    # The policy at work: due times (business hours applied), acknowledgment, escalation.
    policy_version = models.PositiveIntegerField(null=True, blank=True)
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    next_response_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    sla_warned_at = models.DateTimeField(null=True, blank=True)
    ack_due_at = models.DateTimeField(null=True, blank=True)
    ack_sent_at = models.DateTimeField(null=True, blank=True)
    ack_skipped = models.CharField(max_length=200, blank=True, help_text="Why no acknowledgment was sent.")
    still_working_sent_at = models.DateTimeField(null=True, blank=True)
    automation_log = models.JSONField(
        default=list,
        blank=True,
        help_text="Each automatic message the desk sent or held back here: kind, time, sent, reason.",
    )
    requires_approval = models.BooleanField(default=False)
    # Questions to a brand account that the policy answers from the support account.
    reply_channel = models.ForeignKey(
        Channel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The incident this conversation is part of (many people, one problem).
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    # Set when this conversation held replies whose parent arrived later, in another conversation: its
    # messages moved there and this one was closed (`conversations.merging`).
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Its texts and the customer's identity removed (an erasure, or the policy's retention): only
    # labels, times and counts are left, for the reports.
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # At most one live conversation per thread: concurrent workers cannot split a thread in two.
            models.UniqueConstraint(
                fields=["channel", "thread_key"],
                condition=~Q(status="closed"),
                name="one_live_conversation_per_thread",
            )
        ]
        indexes = [
            # The inbox orders by last message, then id: both in the index, so no sort. Every column a
            # filter reads follows, so filtering the list and counting live conversations per status
            # never touch the table (one index, so SQLite cannot pick a narrower one that does).
            models.Index(
                fields=[
                    "workspace",
                    "status",
                    "-last_message_at",
                    "-id",
                    "sentiment",
                    "intent",
                    "language",
                    "priority",
                    "category",
                    "team",
                    "assignee",
                    "channel",
                    "incident",
                    "first_response_at",
                    "first_response_due_at",
                    "next_response_due_at",
                ],
                name="conv_inbox_status",
            ),
            models.Index(fields=["workspace", "-last_message_at", "-id"], name="conv_inbox_recent"),
            # The default order (inbox.ORDERS["waiting"]): whoever waits, longest first, then the rest by
            # last message. `waiting` first so NULL times (sorted first on SQLite, last on PostgreSQL)
            # only ever meet each other.
            models.Index(
                fields=["workspace", "-waiting", "waiting_since", "-last_message_at", "-id"],
                name="conv_inbox_waiting",
            ),
            models.Index(
                fields=["workspace", "status", "-waiting", "waiting_since", "-last_message_at", "-id"],
                name="conv_inbox_waiting_status",
            ),
            models.Index(fields=["ack_due_at"], name="conv_ack_due", condition=Q(ack_sent_at__isnull=True)),
            # Crisis detection counts recent negative conversations per category.
            models.Index(
                fields=["workspace", "sentiment", "category", "first_inbound_at"], name="conv_crisis"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"


class Direction(models.TextChoices):
    INBOUND = "in", "Inbound"
    OUTBOUND = "out", "Outbound"


class DeliveryStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    AWAITING_APPROVAL = "approval", "Awaiting approval"
    # Sent back by an approver with a note: a draft its author edits and resubmits, or discards.
    RETURNED = "returned", "Returned to its author"
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Message(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    is_private = models.BooleanField(default=False)
    kind = models.CharField(max_length=16)
    # Network ids; blank for an outbound message until the network accepted it.
    network_message_id = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001 (NULLs are not unique)
    in_reply_to = models.CharField(max_length=200, blank=True)
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_handle = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(help_text="When the author posted it (network time).")
    ingested_at = models.DateTimeField(auto_now_add=True)
    raw_event = models.ForeignKey(
        "ingest.RawEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    delivery_status = models.CharField(max_length=10, choices=DeliveryStatus.choices)
    delivery_error = models.TextField(blank=True)
    # Four eyes: why the reply was held, and who approved or returned it (the last review; every
    # review is also in the conversation's activity log).
    held_reason = models.CharField(max_length=300, blank=True)
    # Think twice: the reply waits in the outbox until then, and its author may undo or edit it.
    undo_until = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    # Sent by the desk itself (acknowledgments, follow-ups), not by an agent.
    automatic = models.BooleanField(default=False)
    automatic_reason = models.CharField(
        max_length=300, blank=True, help_text="Why the desk sent this on its own (automatic messages)."
    )
    hidden = models.BooleanField(default=False)
    deleted = models.BooleanField(default=False)
    language = models.CharField(max_length=8, blank=True)
    sentiment = models.CharField(max_length=10, blank=True)
    intent = models.CharField(max_length=12, blank=True)
    category = models.CharField(max_length=60, blank=True)
    personal_data = models.JSONField(default=list, blank=True)
    # The text as pages, the API and the search index see it when it holds what the desk must not
    # show (card numbers, national ids, the policy's patterns; see conversations.masking). None: nothing
    # masked. `text` stays as written, for the network and for an audited reveal.
    masked_text = models.TextField(null=True, blank=True)  # noqa: DJ001 (None: nothing masked)
    # Hidden for exposing personal data: its text leaves the search index entirely.
    search_excluded = models.BooleanField(default=False)
    legal_threat = models.BooleanField(default=False)
    abusive = models.BooleanField(default=False)
    needs_response = models.BooleanField(default=False)
    priority_score = models.PositiveSmallIntegerField(default=0)
    # Scores behind the labels: sentiment probabilities, complaint/offensive scores, category
    # similarity, language confidence and mix, personal-data spans, which path ran.
    triage = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "network_message_id"], name="one_message_per_network_id"
            )
        ]
        indexes = [
            models.Index(fields=["conversation", "sent_at"], name="msg_thread"),
            # Replies waiting for a parent that had not arrived: the parent, once here, finds them.
            models.Index(fields=["channel", "in_reply_to"], name="msg_awaited_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.network_message_id}"


class PersonalDataReveal(models.Model):
    """Someone read a message's masked personal data as written: who, when, which message."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reveals")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["workspace", "created_at"], name="reveal_audit")]

    def __str__(self) -> str:
        return f"{self.actor_id} read message {self.message_id}"


class ModerationAction(models.TextChoices):
    HIDE = "hide", "Hide"
    DELETE = "delete", "Delete"


class ModerationLog(models.Model):
    """Every hide or delete, with the policy reason that allowed it: the audit trail."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="moderation_log")
    action = models.CharField(max_length=8, choices=ModerationAction.choices)
    reason = models.CharField(max_length=60)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    policy_version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.action} message {self.message_id} ({self.reason})"


class AlertKind(models.TextChoices):
    SLA_WARNING = "sla_warning", "Response target about to be missed"
    ESCALATION = "escalation", "Escalated by policy"


class Alert(models.Model):
    """Something a lead, legal or the assignee must see now."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=16, choices=AlertKind.choices)
    roles = models.JSONField(default=list, blank=True)
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "kind", "text"], name="one_alert_per_reason")
        ]

    def __str__(self) -> str:
        return self.text


class Note(models.Model):
    """An internal note on a conversation: agents only, never sent anywhere."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["conversation", "created_at"], name="note_thread")]

    def __str__(self) -> str:
        return f"note on {self.conversation_id}"


class Activity(models.Model):
    """What agents did to a conversation (assignment, status, tags), shown in its timeline."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="activities")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["conversation", "created_at"], name="activity_thread")]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return f"{self.action} {self.detail}"


class SavedView(models.Model):
    """A named inbox filter of one user (the query string of the inbox)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="view_name_per_user")]

    def __str__(self) -> str:
        return self.name


class Presence(models.Model):
    """Who has a conversation open, and when they last typed in its composer (collision detection)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()
    typing_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="one_presence_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.conversation_id}"
