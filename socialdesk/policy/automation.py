"""The one gate every automatic message passes: acknowledgments, 'still working' updates, the
satisfaction question after a resolution (and its thanks), and any bulk message later. The seeds'
first rule is to act like a human being, so the desk speaks on its own only where a person would: to
someone who needs an answer, in their language, while the promise is still true, and never to spam,
abuse, praise that asks nothing, legal threats or cases held for approval.

`acknowledgment`, `update` and `csat` return a `Verdict` and write nothing: the sender
(`policy.timers`) and the preview (`preview`) call the same functions, so what the preview lists is
what the desk would do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db.models import Count, Max, Q

from socialdesk.channels.registry import display_name
from socialdesk.channels.rules import private_message_refusal
from socialdesk.conversations.models import Conversation, DeliveryStatus, Direction, Message, Status
from socialdesk.errors import DeskError
from socialdesk.policy.actions import active_policy_version
from socialdesk.policy.checker import length_budget
from socialdesk.policy.clock import calendar_for, humanize_minutes
from socialdesk.policy.promises import expected_response
from socialdesk.policy.schema import AckTemplate, Policy
from socialdesk.policy.templates import choose_template, fill_template, written_in
from socialdesk.workspaces.actions import require_member
from socialdesk.workspaces.models import Workspace

LIVE = (Status.NEW, Status.OPEN, Status.PENDING)
ACKNOWLEDGMENT = "acknowledgment"
UPDATE = "update"
CSAT = "csat"
CSAT_THANKS = "csat_thanks"
MAX_PREVIEW_HOURS = 72


@dataclass(frozen=True)
class Verdict:
    """What the gate decided for one automatic message: sent at `at` or held back, and why."""

    kind: str
    at: datetime
    send: bool
    reason: str
    text: str = ""
    language: str = ""
    private: bool = False
    about: datetime | None = None  # updates: when the customer's message they answer was written

    def log_entry(self) -> dict[str, object]:
        return {"kind": self.kind, "at": self.at.isoformat(), "sent": self.send, "reason": self.reason}


@dataclass(frozen=True)
class History:
    """What the gate needs from a conversation's messages."""

    abusive: int
    automatic: int
    first: Message | None  # the customer's first and latest messages
    latest: Message | None
    last_human_reply_at: datetime | None
    last_outbound_at: datetime | None

    @property
    def first_kind(self) -> str:
        return self.first.kind if self.first else ""


def history(conversation: Conversation) -> History:
    messages = Message.objects.filter(conversation=conversation)
    inbound, outbound = Q(direction=Direction.INBOUND), Q(direction=Direction.OUTBOUND)
    # Held or failed replies never reached the customer: they are not an answer.
    delivered = outbound & ~Q(delivery_status__in=[DeliveryStatus.AWAITING_APPROVAL, DeliveryStatus.FAILED])
    counts = messages.aggregate(
        n_abusive=Count("pk", filter=inbound & Q(abusive=True)),
        n_automatic=Count("pk", filter=outbound & Q(automatic=True)),
        human=Max("sent_at", filter=delivered & Q(automatic=False)),
        last_out=Max("sent_at", filter=delivered),
    )
    customer = messages.filter(direction=Direction.INBOUND).only(
        "kind", "text", "triage", "is_private", "sent_at", "intent"
    )
    return History(
        abusive=counts["n_abusive"],
        automatic=counts["n_automatic"],
        first=customer.order_by("sent_at", "pk").first(),
        latest=customer.order_by("-sent_at", "-pk").first(),
        last_human_reply_at=counts["human"],
        last_outbound_at=counts["last_out"],
    )


# Offensive-model scores from here on are too close to call: a person decides.
OFFENSIVE_DOUBT = 0.40
# A post this positive (and more positive than negative) is praise or fun, whatever its intent label.
POSITIVE_DOUBT = 0.35


def _addressed_elsewhere(policy: Policy, message: Message) -> str | None:
    """A public post that opens by addressing another user ("@ana sushi tonight?") is customers talking
    to each other under the brand's post, not a request to the brand."""
    if message.is_private:
        return None
    first = message.text.lstrip().split(maxsplit=1)
    if not first or not first[0].startswith("@"):
        return None
    named = first[0].strip("@:,.!?").lower().split("@")[0]
    brand = {a.handle.strip("@").lower().split("@")[0] for a in policy.channels.accounts}
    return None if named in brand else f"addressed to @{named}, not to us"


