"""Reporting facts, written as rows when they happen (a customer's message, a response, a resolution,
a response target met or missed, a rating), and hourly rollups kept up to date as each fact arrives so
that a report reads a few thousand small rows instead of scanning conversations.

Conversations, channels, teams and incidents are named by string (their packages sit above this one,
and a fact outlives what it describes: a deleted channel leaves its numbers in last month's report)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from socialdesk.workspaces.models import Workspace


class FactKind(models.TextChoices):
    INBOUND = "inbound", "Customer message"
    OPENED = "opened", "Conversation opened"
    RESPONSE = "response", "Agent response"
    FIRST_RESPONSE = "first_response", "First response"
    RESOLUTION = "resolution", "Resolution"
    REOPEN = "reopen", "Reopened"
    SLA = "sla", "Response target met or missed"
    AUTOMATIC = "automatic", "Automatic message"
    BULLETIN = "bulletin", "Bulletin published"
    CSAT = "csat", "Satisfaction rating"


class Target(models.TextChoices):
    FIRST_RESPONSE = "first_response", "First response"
    NEXT_RESPONSE = "next_response", "Next response"
    RESOLUTION = "resolution", "Resolution"


# The ways people slice a report. Each fact adds to one rollup row per dimension (plus "all"), so a
# report by agent or by priority reads only that dimension's rows.
DIMENSIONS = (
    "all",
    "network",
    "channel",
    "team",
    "agent",
    "category",
    "intent",
    "language",
    "priority",
    "sentiment",
    "incident",
)


class Fact(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=FactKind.choices)
    at = models.DateTimeField()
    # Makes recording idempotent: a job or a retried task that records the same event twice adds once.
    key = models.CharField(max_length=120)
    conversation = models.ForeignKey(
        "conversations.Conversation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Dimensions, as they stood when the fact happened.
    network = models.CharField(max_length=16, blank=True)
    channel = models.ForeignKey(
        "channels.Channel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey(
        "workspaces.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.CharField(max_length=60, blank=True)
    intent = models.CharField(max_length=12, blank=True)
    language = models.CharField(max_length=8, blank=True)
    priority = models.PositiveSmallIntegerField(null=True, blank=True)
    sentiment = models.CharField(max_length=10, blank=True)
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Measures: how long it took (wall clock and business hours only), whether a target was met,
    # a satisfaction score (1-5).
    target = models.CharField(max_length=16, blank=True, choices=Target.choices)
    seconds = models.FloatField(null=True, blank=True)
    business_seconds = models.FloatField(null=True, blank=True)
    met = models.BooleanField(null=True, blank=True)
    # Met when measured in wall-clock time against the target's minutes (a business-hours target can
    # be met in business time and still have kept the customer waiting overnight).
    met_wall = models.BooleanField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "key"], name="one_fact_per_key")]
        indexes = [
            # Percentiles read the durations of one kind in a period, and by agent, team or network,
            # straight from this index (no table read per fact: bench reports halved on PostgreSQL).
            models.Index(
                fields=[
                    "workspace",
                    "kind",
                    "at",
                    "seconds",
                    "business_seconds",
                    "agent",
                    "team",
                    "network",
                    "score",
                ],
                name="fact_period_covering",
            ),
            models.Index(fields=["conversation", "kind"], name="fact_conversation"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


class Rollup(models.Model):
    """The sum of a kind's facts in one UTC hour for one value of one dimension (hours shift to any
    whole-hour time zone; a report in the workspace's zone regroups them by local day or hour)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=FactKind.choices)
    target = models.CharField(max_length=16, blank=True)
    dimension = models.CharField(max_length=12)
    value = models.CharField(max_length=60, blank=True)
    count = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    business_seconds = models.FloatField(default=0)
    met = models.PositiveIntegerField(default=0)
    met_wall = models.PositiveIntegerField(default=0)
    # Facts that carried a score (CSAT), and their sum.
    scored = models.PositiveIntegerField(default=0)
    score = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "dimension", "kind", "target", "hour", "value"], name="one_rollup_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.dimension}={self.value} {self.hour:%Y-%m-%d %H}h: {self.count}"


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class ReportSchedule(models.Model):
    """Reports mailed on a schedule: daily or on one weekday, at a local time of day in the workspace's
    zone, to chosen members and/or plain addresses (issue 17)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80)
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY)
    weekday = models.PositiveSmallIntegerField(null=True, blank=True)  # 0 Monday .. 6 Sunday; weekly only
    time_of_day = models.TimeField()
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    emails = models.JSONField(default=list, blank=True)
    reports = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    # Slots before this moment are never sent: a schedule made (or moved) at 10:00 for 09:00 waits
    # for tomorrow instead of mailing at once.
    starts_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class SendStatus(models.TextChoices):
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class ScheduleSend(models.Model):
    """One mailing of a schedule. A scheduled one is unique per schedule and local day of its slot:
    the row is the claim, so a job run twice or on two machines sends once. Tests ("send now") are
    recorded too, without a slot."""

    schedule = models.ForeignKey(ReportSchedule, on_delete=models.CASCADE, related_name="sends")
    slot_day = models.DateField(null=True, blank=True)  # local date of the slot; None for a test
    test = models.BooleanField(default=False)
    first_day = models.DateField()
    last_day = models.DateField()
    at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=SendStatus.choices, default=SendStatus.SENDING)
    # A send that reached nobody (the SMTP server down) is tried again a few times, after a pause.
    attempts = models.PositiveSmallIntegerField(default=1)
    recipients = models.JSONField(default=list)
    error = models.CharField(max_length=500, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "slot_day"],
                condition=models.Q(test=False),
                name="one_send_per_slot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.schedule} {self.slot_day or 'test'}: {self.status}"


class CsatSurvey(models.Model):
    """The one satisfaction question a resolved conversation may get: the gate's decision (asked, or
    held back and why) and the customer's answer. One row per conversation, created when the decision
    is made, so a tick run twice (or on two machines) never asks twice."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    conversation = models.OneToOneField(
        "conversations.Conversation", on_delete=models.CASCADE, related_name="csat_survey"
    )
    decided_at = models.DateTimeField()
    # Null when the gate held the question back (`reason` says why).
    asked_at = models.DateTimeField(null=True, blank=True)
    # A rating is read from the customer's messages until then (the policy's csat.answer_days).
    answer_until = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    language = models.CharField(max_length=8, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    answer = models.ForeignKey(
        "conversations.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["workspace", "answered_at"], name="csat_answered")]

    def __str__(self) -> str:
        return f"CSAT #{self.conversation_id}: {self.score or '-'}"
