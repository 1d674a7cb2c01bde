"""Triage in the desk: the workspace's settings from its policy, triage of stored messages, agents'
corrections, and retraining the category model from them."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Any

import numpy as np
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from socialdesk.conversations.actions import subject_of
from socialdesk.conversations.masking import masked_text
from socialdesk.conversations.models import Conversation, Direction, Message
from socialdesk.errors import DeskError
from socialdesk.policy.actions import active_policy_version
from socialdesk.policy.schema import Policy
from socialdesk.triage.category import CategoryIndex, policy_examples
from socialdesk.triage.engine import INTENTS, Result, Settings, triage_many
from socialdesk.triage.fields import result_fields
from socialdesk.triage.heads import Array, embedder
from socialdesk.triage.models import CategoryModel, CorrectionField, TriageCorrection
from socialdesk.workspaces.actions import require_member

_cache: OrderedDict[tuple[Any, ...], Settings] = OrderedDict()
_cache_lock = threading.Lock()
CACHE_SIZE = 64


class CorrectionError(DeskError):
    """The correction names a field or value triage does not have."""

    code = "correction_refused"


def _latest_model(workspace_id: int, policy_number: int) -> CategoryModel | None:
    return (
        CategoryModel.objects.filter(workspace_id=workspace_id, policy_version=policy_number)
        .order_by("-trained_at", "-pk")
        .first()
    )


_UNSET: Any = object()


def settings_for(
    workspace_id: int, found: tuple[int, Policy] | None = _UNSET, *, accurate: bool | None = None
) -> Settings:
    """The triage settings of a workspace's active policy (`found`, when the caller has it), with
    its category index (cached per policy version, category model and path; a retrain or a new policy
    version changes the key). `accurate`: the path, when not the policy's own (the refinement)."""
    if found is _UNSET:
        found = active_policy_version(workspace_id)
    if found is None:
        return Settings(accurate=bool(accurate))
    number, policy = found
    config = policy.triage
    use_e5 = config.accurate if accurate is None else accurate
    model = _latest_model(workspace_id, number)
    key = (workspace_id, number, model.pk if model else None, use_e5)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    if model is not None:
        examples = [(code, text) for code, text in model.examples]
        vectors: Array | None = None
        if use_e5 and model.e5_vectors:
            flat = np.frombuffer(bytes(model.e5_vectors), dtype=np.float16).astype(np.float32)
            vectors = flat.reshape(len(examples), -1)
    else:
        examples, vectors = policy_examples(policy), None
    if use_e5 and vectors is None and examples:
        vectors = embedder().embed([text for _, text in examples])
    settings = Settings(
        languages=tuple(config.languages),
        phone_regions=tuple(config.phone_regions),
        patterns=tuple((p.name, re.compile(p.pattern)) for p in config.personal_data_patterns),
        categories=CategoryIndex.build(examples, vectors),
        accurate=use_e5,
    )
    with _cache_lock:
        _cache[key] = settings
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return settings


def triage_message(message: Message, found: tuple[int, Policy] | None = _UNSET) -> Result:
    settings = settings_for(message.conversation.workspace_id, found)
    return triage_many([message.text], settings, private=[message.is_private])[0]


def record_triage(message: Message, result: Result) -> bool:
    """Store the result on the message and fold it into its conversation (the first triage sets the
    intent, category and language; later messages update sentiment, flags and the score). Returns
    whether this was the conversation's first triage, which the policy step needs to know."""
    fields = result_fields(result)
    # Stored with the labels, in the transaction that stored the message: the search index and the
    # pages never see a card number as written (conversations.masking).
    fields["masked_text"] = masked_text(message.text, result.personal_spans)
    Message.objects.filter(pk=message.pk).update(**fields)
    for name, value in fields.items():
        setattr(message, name, value)
    conversation = message.conversation
    if message.masked_text is not None and conversation.subject == subject_of(message.text):
        # The inbox shows the subject: the first message's words, masked like the message.
        conversation.subject = subject_of(message.masked_text)
        Conversation.objects.filter(pk=conversation.pk).update(subject=conversation.subject)
    first = conversation.policy_version is None and not conversation.intent
    if first:
        conversation.intent, conversation.category = result.intent, result.category
        conversation.language = result.language
    conversation.sentiment = result.sentiment
    conversation.legal_threat = conversation.legal_threat or result.legal_threat
    conversation.has_personal_data = conversation.has_personal_data or (
        bool(result.personal_data) and not message.is_private
    )
    conversation.needs_response = result.needs_response or (
        conversation.needs_response and conversation.first_response_at is None
    )
    conversation.priority_score = max(conversation.priority_score, result.priority_score)
    # Saved before the policy runs, so the crisis count includes this conversation.
    conversation.save(
        update_fields=[
            "intent",
            "category",
            "language",
            "sentiment",
            "legal_threat",
            "has_personal_data",
            "needs_response",
            "priority_score",
        ]
    )
    return first