def doubt(message: Message) -> str | None:
    """Why a person, not the desk, should decide about speaking to this message. Triage errs, and the
    costs are not even: a robot's reply to a troll, a spammer or a fan is worse than an
    acknowledgment left unsent, since a person answers within the policy's time anyway."""
    found = message.triage or {}
    flags = set(found.get("flags") or [])
    sentiment = found.get("sentiment_scores") or {}
    positive, negative = float(sentiment.get("positive", 0)), float(sentiment.get("negative", 0))
    if float(found.get("offensive_score", 0)) >= OFFENSIVE_DOUBT:
        return "may be offensive: a person decides"
    if "closes" in flags:
        return "the customer says it is sorted"
    if "cheerful" in flags:
        return "sounds like praise or fun, not a request"
    # Positive and naming no problem: praise, or (in comments under the brand's own posts) people
    # asking each other ("who has tried the new burger?"); a direct question to us still counts.
    asks_us = "question" in flags and message.kind != "comment"
    if positive >= POSITIVE_DOUBT and positive > negative and "problem" not in flags and not asks_us:
        return "sounds positive, not a request"
    if not message.is_private and not flags & {"question", "problem"}:
        return "no question or problem in a public post"
    return None


def refused(conversation: Conversation, past: History) -> str | None:
    """Why the desk never speaks on its own here, whatever the message (a resolved conversation's
    satisfaction question included), or None."""
    if conversation.requires_approval:
        return "replies here need a lead's approval"
    if conversation.legal_threat:
        return "legal threat: a person answers"
    if conversation.intent == "spam":
        return "spam"
    if conversation.intent == "abuse" or past.abusive:
        return "abusive messages: a person decides"
    return None


def never(policy: Policy, conversation: Conversation, past: History) -> str | None:
    """Why no automatic message may reach this conversation at all, or None."""
    if conversation.status not in LIVE:
        return "the conversation is closed"
    reason = refused(conversation, past)
    if reason is not None:
        return reason
    if conversation.intent in policy.first_contact.skip_intents:
        return f"the policy skips {conversation.intent}"
    if not conversation.needs_response:
        return "praise that asks nothing" if conversation.intent == "praise" else "needs no response"
    if past.first_kind == "post" and not policy.automation.listening:
        return "found by keyword listening: they did not write to us"
    if past.automatic >= policy.automation.max_per_conversation:
        return f"already {past.automatic} automatic message(s), the policy's most"
    if past.latest is not None and past.latest.intent in ("praise", "spam", "abuse"):
        return f"the customer's last message is {past.latest.intent}"
    return None


def _send_time(policy: Policy, due: datetime) -> datetime:
    """When a message due at `due` may go: then, or at the next opening when the policy keeps the desk
    quiet outside business hours."""
    if not policy.automation.business_hours_only:
        return due
    return calendar_for(policy.business_hours).add(due, 0)


def _too_late(policy: Policy, at: datetime, now: datetime) -> str | None:
    late = now - at
    window = policy.automation.catch_up_minutes
    if late > timedelta(minutes=window):
        return f"too late: due {int(late.total_seconds() // 60)} min ago (catch-up window {window} min)"
    return None


def _visibility(policy: Policy, conversation: Conversation, now: datetime) -> tuple[bool | None, str]:
    """(private?, reason if it cannot be sent), following the network's rules."""
    rules = policy.rules_for(conversation.channel.effective_network)
    wanted = policy.first_contact.visibility
    private = conversation.is_private if wanted == "same_as_message" else wanted == "private"
    if private and not conversation.is_private and rules.dm_eligibility != "anyone":
        # A public post does not open a private channel on this network: answer in public.
        private = False
    if not private and not rules.public_reply:
        private = True
    window = rules.messaging_window_hours
    if private and window and now - conversation.last_inbound_at > timedelta(hours=window):
        return None, f"outside the {window}-hour messaging window"
    return private, ""


