"""Conversations themselves: threading inbound messages into them with one contact per person, and
the desk verbs on them (assign, status, tags, notes, alerts). Replies live in `replies`, which sits
above this module; nothing here imports upwards."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, models, transaction
from django.db.models import Case, F, QuerySet, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from socialdesk.channels.models import Channel
from socialdesk.conversations.merging import awaiting, lock_thread, merge_conversation
from socialdesk.conversations.models import (
    Activity,
    Alert,
    AlertKind,
    Contact,
    ContactHandle,
    Conversation,
    DeliveryStatus,
    Direction,
    Message,
    Note,
    Status,
    Tag,
)
from socialdesk.conversations.personal_data import erased_network_id
from socialdesk.conversations.waiting import refresh_waiting, started_waiting
from socialdesk.errors import DeskError
from socialdesk.ingest.schema import Author, InboundMessage
from socialdesk.reports import facts
from socialdesk.workspaces.actions import is_member, require_member
from socialdesk.workspaces.models import Workspace

SUBJECT_CHARS = 120
ALERT_TEXT_CHARS = 300  # the column's length; alerts are unique per (conversation, kind, text)


def first[M: models.Model](queryset: QuerySet[M]) -> M | None:
    """The first row in whatever order the database finds it: `.first()` would add an ORDER BY."""
    return next(iter(queryset[:1]), None)


def upsert_handle(workspace: Workspace, network: str, author: Author) -> ContactHandle:
    """The handle for this network user, creating its contact the first time we see them."""
    handle = first(
        ContactHandle.objects.select_related("contact").filter(
            workspace=workspace, network=network, network_user_id=author.network_user_id
        )
    )
    if handle is not None:
        if author.handle and handle.handle != author.handle:
            # People rename themselves; the network user id is the identity, the handle just a label.
            ContactHandle.objects.filter(pk=handle.pk).update(handle=author.handle)
            handle.handle = author.handle
        return handle
    contact = Contact.objects.create(workspace=workspace, display_name=author.display_name or author.handle)
    try:
        with transaction.atomic():
            return ContactHandle.objects.create(
                workspace=workspace,
                contact=contact,
                network=network,
                network_user_id=author.network_user_id,
                handle=author.handle,
            )
    except IntegrityError:
        # Another worker created it first; use theirs.
        contact.delete()
        return ContactHandle.objects.select_related("contact").get(
            workspace=workspace, network=network, network_user_id=author.network_user_id
        )


def live_contact(contact: Contact) -> Contact:
    """Follow merges to the surviving contact."""
    seen = {contact.pk}
    while contact.merged_into_id is not None and contact.merged_into_id not in seen:
        seen.add(contact.merged_into_id)
        contact = Contact.objects.get(pk=contact.merged_into_id)
    return contact


def thread_key_for(inbound: InboundMessage, handle: ContactHandle) -> str:
    if inbound.is_private:
        return f"dm:{handle.pk}"
    return f"root:{inbound.thread_root or inbound.in_reply_to or inbound.message_id}"


def _find_conversation(channel: Channel, inbound: InboundMessage, key: str) -> Conversation | None:
    """Rules, in order: the parent message's conversation (reply chains, comment replies, replies to our
    own replies); else the live conversation of the same thread (DMs per contact, a thread whose parent we
    never saw); else none. A closed conversation is never reused: the customer starts a new one."""
    live = Conversation.objects.exclude(status=Status.CLOSED)
    if inbound.in_reply_to:
        parent = first(
            live.filter(messages__channel=channel, messages__network_message_id=inbound.in_reply_to)
        )
        if parent is not None:
            return parent
    return first(live.filter(channel=channel, thread_key=key))


def subject_of(text: str) -> str:
    """A conversation's subject: its first message on one line, cut short."""
    return " ".join(text.split())[:SUBJECT_CHARS]


def _open_conversation(channel: Channel, inbound: InboundMessage, key: str, contact: Contact) -> Conversation:
    try:
        with transaction.atomic():
            return Conversation.objects.create(
                workspace_id=channel.workspace_id,
                channel=channel,
                contact=contact,
                thread_key=key,
                is_private=inbound.is_private,
                subject=subject_of(inbound.text),
                first_inbound_at=inbound.created_at,
                last_inbound_at=inbound.created_at,
                last_message_at=inbound.created_at,
            )
    except IntegrityError:
        # A concurrent worker opened the same thread a moment ago.
        return Conversation.objects.exclude(status=Status.CLOSED).get(channel=channel, thread_key=key)