# What routing and priority read of a conversation's triage (and of the message: its sentiment, abuse).
ROUTED_BY = (
    "intent",
    "category",
    "language",
    "sentiment",
    "legal_threat",
    "needs_response",
    "priority_score",
)


def refine_triage(message: Message, result: Result) -> bool:
    """The accurate path's second look at a message the fast path triaged on ingest: the message takes
    the new labels (personal data and its masking stay: both paths find them with the same rules), and
    its conversation the parts that came from this message -- intent, category and language from the
    opening message, sentiment and needs-response from the latest. Returns whether anything routing
    reads changed on the conversation of which this is the opening message (routing then runs again)."""
    fields = result_fields(result)
    fields.pop("personal_data")
    own = (message.sentiment, message.abusive) != (result.sentiment, result.abusive)
    Message.objects.filter(pk=message.pk).update(**fields)
    for name, value in fields.items():
        setattr(message, name, value)
    conversation = message.conversation
    inbound = Message.objects.filter(conversation=conversation, direction=Direction.INBOUND)
    first = inbound.order_by("sent_at", "pk").values_list("pk", flat=True).first()
    latest = inbound.order_by("-sent_at", "-pk").values_list("pk", flat=True).first()
    before = {name: getattr(conversation, name) for name in ROUTED_BY}
    if message.pk == first:
        conversation.intent, conversation.category = result.intent, result.category
        conversation.language = result.language
    if message.pk == latest:
        conversation.sentiment = result.sentiment
        conversation.needs_response = result.needs_response or (
            conversation.needs_response and conversation.first_response_at is None
        )
    conversation.legal_threat = conversation.legal_threat or result.legal_threat
    conversation.priority_score = max(inbound.values_list("priority_score", flat=True), default=0)
    after = {name: getattr(conversation, name) for name in before}
    changed = [name for name in before if before[name] != after[name]]
    if changed:
        conversation.save(update_fields=changed)
    return (own or bool(changed)) and message.pk == first


ALLOWED = {
    CorrectionField.INTENT: set(INTENTS),
    CorrectionField.SENTIMENT: {"negative", "neutral", "positive"},
}


def correct_triage(message: Message, field: str, value: str, user: User | None) -> TriageCorrection:
    """An agent fixes a triage field on a message; the message (and its conversation, if it was the
    conversation's value) change, and the correction is kept as a training example."""
    require_member(user, message.workspace_id)
    if field not in CorrectionField.values:
        raise CorrectionError(f"triage has no field {field!r} to correct")
    workspace_id = message.conversation.workspace_id
    if field == CorrectionField.CATEGORY:
        found = active_policy_version(workspace_id)
        codes = {c.code for c in found[1].categories} if found else set()
        if value not in codes:
            raise CorrectionError(f"{value!r} is not a category of the policy ({', '.join(sorted(codes))})")
    elif field == CorrectionField.LANGUAGE:
        if not re.fullmatch(r"[a-z]{2,3}", value):
            raise CorrectionError(f"{value!r} is not an ISO 639-1 language code")
    elif value not in ALLOWED[CorrectionField(field)]:
        raise CorrectionError(
            f"{value!r} is not a {field} ({', '.join(sorted(ALLOWED[CorrectionField(field)]))})"
        )
    with transaction.atomic():
        old = getattr(message, field)
        correction = TriageCorrection.objects.create(
            workspace_id=workspace_id,
            message=message,
            field=field,
            old_value=old,
            new_value=value,
            corrected_by=user,
            corrected_at=timezone.now(),
        )
        Message.objects.filter(pk=message.pk).update(**{field: value})
        setattr(message, field, value)
        Conversation.objects.filter(pk=message.conversation_id, **{field: old}).update(**{field: value})
    return correction


def retrain_categories(workspace_id: int, *, accurate: bool | None = None) -> CategoryModel | None:
    """A new category model from the active policy's examples plus every category correction (the
    latest correction of a message wins; corrections to categories the policy no longer has are
    skipped). None when the workspace has no policy."""
    found = active_policy_version(workspace_id)
    if found is None:
        return None
    number, policy = found
    codes = {c.code for c in policy.categories}
    examples = policy_examples(policy)
    latest: dict[int, tuple[str, str]] = {}
    corrections = (
        TriageCorrection.objects.filter(workspace_id=workspace_id, field=CorrectionField.CATEGORY)
        .select_related("message")
        .order_by("corrected_at", "pk")
    )
    for correction in corrections:
        latest[correction.message_id] = (correction.new_value, correction.message.text)
    learned = [(code, text) for code, text in latest.values() if code in codes]
    rows = examples + learned
    use_e5 = policy.triage.accurate if accurate is None else accurate
    vectors = embedder().embed([t for _, t in rows]).astype(np.float16).tobytes() if use_e5 and rows else None
    return CategoryModel.objects.create(
        workspace_id=workspace_id,
        policy_version=number,
        trained_at=timezone.now(),
        examples=[[c, t] for c, t in rows],
        from_policy=len(examples),
        from_corrections=len(learned),
        e5_vectors=vectors,
    )