def _compose(
    kind: str,
    policy: Policy,
    conversation: Conversation,
    templates: list[AckTemplate],
    at: datetime,
    why: str,
    zone: str,
    promised: datetime | None,
) -> Verdict:
    def hold(reason: str) -> Verdict:
        return Verdict(kind, at, False, reason)

    network = conversation.channel.effective_network
    language = conversation.language or "unknown"
    template = choose_template(policy, templates, language, network)
    if template is None:
        return hold(f"no {kind} template in the customer's language ({language})")
    private, reason = _visibility(policy, conversation, at)
    if private is None:
        return hold(reason)
    written = written_in(policy, template)
    promise = expected_response(promised, at, written, zone) if promised is not None else ""
    text = fill_template(template.text, policy, conversation, expected_response=promise)
    used, limit = length_budget(policy, text, network=network, private=private)
    if limit is not None and used > limit:
        return hold(f"the {kind} template is too long for {network} ({used} of {limit})")
    where = "privately" if private else "in public"
    return Verdict(kind, at, True, f"{why}; in {written}, {where}", text, written, private)


def acknowledgment(policy: Policy, conversation: Conversation, now: datetime, zone: str) -> Verdict:
    """The first-contact acknowledgment, as it would go at `now` (or at its due time, if later)."""
    due = conversation.ack_due_at or conversation.first_inbound_at
    at = max(now, _send_time(policy, due))
    past = history(conversation)
    if not policy.first_contact.enabled:
        return Verdict(ACKNOWLEDGMENT, at, False, "first contact acknowledgments are off")
    reason = never(policy, conversation, past) or _too_late(policy, _send_time(policy, due), at)
    if reason is None and past.last_human_reply_at is not None:
        reason = "a person answered first"
    for message in (past.first, past.latest):
        if reason is None and message is not None:
            reason = doubt(message) or _addressed_elsewhere(policy, message)
    if reason is None and conversation.first_response_due_at and at >= conversation.first_response_due_at:
        # "We'll answer by 10:30" is no use once 10:30 has passed (a backlog, a long outage).
        reason = "too late: the first response is already due"
    if reason is not None:
        return Verdict(ACKNOWLEDGMENT, at, False, reason)
    why = f"{conversation.intent or 'message'} waiting for a first answer"
    templates = policy.first_contact.templates
    promised = conversation.first_response_due_at
    return _compose(ACKNOWLEDGMENT, policy, conversation, templates, at, why, zone, promised)


def update_due_at(policy: Policy, conversation: Conversation, past: History) -> datetime | None:
    """When a 'still working' update is due: a person has answered, the customer wrote again after
    that answer, and nobody has written back for the policy's time (the seed: if the resolution is
    extended, let them see that you are there). An answer the customer left without reply needs no
    update: the desk cannot tell a case that is done from one waiting on us, and a person can."""
    minutes = policy.sla.still_working_after_minutes
    if not minutes or past.last_human_reply_at is None or past.latest is None:
        return None
    if past.latest.sent_at <= past.last_human_reply_at:
        return None  # the customer has not written since the person's answer
    if past.last_outbound_at is not None and past.last_outbound_at > past.latest.sent_at:
        return None  # we have already written since
    return calendar_for(policy.business_hours).add(past.latest.sent_at, minutes)


def update(policy: Policy, conversation: Conversation, now: datetime, zone: str) -> Verdict | None:
    """The 'still working' update, or None when none is due at all."""
    past = history(conversation)
    due = update_due_at(policy, conversation, past)
    if due is None or past.latest is None:
        return None
    return replace(_update(policy, conversation, now, zone, past, due), about=past.latest.sent_at)


def _update(
    policy: Policy, conversation: Conversation, now: datetime, zone: str, past: History, due: datetime
) -> Verdict:
    at = max(now, _send_time(policy, due))
    if conversation.resolved_at is not None:
        return Verdict(UPDATE, at, False, "resolved")
    reason = never(policy, conversation, past) or _too_late(policy, _send_time(policy, due), at)
    if reason is None and past.latest is not None:
        reason = doubt(past.latest)
        if reason is None and "thanks" in (past.latest.triage or {}).get("flags", []):
            # After a person's answer, thanks usually close the matter; a person reads the rest.
            reason = "the customer thanked us after the answer"
    if reason is not None:
        return Verdict(UPDATE, at, False, reason)
    after = humanize_minutes(policy.sla.still_working_after_minutes or 0)
    why = f"the customer wrote again after a person's answer and has waited {after}"
    templates = policy.sla.still_working_templates()
    promised = conversation.next_response_due_at or conversation.resolution_due_at
    return _compose(UPDATE, policy, conversation, templates, at, why, zone, promised)


