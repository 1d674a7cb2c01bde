"""Import of the public "Customer Support on Twitter" dataset (twcs.csv, Kaggle or pandas-written).

Two passes over the file, so memory holds the thread graph and never the texts: the first validates
every row and works out the threads (`threads.plan`); the second reads only each record's text (the
rest of the tweet is in the graph) and writes the messages in batches (`writer.Writer`). Nothing is
written before the first pass ends, so `--strict` leaves nothing behind (not even the workspace),
and a malformed row otherwise is reported with its line and skipped. Importing the same file again
adds nothing and says so.
"""

from __future__ import annotations

import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from socialdesk.conversations.search_index import bulk_load, restore_search_triggers
from socialdesk.importers.twcs.reader import COLUMNS, Reader, TwcsError, text_of
from socialdesk.importers.twcs.threads import NONE, Graph, plan
from socialdesk.importers.twcs.writer import Placed, Writer
from socialdesk.policy.actions import active_policy_version, pinned_policies
from socialdesk.reports.history import backfill_ids
from socialdesk.triage.actions import settings_for
from socialdesk.triage.parallel import Stored, TriagePool
from socialdesk.workspaces.actions import create_workspace

__all__ = ["COLUMNS", "ImportResult", "TwcsError", "import_twcs_file"]
BATCH = 5000
# From this many rows the import triages in a worker process (starting one costs about two seconds).
PARALLEL_FROM = 20_000
# Answered and quiet this long -> resolved, when the workspace has no policy to say otherwise.
DEFAULT_QUIET = timedelta(hours=24)
SHOWN_MALFORMED = 20


@dataclass
class ImportResult:
    rows: int = 0  # records read (valid or not)
    inbound: int = 0  # customer tweets imported now
    outbound: int = 0  # brand tweets imported now (a tweet in two threads counts twice)
    already_imported: int = 0  # messages a previous import of this file wrote
    conversations: int = 0  # opened now
    updated_conversations: int = 0  # opened before, received messages now
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> tweets
    malformed: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    # This process's CPU seconds by step: "read" (first pass, threads), "write" (second pass,
    # inserts, search index), "facts" (the reports' backfill); what a benchmark shows of the import.
    cpu: dict[str, float] = field(default_factory=dict)

    def summary(self) -> list[str]:
        lines = [
            f"{self.rows:,} rows read: {self.inbound:,} customer tweets and {self.outbound:,} brand tweets "
            f"imported, {self.conversations:,} new conversations"
            + (f", {self.updated_conversations:,} updated" if self.updated_conversations else "")
            + f"; {self.already_imported:,} messages already imported"
        ]
        for reason, count in self.skipped.most_common():
            lines.append(f"skipped {count:,}: {reason}")
        if self.malformed:
            lines.append(f"skipped {len(self.malformed):,} malformed rows:")
            lines += [f"  line {line}: {reason}" for line, reason in self.malformed[:SHOWN_MALFORMED]]
            if len(self.malformed) > SHOWN_MALFORMED:
                lines.append(f"  … and {len(self.malformed) - SHOWN_MALFORMED:,} more")
        return lines


def quiet_time(workspace_id: int) -> timedelta:
    """How long an answered conversation stays quiet before it counts as resolved: the policy's
    resolution target for normal priority (any network), else a day."""
    found = active_policy_version(workspace_id)
    if found is None:
        return DEFAULT_QUIET
    for rule in found[1].sla.rules:
        if rule.priority == "normal" and not rule.networks:
            return timedelta(minutes=rule.targets.resolution_minutes)
    return DEFAULT_QUIET


