"""One desk verb on many conversations: the inbox's bulk bar and `POST /api/conversations/bulk`.

Each conversation goes through the same action the conversation page calls (assign, tag, status,
link to an incident, reply), in a transaction of its own: one refused conversation is reported with
its reason and never stops or undoes the others. A conversation outside the actor's workspaces is
reported as "not found" (as the scoped pages say) and never touched."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction

from socialdesk.bulk.saved import saved_reply_for
from socialdesk.conversations.actions import assign_by_username, set_status, tag_conversation
from socialdesk.conversations.inbox import scoped
from socialdesk.conversations.models import Conversation, DeliveryStatus, Status
from socialdesk.errors import DeskError
from socialdesk.incidents.actions import incidents_for
from socialdesk.incidents.links import link_to_incident, unlink_from_incident
from socialdesk.incidents.models import Incident
from socialdesk.replies.actions import send_reply
from socialdesk.replies.collision import AlreadyAnswered, answer_since_customer

# verb -> what to ask for when its value is missing ("" when it needs none: assign's empty value
# means "nobody")
VERBS = {
    "assign": "",
    "tag": "type a tag",
    "untag": "type a tag",
    "status": "choose a status",
    "link": "choose an incident",
    "unlink": "",
    "reply": "choose a saved reply",
}
# Enough for every conversation an incident gathers in an hour; a bigger batch is a job, not a click.
MAX_CONVERSATIONS = 500
MAX_ID = 2**63 - 1
STATUS_DONE: dict[str, str] = {
    Status.NEW: "marked new",
    Status.OPEN: "opened",
    Status.PENDING: "marked pending",
    Status.RESOLVED: "resolved",
    Status.CLOSED: "closed",
}


@dataclass(frozen=True)
class Failure:
    id: int
    code: str
    reason: str


@dataclass
class BulkResult:
    verb: str
    value: str
    done: list[int] = field(default_factory=list)
    held: list[int] = field(default_factory=list)  # replies among `done` waiting for approval
    # Left alone on purpose (a reply to a conversation someone already answered), with the reason.
    skipped: list[Failure] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)

    def summary(self) -> str:
        """What the agent reads after the click, e.g. "3 resolved, 1 failed"."""
        text = f"{len(self.done)} {self._done_words()}"
        if self.held:
            text += f" ({len(self.held)} held for approval)"
        if self.skipped:
            text += f", {len(self.skipped)} skipped"
        if self.failed:
            text += f", {len(self.failed)} failed"
        return text

    def _done_words(self) -> str:
        words: dict[str, str] = {
            "assign": f"assigned to {self.value}" if self.value else "unassigned",
            "tag": f"tagged “{self.value}”",
            "untag": f"untagged “{self.value}”",
            "status": STATUS_DONE.get(self.value, self.value),
            "link": f"linked to incident #{self.value}",
            "unlink": "unlinked from their incident",
            "reply": f"replied with “{self.value}”",
        }
        return words[self.verb]


def bulk_update(actor: User, ids: Sequence[int], verb: str, value: str = "") -> BulkResult:
    """Apply `verb` (with `value`: a username, tag, status, incident id or saved reply name) to each
    conversation of `ids`, in the order given."""
    wanted = list(dict.fromkeys(ids))  # once each, first position kept
    if not wanted:
        raise DeskError("select at least one conversation")
    if len(wanted) > MAX_CONVERSATIONS:
        raise DeskError(f"at most {MAX_CONVERSATIONS} conversations at once ({len(wanted)} selected)")
    if verb not in VERBS:
        raise DeskError(f"{verb!r} is not a bulk action ({', '.join(VERBS)})", code="unknown_verb")
    value = value.strip()
    if VERBS[verb] and not value:
        raise DeskError(VERBS[verb], code="missing_value")
    if verb == "status" and value not in Status.values:
        raise DeskError(f"{value!r} is not a status ({', '.join(Status.values)})")
    incident = _incident(actor, value) if verb == "link" else None
    # An id no database column can hold is simply not found (PostgreSQL would refuse the query).
    found = (
        scoped(actor)
        .filter(pk__in=[pk for pk in wanted if 0 < pk <= MAX_ID])
        .select_related("contact", "channel", "incident")
    )
    conversations = {c.pk: c for c in found}
    result = BulkResult(verb=verb, value=value)
    for pk in wanted:
        conversation = conversations.get(pk)
        if conversation is None:
            result.failed.append(Failure(pk, "not_found", "not found"))
            continue
        try:
            with transaction.atomic():
                held = _apply(actor, conversation, verb, value, incident)
        except AlreadyAnswered as answered:
            result.skipped.append(Failure(pk, answered.code, str(answered)))
            continue
        except DeskError as error:
            result.failed.append(Failure(pk, error.code, str(error)))
            continue
        result.done.append(pk)
        if held:
            result.held.append(pk)
    return result


def _incident(actor: User, value: str) -> Incident:
    number = int(value) if value.isascii() and value.isdecimal() else 0
    incident = incidents_for(actor).filter(pk=number).first() if 0 < number <= MAX_ID else None
    if incident is None:
        raise DeskError(f"incident {value!r} not found", code="not_found", status=404)
    return incident


def _apply(actor: User, conversation: Conversation, verb: str, value: str, incident: Incident | None) -> bool:
    """The single-conversation action for `verb`; True when a reply waits for approval."""
    if verb == "assign":
        assign_by_username(conversation, value, actor)
    elif verb in {"tag", "untag"}:
        tag_conversation(conversation, value, actor, remove=verb == "untag")
    elif verb == "status":
        set_status(conversation, value, actor)
    elif verb == "link" and incident is not None:
        link_to_incident(actor, conversation, incident)
    elif verb == "unlink":
        unlink_from_incident(actor, conversation)
    elif verb == "reply":
        # Nobody opened these conversations, so the page's collision check (`seen`) cannot apply:
        # a conversation whose customer already has an answer is skipped instead. The row lock makes
        # two leads replying to the same selection at once take turns, so the second sees the first.
        text, private = saved_reply_for(conversation, value, actor)
        Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
        if (answer := answer_since_customer(conversation)) is not None:
            raise AlreadyAnswered(answer)
        # The reply checker, approval holds, think-twice delay and outbox all apply, as on the page.
        message = send_reply(conversation, actor, text, is_private=private)
        return message.delivery_status == DeliveryStatus.AWAITING_APPROVAL
    return False