def thread_inbound(
    channel: Channel,
    inbound: InboundMessage,
    raw_event_id: int | None = None,
    stays_resolved: Callable[[Conversation, InboundMessage], bool] | None = None,
) -> tuple[Message, bool]:
    """Store an inbound message in its conversation; returns it and whether it is new. Idempotent on the
    network message id: the same post delivered twice (webhook and poll, a redelivery) is one message.
    `stays_resolved` (the caller's, since reports sit above this package): true for a message that
    only rates a resolved conversation, which then neither reopens nor starts a wait."""
    with transaction.atomic():
        lock_thread(channel, inbound.message_id, inbound.in_reply_to)
        return _thread_inbound(channel, inbound, raw_event_id, stays_resolved)


def _thread_inbound(
    channel: Channel,
    inbound: InboundMessage,
    raw_event_id: int | None,
    stays_resolved: Callable[[Conversation, InboundMessage], bool] | None,
) -> tuple[Message, bool]:
    # An erased post keeps only a digest of its id: delivered again, it stays erased (see privacy).
    ids = [inbound.message_id, erased_network_id(channel.pk, inbound.message_id)]
    known = Message.objects.filter(channel=channel, network_message_id__in=ids).first()
    if known is not None:
        return known, False
    workspace = channel.workspace
    handle = upsert_handle(workspace, inbound.network, inbound.author)
    contact = live_contact(handle.contact)
    key = thread_key_for(inbound, handle)
    # Replies that arrived before this message wait for it in conversations of their own.
    waiting_for_this = [] if inbound.is_private else awaiting(channel, inbound.message_id)
    conversation = _find_conversation(channel, inbound, key)
    if conversation is None and waiting_for_this:
        conversation = waiting_for_this[0]
    if conversation is None:
        conversation = _open_conversation(channel, inbound, key, contact)
    for orphan in waiting_for_this:
        if merge_conversation(orphan, conversation):
            conversation.refresh_from_db()
    if conversation.channel_id == channel.pk:
        conversation.channel = channel  # saves the policy step a query
    message = Message.objects.create(
        workspace=workspace,
        conversation=conversation,
        channel=channel,
        direction=Direction.INBOUND,
        is_private=inbound.is_private,
        kind=inbound.kind,
        network_message_id=inbound.message_id,
        in_reply_to=inbound.in_reply_to or "",
        contact=contact,
        author_handle=inbound.author.handle,
        text=inbound.text,
        url=inbound.url or "",
        sent_at=inbound.created_at,
        raw_event_id=raw_event_id,
        delivery_status=DeliveryStatus.RECEIVED,
    )
    # Out-of-order deliveries must not move the clocks backwards.
    clocks: dict[str, object] = {
        "last_inbound_at": Greatest(F("last_inbound_at"), Value(inbound.created_at)),
        "last_message_at": Greatest(F("last_message_at"), Value(inbound.created_at)),
    }
    if inbound.created_at < conversation.first_inbound_at:
        # A parent arriving after its replies: the thread starts with it.
        clocks |= {"first_inbound_at": inbound.created_at, "subject": subject_of(inbound.text)}
    if stays_resolved is not None and stays_resolved(conversation, inbound):
        Conversation.objects.filter(pk=conversation.pk).update(message_count=F("message_count") + 1, **clocks)
        return message, True
    waiting = [Status.RESOLVED, Status.PENDING]
    Conversation.objects.filter(pk=conversation.pk).update(
        message_count=F("message_count") + 1,
        # A customer writing again reopens a resolved or pending conversation.
        status=Case(When(status__in=waiting, then=Value(Status.OPEN)), default=F("status")),
        resolved_at=Case(When(status__in=waiting, then=Value(None)), default=F("resolved_at")),
        **clocks,
        # The customer now waits for us (since this message, or an older unanswered one).
        **started_waiting(inbound.created_at),
    )
    if conversation.status == Status.RESOLVED:
        facts.reopened(conversation, message.pk, inbound.created_at)
    return message, True