def csat(policy: Policy, conversation: Conversation, now: datetime) -> Verdict:
    """The satisfaction question for a resolved conversation, as it would go at `now` (or when its time
    comes): once (the caller keeps the decision), only privately, and never where the desk would not
    speak on its own. The cap on automatic messages does not apply: it keeps the desk from talking
    over a live case, and this is asked once the case is over."""
    settings = policy.csat
    resolved = conversation.resolved_at or now
    due = resolved + timedelta(minutes=settings.delay_minutes)
    at = max(now, _send_time(policy, due))
    if not settings.enabled:
        return Verdict(CSAT, at, False, "satisfaction questions are off")
    if conversation.status != Status.RESOLVED:
        return Verdict(CSAT, at, False, "the conversation is not resolved")
    past = history(conversation)
    reason = refused(conversation, past) or _too_late(policy, _send_time(policy, due), at)
    if reason is None and past.first_kind == "post":
        reason = "found by keyword listening: they did not write to us"
    if reason is None and past.last_human_reply_at is None:
        reason = "nobody answered: nothing to rate"
    if reason is None and past.latest is not None:
        if past.latest.intent in ("spam", "abuse"):
            reason = f"the customer's last message is {past.latest.intent}"
        elif float((past.latest.triage or {}).get("offensive_score", 0)) >= OFFENSIVE_DOUBT:
            reason = "may be offensive: a person decides"
    if reason is None:
        reason = _privately(policy, conversation, at)
    if reason is not None:
        return Verdict(CSAT, at, False, reason)
    language = conversation.language
    if language not in settings.questions:
        # The brief's rule for the question: the policy's default language rather than silence.
        language = policy.first_contact.default_language
    text = fill_template(settings.questions[language], policy, conversation)
    network = (conversation.reply_channel or conversation.channel).effective_network
    used, limit = length_budget(policy, text, network=network, private=True)
    if limit is not None and used > limit:
        return Verdict(CSAT, at, False, f"the question is too long for {network} ({used} of {limit})")
    why = f"resolved {humanize_minutes(settings.delay_minutes)} ago"
    return Verdict(CSAT, at, True, f"{why}; in {language}, privately", text, language, True)


def csat_thanks(
    policy: Policy, conversation: Conversation, language: str, rated_at: datetime, now: datetime
) -> Verdict | None:
    """The policy's thanks for a rating given at `rated_at`, in the question's language (None when the
    policy thanks nobody): privately, as the question went, and never late (a replayed history)."""
    texts = policy.csat.thanks
    if not policy.csat.enabled or not texts:
        return None
    reason = (
        refused(conversation, history(conversation))
        or _too_late(policy, rated_at, now)
        or _privately(policy, conversation, now)
    )
    if reason is not None:
        return Verdict(CSAT_THANKS, now, False, reason)
    if language not in texts:
        language = policy.first_contact.default_language
    if language not in texts:
        return Verdict(CSAT_THANKS, now, False, f"no thanks in {language}")
    text = fill_template(texts[language], policy, conversation)
    network = (conversation.reply_channel or conversation.channel).effective_network
    used, limit = length_budget(policy, text, network=network, private=True)
    if limit is not None and used > limit:
        return Verdict(CSAT_THANKS, now, False, f"the thanks are too long for {network} ({used} of {limit})")
    return Verdict(
        CSAT_THANKS, now, True, f"thanks for the rating; in {language}, privately", text, language, True
    )


def _privately(policy: Policy, conversation: Conversation, at: datetime) -> str | None:
    """Why the question cannot go privately now, or None. Never in public: a rating request under a
    public post is noise to everyone reading it, so where no private message is allowed, none goes."""
    network = (conversation.reply_channel or conversation.channel).effective_network
    rules = policy.rules_for(network)
    name = display_name(network)
    if rules.dm_eligibility == "none":
        return f"{name} has no private messages for brands: not asked"
    if not conversation.is_private and rules.dm_eligibility != "anyone":
        return f"a public post does not open a private channel on {name}: not asked"
    window = rules.messaging_window_hours
    # The HUMAN_AGENT tag stretches the window for a person's answer, not for the desk's question.
    if window and at - conversation.last_inbound_at > timedelta(hours=window):
        return f"outside the {window}-hour messaging window"
    return private_message_refusal(conversation, rules, now=at)


