"""Incidents: many people hit by the same problem at once (a burst of alike posts or the policy's
crisis rule opens one). Conversations about it point at the incident, so the desk can treat them as
one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from socialdesk.conversations.models import Conversation, Message
from socialdesk.outbox.models import Post
from socialdesk.workspaces.models import Workspace


class IncidentStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class DetectedBy(models.TextChoices):
    # The policy's crisis rule: many negative conversations of one triage category in its window.
    CRISIS_RULE = "crisis_rule", "Crisis rule"
    # A burst of posts alike one another, above the workspace's usual rate (incidents.detection).
    BURST = "burst", "Burst of similar posts"


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
    detected_by = models.CharField(max_length=12, choices=DetectedBy.choices, default=DetectedBy.CRISIS_RULE)
    # The city most of its posts name, when it is a local problem ("" when it is everywhere).
    place = models.CharField(max_length=100, blank=True)
    # A draft of what people report, for the lead (internal: quotes customers).
    summary = models.TextField(blank=True)
    # The latest post linked to it: a burst incident takes in alike posts while this is recent.
    last_post_at = models.DateTimeField(null=True, blank=True)
    # The usual post's e5 vector when it opened (float32 bytes): its posts are compared after
    # subtracting it, so that words every post shares do not make them alike.
    centre = models.BinaryField(blank=True, default=b"")

    class Meta:
        constraints = [
            # Concurrent workers cannot open two crisis-rule incidents for the same category (burst
            # incidents are opened under a lock on the workspace: incidents.detection).
            models.UniqueConstraint(
                fields=["workspace", "category"],
                condition=Q(status="open", detected_by="crisis_rule"),
                name="one_open_incident_per_category",
            )
        ]

    def __str__(self) -> str:
        return self.title


class PostMeaning(models.Model):
    """A post's e5 vector, kept once computed: incident detection embeds posts only around a burst,
    and compares each later post with the incident's posts without embedding them again."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField()
    vector = models.BinaryField()  # float32 bytes

    class Meta:
        indexes = [models.Index(fields=["workspace", "sent_at"], name="meaning_by_time")]

    def __str__(self) -> str:
        return f"meaning of message {self.message_id}"


class Bulletin(models.Model):
    """What the brand tells everyone about an incident, in one language: the first bulletin, then
    updates (which continue its thread on each network), then the "fixed" message. A draft until a
    lead publishes it; published text is never edited (a correction is an update)."""

    class Kind(models.TextChoices):
        BULLETIN = "bulletin", "Bulletin"
        UPDATE = "update", "Update"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="bulletins")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BULLETIN)
    language = models.CharField(max_length=8)
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    # One post per brand account it went to (through the outbox).
    posts = models.ManyToManyField(Post, blank=True, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["incident", "published_at"], name="bulletin_published")]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} ({self.language})"


class AnswerHow(models.TextChoices):
    POINTER = "pointer", "Replied with a pointer to the bulletin"
    COVERED = "covered", "Covered by the bulletin"
    FIXED = "fixed", "Told it is fixed"
    HELD = "held", "Held back by the automatic-message gate"


class IncidentAnswer(models.Model):
    """How one linked conversation was answered for the incident, once per stage (`fixed` is the
    resolve stage; the others the bulletin stage), so answering everyone twice answers nobody twice."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="answers")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=10)  # "bulletin" or "fixed"
    how = models.CharField(max_length=10, choices=AnswerHow.choices)
    reason = models.CharField(max_length=300, blank=True)
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "conversation", "stage"], name="one_answer_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.how}"


class BulkResolution(models.Model):
    """The conversations an incident's end resolved in one go, with what they were before, so a lead
    can undo it."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="bulk_resolutions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    # [[conversation id, status before, resolved_at before (ISO) or null], ...]
    before = models.JSONField(default=list)
    undone_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"resolution {self.pk} of incident {self.incident_id}"