def merge_contacts(survivor: Contact, duplicate: Contact) -> Contact:
    """Make two contacts one person: handles and conversations move to `survivor`."""
    if survivor.workspace_id != duplicate.workspace_id:
        raise DeskError("contacts of different workspaces cannot be merged")
    if survivor.pk == duplicate.pk:
        raise DeskError("a contact cannot be merged into itself")
    with transaction.atomic():
        ContactHandle.objects.filter(contact=duplicate).update(contact=survivor)
        Conversation.objects.filter(contact=duplicate).update(contact=survivor)
        Message.objects.filter(contact=duplicate).update(contact=survivor)
        Contact.objects.filter(merged_into=duplicate).update(merged_into=survivor)
        duplicate.merged_into = survivor
        duplicate.save(update_fields=["merged_into"])
    return survivor


def _log(conversation: Conversation, actor: User | None, action: str, detail: str) -> None:
    Activity.objects.create(
        conversation=conversation, actor=actor, action=action, detail=detail[:200], created_at=timezone.now()
    )


def assign_conversation(conversation: Conversation, assignee: User | None, actor: User | None) -> None:
    """Assign to a member of the conversation's workspace (None: unassign)."""
    require_member(actor, conversation.workspace_id)
    if assignee is not None and not is_member(conversation.workspace_id, assignee.pk):
        raise DeskError(f"{assignee.username} is not a member of this workspace")
    with transaction.atomic():
        Conversation.objects.filter(pk=conversation.pk).update(assignee=assignee)
        conversation.assignee = assignee
        _log(conversation, actor, "assigned", assignee.username if assignee else "nobody")


def assign_by_username(conversation: Conversation, username: str, actor: User | None) -> None:
    """Assign by username, as the desk and the API take it ("" unassigns)."""
    assignee = User.objects.filter(username=username).first() if username else None
    if username and assignee is None:
        raise DeskError(f"{username} is not a member of this workspace")
    assign_conversation(conversation, assignee, actor)


def set_status(conversation: Conversation, status: str, actor: User | None) -> None:
    """Move a conversation between new/open/pending/resolved/closed; resolving stamps the time."""
    require_member(actor, conversation.workspace_id)
    if status not in Status.values:
        raise DeskError(f"{status!r} is not a status ({', '.join(Status.values)})")
    if conversation.status == Status.CLOSED and status != Status.CLOSED:
        raise DeskError("a closed conversation stays closed; a new message opens a new one")
    now = timezone.now()
    updates: dict[str, object] = {"status": status}
    newly_resolved = status == Status.RESOLVED and conversation.status != Status.RESOLVED
    if status == Status.RESOLVED:
        updates["resolved_at"] = now
    with transaction.atomic():
        Conversation.objects.filter(pk=conversation.pk).update(**updates)
        if newly_resolved:
            facts.resolved(conversation, now, actor.pk if actor else None)
        for field, value in updates.items():
            setattr(conversation, field, value)
        # Resolved or closed: nobody is left waiting; opened again: waiting as the thread says.
        refresh_waiting([conversation.pk])
        _log(conversation, actor, "status", status)


def tag_conversation(
    conversation: Conversation, name: str, actor: User | None, *, remove: bool = False
) -> None:
    require_member(actor, conversation.workspace_id)
    name = name.strip()[:60]
    if not name:
        raise DeskError("a tag needs a name")
    with transaction.atomic():
        if remove:
            conversation.tags.remove(*Tag.objects.filter(workspace_id=conversation.workspace_id, name=name))
        else:
            tag, _ = Tag.objects.get_or_create(workspace_id=conversation.workspace_id, name=name)
            conversation.tags.add(tag)
        _log(conversation, actor, "untagged" if remove else "tagged", name)


def add_note(conversation: Conversation, author: User | None, text: str) -> Note:
    require_member(author, conversation.workspace_id)
    if not text.strip():
        raise DeskError("a note needs text")
    return Note.objects.create(
        conversation=conversation, author=author, text=text[:10_000], created_at=timezone.now()
    )


def raise_alert(
    conversation: Conversation, kind: AlertKind, roles: list[str], text: str, at: datetime
) -> bool:
    """Create the alert unless the same one exists (then False): alerts are idempotent per reason."""
    try:
        with transaction.atomic():
            Alert.objects.create(
                workspace_id=conversation.workspace_id,
                conversation=conversation,
                kind=kind,
                roles=roles,
                text=text[:ALERT_TEXT_CHARS],
                created_at=at,
            )
    except IntegrityError:
        return False
    return True