INCIDENT = "incident"


def incident_message(
    policy: Policy, conversation: Conversation, now: datetime, texts: Mapping[str, str], why: str
) -> Verdict:
    """One of the many people an incident hit, told where to read about it (or that it is fixed): the
    lead wrote the words once per language; the gate still decides per person, as for any automatic
    message (never to spam, abuse, legal threats, held cases or where triage is in doubt; in the
    customer's language; public or private as the network allows; within its length)."""
    past = history(conversation)
    # The cap on automatic messages keeps the desk from talking on its own; these words a lead wrote
    # and sent to these people, so an acknowledgment and a pointer do not silence the "fixed" message.
    reason = never(policy, conversation, replace(past, automatic=0))
    if reason is None and past.latest is not None:
        reason = doubt(past.latest)
    if reason is not None:
        return Verdict(INCIDENT, now, False, reason)
    language = conversation.language or "unknown"
    text = texts.get(language)
    if not text:
        return Verdict(INCIDENT, now, False, f"no text in the customer's language ({language})")
    private, refusal = _visibility(policy, conversation, now)
    if private is None:
        return Verdict(INCIDENT, now, False, refusal)
    network = conversation.channel.effective_network
    used, limit = length_budget(policy, text, network=network, private=private)
    if limit is not None and used > limit:
        return Verdict(INCIDENT, now, False, f"too long for {network} ({used} of {limit})")
    where = "privately" if private else "in public"
    return Verdict(INCIDENT, now, True, f"{why}; in {language}, {where}", text, language, private)


@dataclass(frozen=True)
class Planned:
    conversation: Conversation
    verdict: Verdict


def preview(
    policy: Policy, workspace_id: int, now: datetime, hours: float, limit: int = 500
) -> list[Planned]:
    """What the desk would send on its own (or hold back, and why) from `now` for `hours`, if nothing
    else happened meanwhile: every acknowledgment, update and satisfaction question whose time comes
    in that span, decided by the same gate the sender uses. New posts arriving meanwhile are not
    foreseen."""
    until = now + timedelta(hours=hours)
    zone = policy.business_hours.timezone
    live = Conversation.objects.filter(workspace_id=workspace_id, status__in=LIVE).select_related(
        "channel", "contact"
    )
    planned = [
        Planned(c, acknowledgment(policy, c, now, zone))
        for c in live.filter(ack_sent_at__isnull=True, ack_due_at__lte=until).order_by("ack_due_at")[:limit]
    ]
    if policy.sla.still_working_after_minutes:
        answered = live.filter(first_response_at__isnull=False).order_by("first_response_at")[:limit]
        for conversation in answered:
            verdict = update(policy, conversation, now, zone)
            if verdict is not None and verdict.at <= until and not _decided(conversation):
                planned.append(Planned(conversation, verdict))
    if policy.csat.enabled:
        resolved = Conversation.objects.filter(
            workspace_id=workspace_id,
            status=Status.RESOLVED,
            csat_survey__isnull=True,
            resolved_at__gt=now - timedelta(days=policy.csat.answer_days),
        ).select_related("channel", "contact", "reply_channel")
        for conversation in resolved.order_by("resolved_at")[:limit]:
            verdict = csat(policy, conversation, now)
            if verdict.at <= until:
                planned.append(Planned(conversation, verdict))
    return sorted(planned, key=lambda p: (p.verdict.at, p.conversation.pk))


def _decided(conversation: Conversation) -> bool:
    """The update after the person's last answer was already decided (sent or held back)."""
    sent = conversation.still_working_sent_at
    return sent is not None and sent >= conversation.last_message_at


def automation_preview(
    actor: User | None, workspace: Workspace, hours: float, now: datetime
) -> list[Planned]:
    """The preview for a member of the workspace (the page and `socialdesk automation preview`)."""
    require_member(actor, workspace.pk)
    if not 0 < hours <= MAX_PREVIEW_HOURS:
        raise DeskError(f"preview between 1 minute and {MAX_PREVIEW_HOURS} hours ahead", code="invalid")
    found = active_policy_version(workspace.pk)
    if found is None:
        raise DeskError("this workspace has no active policy yet", code="no_policy", status=409)
    return preview(found[1], workspace.pk, now, hours)
