"""Writing a planned import: accounts, contacts and conversations first, then the messages in batches
(one transaction and one bulk insert per batch), every customer tweet triaged on the fast path.

History does not go through the live pipeline message by message: that path (thread, triage, route,
acknowledge) costs milliseconds a message and would schedule acknowledgments for tweets years old.
Triage runs once per batch (`place` the batch, triage `to_triage`'s texts, possibly in another
process, then build its `messages`), and folds each tweet into its conversation as live triage would.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection

from socialdesk.channels.models import AccountRole, Channel
from socialdesk.conversations.actions import subject_of
from socialdesk.conversations.models import (
    Contact,
    ContactHandle,
    Conversation,
    DeliveryStatus,
    Direction,
    Message,
    Status,
)
from socialdesk.importers.twcs.rows import RowWriter
from socialdesk.importers.twcs.threads import NONE, Plan, Thread, derived_status
from socialdesk.triage.fields import JSON_FIELDS
from socialdesk.triage.parallel import FIELDS, Stored
from socialdesk.workspaces.models import Workspace

NETWORK = "x"
CHUNK = 5000
Placed = tuple[int, int, str, str]  # a tweet's graph row, its thread, its message id there, its text
# The message columns the import names, in the order its rows give them (then the triage fields).
MESSAGE_FIELDS = (
    "workspace_id",
    "conversation_id",
    "channel_id",
    "direction",
    "is_private",
    "kind",
    "network_message_id",
    "in_reply_to",
    "contact_id",
    "author_handle",
    "text",
    "sent_at",
    "delivery_status",
)
_INTENT, _CATEGORY, _LANGUAGE, _SENTIMENT, _NEEDS, _LEGAL, _SCORE, _MASKED = (
    FIELDS.index(name)
    for name in (
        "intent",
        "category",
        "language",
        "sentiment",
        "needs_response",
        "legal_threat",
        "priority_score",
        "masked_text",
    )
)
# A conversation's subject and what triage found in its tweets, written once its last message is:
# NULL leaves a field as it is (a re-import that brings no first or latest tweet).
LABELS = (
    "UPDATE conversations_conversation SET subject = COALESCE(%s, subject), "
    "intent = COALESCE(%s, intent), category = COALESCE(%s, category), language = COALESCE(%s, language), "
    "sentiment = COALESCE(%s, sentiment), needs_response = COALESCE(%s, needs_response), "
    "legal_threat = (legal_threat OR %s), has_personal_data = (has_personal_data OR %s), "
    "priority_score = CASE WHEN priority_score < %s THEN %s ELSE priority_score END WHERE id = %s"
)


@dataclass
class Labels:
    """One conversation's subject and triage, gathered from its messages until the last is written."""

    subject: str | None = None
    first: tuple[str, str, str] | None = None  # intent, category, language of the first customer tweet
    latest: tuple[str, bool] | None = None  # sentiment, needs response, of the latest
    legal_threat: bool = False
    personal_data: bool = False
    priority_score: int = 0

    def row(self, conversation_id: int) -> tuple[Any, ...]:
        first = self.first or (None, None, None)
        latest = self.latest or (None, None)
        score = self.priority_score
        return (
            self.subject,
            *first,
            *latest,
            self.legal_threat,
            self.personal_data,
            score,
            score,
            conversation_id,
        )