def import_twcs_file(
    slug: str,
    path: Path,
    *,
    strict: bool = False,
    triage: bool = True,
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    parallel: bool | None = None,
) -> ImportResult:
    """Import into the workspace `slug` (created once the whole file has been read and validated).
    Without `triage`, messages and conversations carry no triage labels (measuring what triage costs).
    `parallel`: triage in a second process while this one reads and writes (by default for files of
    PARALLEL_FROM rows or more)."""
    result = ImportResult()
    started = time.process_time()
    graph = Graph()
    # Each record's graph row (NONE: malformed or a duplicate id): the second pass reads only texts.
    record_rows = array("l")
    for record in Reader(path):
        if limit is not None and result.rows >= limit:
            break
        result.rows += 1
        if isinstance(record, tuple):
            if strict:
                raise TwcsError(f"line {record[0]}: {record[1]} (--strict: nothing was imported)")
            result.malformed.append(record)
            record_rows.append(NONE)
        else:
            before = len(graph.ids)
            graph.add(record)
            record_rows.append(before if len(graph.ids) > before else NONE)
    if graph.malformed and strict:
        line, reason = graph.malformed[0]
        raise TwcsError(f"line {line}: {reason} (--strict: nothing was imported)")
    result.malformed = sorted(result.malformed + graph.malformed)
    planned = plan(graph)
    result.skipped = planned.skipped
    if on_total:
        on_total(result.rows)
    result.cpu["read"] = time.process_time() - started
    restore_search_triggers()  # a previous import killed mid-way left its bulk-load trigger
    with transaction.atomic():
        workspace = create_workspace(slug, slug.replace("-", " ").title())
        writer = Writer(workspace, planned, timezone.now(), quiet_time(workspace.pk), triage=triage)
        writer.open_conversations()
    settings = settings_for(workspace.pk)
    if parallel is None:
        parallel = triage and result.rows >= PARALLEL_FROM
    # One batch is triaged (in the worker, with `parallel`) while the one before it is written and
    # the one after it read: at most three batches in memory.
    with bulk_load(workspace.pk), TriagePool(settings, parallel=parallel) as pool:
        waiting: tuple[list[Placed], list[str], Future[list[Stored]], int] | None = None
        for texts, size in _batches(path, record_rows):
            ready = writer.place(texts)
            asked = writer.to_triage(ready)
            triaged = pool.submit(asked)
            if waiting is not None:
                _write(writer, *waiting, result, progress)
            waiting = (ready, asked, triaged, size)
        if waiting is not None:
            _write(writer, *waiting, result, progress)
        with transaction.atomic():
            writer.finish()
    result.cpu["write"] = time.process_time() - started - result.cpu["read"]
    # The reports read facts: the imported history's first responses, responses and resolutions
    # (the facts ask for the workspace's policy several times a conversation: read once here).
    with pinned_policies():
        backfill_ids(sorted(writer.conversation_ids[index] for index in writer.touched))
    result.already_imported = writer.placements - result.inbound - result.outbound
    result.conversations = len(writer.created)
    result.updated_conversations = len(writer.touched - writer.created)
    result.cpu["facts"] = time.process_time() - started - result.cpu["read"] - result.cpu["write"]
    return result


def _batches(path: Path, record_rows: array[int]) -> Iterator[tuple[list[tuple[int, str]], int]]:
    """The file's texts again, as (graph row, text), BATCH records at a time (and how many records
    that was), up to the records the first pass read: the rest of each tweet is in the graph."""
    batch: list[tuple[int, str]] = []
    reader = Reader(path)
    rows = len(record_rows)
    seen = 0
    at_text = -1
    for seen, (_, fields) in enumerate(reader.records(), 1):
        if seen > rows:
            seen = rows
            break
        row = record_rows[seen - 1]
        if row != NONE:
            if at_text < 0:
                at_text = reader.at["text"]
            batch.append((row, text_of(fields[at_text])))
        if seen % BATCH == 0:
            yield batch, BATCH
            batch = []
    if seen % BATCH:
        yield batch, seen % BATCH


def _write(
    writer: Writer,
    ready: list[Placed],
    asked: list[str],
    triaged: Future[list[Stored]],
    size: int,
    result: ImportResult,
    progress: Callable[[int], None] | None,
) -> None:
    messages = writer.messages(ready, asked, triaged.result())
    inbound_of = writer.plan.graph.inbound
    inbound = sum(1 for placed in ready if inbound_of[placed[0]])
    with transaction.atomic():
        writer.insert(messages)
    result.inbound += inbound
    result.outbound += len(messages) - inbound
    if progress:
        progress(size)