class Writer:
    def __init__(
        self, workspace: Workspace, plan: Plan, now: datetime, quiet: timedelta, *, triage: bool = True
    ) -> None:
        self.workspace, self.plan, self.now, self.quiet = workspace, plan, now, quiet
        graph = plan.graph
        brands = {thread.brand for thread in plan.threads}
        self.channel_ids = {b: self._channel(graph.authors[b]).pk for b in sorted(brands)}
        self.existing = {
            (channel_id, message_id)
            for channel_id, message_id in Message.objects.filter(
                channel_id__in=self.channel_ids.values()
            ).values_list("channel_id", "network_message_id")
        }
        self.conversation_ids: list[int] = []
        self.contacts: dict[str, int] = {}
        self.created: set[int] = set()  # threads whose conversation this import opened
        self.touched: set[int] = set()  # threads that received a message in this import
        # Each thread's messages still to write, and what its written ones gave it so far: one UPDATE
        # a conversation, once its last message is in (conversations are widely indexed).
        self.remaining = array("l", [0]) * len(plan.threads)
        self.placements = 0  # messages the file places, imported before or not
        for row in range(len(graph.ids)):
            for index, message_id in plan.placements(row):
                self.placements += 1
                if (self.channel_ids[plan.threads[index].brand], message_id) not in self.existing:
                    self.remaining[index] += 1
        self.labels: dict[int, Labels] = {}
        self.rows = RowWriter(Message, json_text=JSON_FIELDS)
        self.message_sql, self.message_tail = self.rows.prepared(MESSAGE_FIELDS + FIELDS)
        self.untriaged = tuple(self.rows.default(name) for name in FIELDS)
        self.sent_at = self.rows.adapter("sent_at")
        self.conversations = RowWriter(Conversation)
        self.triage = triage

    def _channel(self, brand: str) -> Channel:
        channel, _ = Channel.objects.get_or_create(
            workspace=self.workspace,
            network=NETWORK,
            handle=f"@{brand}",
            account_role=AccountRole.SUPPORT,
            defaults={"name": f"{brand} (imported from twcs)"},
        )
        return channel

    def open_conversations(self) -> None:
        """One conversation per thread, reusing those a previous import of the file opened."""
        plan, graph = self.plan, self.plan.graph
        contacts = self.contacts = self._contacts({graph.authors[t.customer] for t in plan.threads})
        live = Conversation.objects.filter(channel_id__in=self.channel_ids.values()).exclude(
            status=Status.CLOSED
        )
        known = {(c, key): pk for c, key, pk in live.values_list("channel_id", "thread_key", "pk")}
        ids = [NONE] * len(plan.threads)
        fresh: list[tuple[int, dict[str, Any]]] = []
        for index, thread in enumerate(plan.threads):
            channel_id = self.channel_ids[thread.brand]
            key = plan.thread_key(thread)
            if (channel_id, key) in known:
                ids[index] = known[(channel_id, key)]
                continue
            status, resolved_at = derived_status(plan, thread, self.now, self.quiet)
            waiting_since = self._waiting_since(thread)
            fresh.append(
                (
                    index,
                    dict(
                        workspace_id=self.workspace.pk,
                        channel_id=channel_id,
                        contact_id=contacts[graph.authors[thread.customer]],
                        thread_key=key,
                        status=status,
                        resolved_at=resolved_at,
                        message_count=thread.inbound,
                        first_inbound_at=graph.time(thread.first_in),
                        last_inbound_at=graph.time(thread.last_in),
                        last_message_at=graph.time(self._last(thread)),
                        first_response_at=(
                            graph.time(thread.first_response) if thread.first_response != NONE else None
                        ),
                        waiting=waiting_since is not None,
                        waiting_since=waiting_since,
                    ),
                )
            )
            if len(fresh) >= CHUNK:
                self._open(fresh, ids)
                fresh = []
        self._open(fresh, ids)
        self.conversation_ids = ids

    def _open(self, fresh: list[tuple[int, dict[str, Any]]], ids: list[int]) -> None:
        if not fresh:
            return
        mine = Conversation.objects.filter(workspace=self.workspace).exclude(status=Status.CLOSED)
        newest = mine.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.conversations.insert([row for _, row in fresh])
        # Read the new ids back by thread: a live conversation's (channel, thread key) is unique.
        opened = mine.filter(pk__gt=newest).values_list("channel_id", "thread_key", "pk")
        found = {(channel, key): pk for channel, key, pk in opened}
        for index, row in fresh:
            ids[index] = found[(row["channel_id"], row["thread_key"])]
            self.created.add(index)

    def _waiting_since(self, thread: Thread) -> datetime | None:
        """When the customer started waiting for an answer (the inbox puts the longest wait first)."""
        return self.plan.graph.time(thread.waiting_from) if thread.waiting_from != NONE else None

    def _last(self, thread: Thread) -> int:
        times = self.plan.graph.times
        if thread.last_out != NONE and times[thread.last_out] > times[thread.last_in]:
            return thread.last_out
        return thread.last_in

    def _contacts(self, customers: set[str]) -> dict[str, int]:
        handles = ContactHandle.objects.filter(workspace=self.workspace, network=NETWORK)
        found = dict(handles.values_list("network_user_id", "contact_id"))
        missing = sorted(customers - found.keys())
        if not missing:
            return found
        # Plain inserts (the ORM's bulk_create builds a model instance and its SQL per row: a third
        # of the import without triage); the new ids are read back by name, the handles then written.
        newest = Contact.objects.filter(workspace=self.workspace).order_by("-pk").values_list("pk", flat=True)
        start = newest.first() or 0
        RowWriter(Contact).insert(
            [dict(workspace_id=self.workspace.pk, display_name=name) for name in missing]
        )
        wanted = set(missing)
        made: dict[str, int] = {}
        new_rows = Contact.objects.filter(workspace=self.workspace, pk__gt=start).order_by("pk")
        for pk, name in new_rows.values_list("pk", "display_name"):
            if name in wanted:
                made.setdefault(name, pk)
        RowWriter(ContactHandle).insert(
            [
                dict(
                    workspace_id=self.workspace.pk,
                    contact_id=made[name],
                    network=NETWORK,
                    network_user_id=name,
                    handle=name,
                )
                for name in missing
            ]
        )
        found.update(made)
        return found

    def place(self, texts: list[tuple[int, str]]) -> list[Placed]:
        """The batch's tweets, given as (graph row, text), as messages still to write, one per thread
        each is in (those a previous import wrote are left out; the caller counts them from what is
        missing)."""
        plan, existing, channel_ids, threads = self.plan, self.existing, self.channel_ids, self.plan.threads
        placed: list[Placed] = []
        for row, text in texts:
            for index, message_id in plan.placements(row):
                if (channel_ids[threads[index].brand], message_id) in existing:
                    continue
                placed.append((row, index, message_id, text))
        return placed

    def to_triage(self, placed: list[Placed]) -> list[str]:
        """The texts triage reads: every distinct text among the batch's customer tweets (none
        without triage); a text's triage depends on nothing else, so a repeated one is read once."""
        if not self.triage:
            return []
        inbound = self.plan.graph.inbound
        return list(dict.fromkeys(text for row, _, _, text in placed if inbound[row]))

    def messages(
        self, placed: list[Placed], texts: list[str], results: list[Stored]
    ) -> list[tuple[Any, ...]]:
        """The batch's messages as rows for `insert`, customer tweets with their triage (`results`
        for `texts`, as `to_triage` gave them: each one's stored fields and whether it holds personal
        data); the conversations' labels are gathered for `insert`."""
        plan, graph = self.plan, self.plan.graph
        found = dict(zip(texts, results, strict=True))
        workspace_id, tail, untriaged = self.workspace.pk, self.message_tail, self.untriaged
        adapt_time = self.sent_at
        author, authors, parent, inbound_of = graph.author, graph.authors, graph.parent, graph.inbound
        rows: list[tuple[Any, ...]] = []
        for row, index, message_id, text in placed:
            thread = plan.threads[index]
            labels = self.labels.get(index)
            if labels is None:
                labels = self.labels[index] = Labels()
            values = untriaged
            inbound = inbound_of[row]
            if self.triage and inbound:
                values, personal = found[text]
                self._fold(labels, thread, row, values, personal)
            if row == thread.root:
                labels.subject = subject_of(values[_MASKED] or text)
            self.remaining[index] -= 1
            self.touched.add(index)
            in_reply_to = parent[row]
            sent_at = graph.time(row)
            handle = authors[author[row]]
            rows.append(
                (
                    workspace_id,
                    self.conversation_ids[index],
                    self.channel_ids[thread.brand],
                    Direction.INBOUND if inbound else Direction.OUTBOUND,
                    False,
                    "reply" if in_reply_to else "mention",
                    message_id,
                    str(in_reply_to or ""),
                    self.contacts[authors[thread.customer]] if inbound else None,
                    handle if inbound else f"@{handle}",
                    text,
                    adapt_time(sent_at) if adapt_time is not None else sent_at,
                    DeliveryStatus.RECEIVED if inbound else DeliveryStatus.SENT,
                    *values,
                    *tail,
                )
            )
        return rows

    def _fold(
        self, labels: Labels, thread: Thread, row: int, values: tuple[Any, ...], personal: bool
    ) -> None:
        """A customer tweet's triage into its conversation, as live triage folds messages in order
        (`triage.actions.record_triage`): intent, category and language from the first, sentiment and
        needs-response from the latest, a legal threat or personal data from any, the highest score."""
        if row == thread.first_in:
            labels.first = (values[_INTENT], values[_CATEGORY], values[_LANGUAGE])
        if row == thread.last_in:
            # History the brand answered needs nothing more.
            open_now = derived_status(self.plan, thread, self.now, self.quiet)[0] == Status.OPEN
            labels.latest = (values[_SENTIMENT], values[_NEEDS] and open_now)
        labels.legal_threat = labels.legal_threat or values[_LEGAL]
        labels.personal_data = labels.personal_data or personal  # tweets are public
        labels.priority_score = max(labels.priority_score, values[_SCORE])

    def insert(self, messages: list[tuple[Any, ...]], *, flush: bool = False) -> None:
        """The batch's messages (rows from `messages`), then the labels of the conversations whose
        last message was among them (all gathered ones with `flush`)."""
        ids, remaining = self.conversation_ids, self.remaining
        done = [i for i in self.labels if flush or remaining[i] <= 0]
        with connection.cursor() as cursor:
            if messages:
                cursor.executemany(self.message_sql, messages)
            cursor.executemany(LABELS, [self.labels.pop(i).row(ids[i]) for i in done])

    def finish(self) -> None:
        """A re-import that added messages to a conversation it opened before brings its clocks,
        status and wait up to date (the ones opened now were written with them)."""
        self.insert([], flush=True)  # labels still gathered (none, unless a thread was cut short)
        plan, graph = self.plan, self.plan.graph
        stamp = connection.ops.adapt_datetimefield_value
        rows: list[tuple[Any, ...]] = []
        for index in sorted(self.touched - self.created):
            thread = plan.threads[index]
            status, resolved_at = derived_status(plan, thread, self.now, self.quiet)
            answered = thread.first_response != NONE
            waiting_since = self._waiting_since(thread)
            rows.append(
                (
                    status,
                    stamp(resolved_at),
                    waiting_since is not None,
                    stamp(waiting_since),
                    status == Status.OPEN,
                    thread.inbound,
                    stamp(graph.time(thread.first_in)),
                    stamp(graph.time(thread.last_in)),
                    stamp(graph.time(self._last(thread))),
                    stamp(graph.time(thread.first_response)) if answered else None,
                    self.conversation_ids[index],
                )
            )
        sql = (
            "UPDATE conversations_conversation SET status = %s, resolved_at = %s, waiting = %s, "
            "waiting_since = %s, needs_response = needs_response AND %s, message_count = %s, "
            "first_inbound_at = %s, last_inbound_at = %s, last_message_at = %s, first_response_at = %s "
            "WHERE id = %s"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
