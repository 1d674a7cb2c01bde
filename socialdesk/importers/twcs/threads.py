"""Which conversation each tweet belongs to, worked out on the whole file before anything is written.

One conversation per customer thread, the way live threading keys it (`root:<tweet id>`), with the
root being the customer's own first tweet in the chain: a brand reply addressed to two customers, or
a broadcast several people answer, leaves each customer a thread of their own. Such a brand tweet
belongs to every thread it is part of; outside its first thread it is stored under
`<tweet id>@<customer>` (a message id is unique per account). Brand tweets in a chain (AppleSupport
answering Apple's hand-over, a brand continuing its own reply) stay in the thread.

Only ids, authors, times and links are kept per tweet (about 100 bytes), never the text: the file
is read again to write the messages.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from socialdesk.importers.twcs.reader import Tweet

MENTION = re.compile(r"@(\w{1,50})")
DEPTH = 500  # longer reply chains than this are broken (and a cycle in bad data cannot loop)
NONE = -1


class Graph:
    """The file's tweets as rows (in file order) and the links between them."""

    def __init__(self) -> None:
        self.row_of: dict[int, int] = {}
        self.ids = array("q")
        self.lines = array("l")
        self.author = array("l")
        self.inbound = bytearray()
        self.parent = array("q")
        self.times = array("d")
        self.authors: list[str] = []
        self._author_at: dict[str, int] = {}
        self.mentions: dict[int, tuple[str, ...]] = {}
        self.answered_by: dict[int, int] = {}  # customer tweet id -> first brand author answering it
        self.malformed: list[tuple[int, str]] = []

    def add(self, tweet: Tweet) -> None:
        first = self.row_of.get(tweet.tweet_id)
        if first is not None:
            self.malformed.append(
                (tweet.line, f"tweet_id {tweet.tweet_id} is already on line {self.lines[first]}")
            )
            return
        author = self._author_at.get(tweet.author_id)
        if author is None:
            author = self._author_at[tweet.author_id] = len(self.authors)
            self.authors.append(tweet.author_id)
        row = len(self.ids)
        self.row_of[tweet.tweet_id] = row
        self.ids.append(tweet.tweet_id)
        self.lines.append(tweet.line)
        self.author.append(author)
        self.inbound.append(tweet.inbound)
        self.parent.append(tweet.in_response_to)
        self.times.append(tweet.created_at.timestamp())
        if tweet.inbound:
            handles = tuple(h.lower() for h in MENTION.findall(tweet.text))
            if handles:
                self.mentions[row] = handles
        elif tweet.in_response_to:
            self.answered_by.setdefault(tweet.in_response_to, author)

    def parent_row(self, row: int) -> int:
        return self.row_of.get(self.parent[row], NONE) if self.parent[row] else NONE

    def time(self, row: int) -> datetime:
        return datetime.fromtimestamp(self.times[row], UTC)


@dataclass
class Thread:
    root: int
    brand: int  # author index of the account the customer wrote to
    customer: int
    inbound: int = 0
    first_in: int = NONE
    last_in: int = NONE
    last_out: int = NONE
    first_response: int = NONE
    # The customer's oldest tweet no brand tweet came after (conversations.waiting's rule): the
    # conversation waits since then. NONE: every customer tweet was answered.
    waiting_from: int = NONE


@dataclass
class Plan:
    graph: Graph
    threads: list[Thread]
    home: array[int]  # row -> thread (NONE: not imported)
    also: dict[int, list[int]]  # brand row -> further threads it is part of
    skipped: Counter[str] = field(default_factory=Counter)

    def thread_key(self, thread: Thread) -> str:
        return f"root:{self.graph.ids[thread.root]}"

    def placements(self, row: int) -> Iterable[tuple[int, str]]:
        """(thread, message id) for each thread this tweet is in."""
        graph = self.graph
        if self.home[row] != NONE:
            yield self.home[row], str(graph.ids[row])
        for thread in self.also.get(row, ()):
            yield thread, f"{graph.ids[row]}@{graph.authors[self.threads[thread].customer]}"


def _same_author_ancestor(graph: Graph, row: int) -> int:
    author, current = graph.author[row], graph.parent_row(row)
    for _ in range(DEPTH):
        if current in (NONE, row):
            return NONE
        if graph.author[current] == author:
            return current
        current = graph.parent_row(current)
    return NONE


def _roots(graph: Graph) -> array[int]:
    """Each customer tweet's thread root: their own earliest tweet up the reply chain."""
    roots = array("l", [NONE]) * len(graph.ids)
    for row in range(len(graph.ids)):
        if not graph.inbound[row] or roots[row] != NONE:
            continue
        chain: list[int] = []
        current = row
        while current != NONE and roots[current] == NONE and len(chain) < DEPTH:
            chain.append(current)
            current = _same_author_ancestor(graph, current)
        root = roots[current] if current != NONE and roots[current] != NONE else chain[-1]
        for member in chain:
            roots[member] = root
    return roots


def _brand_of(graph: Graph, root: int, brands: dict[str, int]) -> int:
    """The account a thread was addressed to: the brand it answers, else a brand it @mentions, else
    the brand that answered it."""
    current = graph.parent_row(root)
    for _ in range(DEPTH):
        if current == NONE:
            break
        if not graph.inbound[current]:
            return graph.author[current]
        current = graph.parent_row(current)
    for handle in graph.mentions.get(root, ()):
        if handle in brands:
            return brands[handle]
    return graph.answered_by.get(graph.ids[root], NONE)


def _brand_home(graph: Graph, home: array[int], row: int) -> int:
    """A brand tweet's thread: its parent's, following brand-to-brand replies up the chain."""
    current = graph.parent_row(row)
    for _ in range(DEPTH):
        if current == NONE:
            return NONE
        if graph.inbound[current] or home[current] != NONE:
            return home[current]
        current = graph.parent_row(current)
    return NONE


def plan(graph: Graph) -> Plan:
    n = len(graph.ids)
    brands = {
        graph.authors[graph.author[r]].lower(): graph.author[r] for r in range(n) if not graph.inbound[r]
    }
    roots = _roots(graph)
    threads: list[Thread] = []
    thread_of_root: dict[int, int] = {}
    home = array("l", [NONE]) * n
    skipped: Counter[str] = Counter()
    for row in range(n):
        if not graph.inbound[row]:
            continue
        root = roots[row]
        if root not in thread_of_root:
            brand = _brand_of(graph, root, brands)
            thread_of_root[root] = len(threads) if brand != NONE else NONE
            if brand != NONE:
                threads.append(Thread(root=root, brand=brand, customer=graph.author[root]))
        home[row] = thread_of_root[root]
        if home[row] == NONE:
            skipped["customer tweet addressed to no brand (no reply, @mention or answer)"] += 1
    for row in range(n):
        if not graph.inbound[row]:
            home[row] = _brand_home(graph, home, row)
    also: dict[int, list[int]] = {}
    for row in range(n):
        parent = graph.parent_row(row)
        # A customer answering a brand tweet that is another customer's thread (or a broadcast): the
        # tweet they answer opens their own thread too.
        if (
            graph.inbound[row]
            and home[row] != NONE
            and parent != NONE
            and not graph.inbound[parent]
            and home[parent] != home[row]
            and home[row] not in also.get(parent, [])
        ):
            also.setdefault(parent, []).append(home[row])
    for row in range(n):
        if not graph.inbound[row] and home[row] == NONE and row not in also:
            skipped["brand tweet answering no customer tweet in the file"] += 1
    result = Plan(graph=graph, threads=threads, home=home, also=also, skipped=skipped)
    _measure(result)
    return result


def _measure(plan: Plan) -> None:
    graph, threads = plan.graph, plan.threads
    times = graph.times
    for row in range(len(graph.ids)):
        if graph.inbound[row] and plan.home[row] != NONE:
            thread = threads[plan.home[row]]
            thread.inbound += 1
            if thread.first_in == NONE or times[row] < times[thread.first_in]:
                thread.first_in = row
            if thread.last_in == NONE or times[row] >= times[thread.last_in]:
                thread.last_in = row
    for row in range(len(graph.ids)):
        if graph.inbound[row]:
            continue
        for index, _ in plan.placements(row):
            thread = threads[index]
            if thread.last_out == NONE or times[row] >= times[thread.last_out]:
                thread.last_out = row
            if times[row] >= times[thread.first_in] and (
                thread.first_response == NONE or times[row] < times[thread.first_response]
            ):
                thread.first_response = row
    for row in range(len(graph.ids)):
        if not graph.inbound[row] or plan.home[row] == NONE:
            continue
        thread = threads[plan.home[row]]
        # A brand tweet sent at the same second or later answers it (as `waiting.ANSWER` counts).
        unanswered = thread.last_out == NONE or times[row] > times[thread.last_out]
        if unanswered and (thread.waiting_from == NONE or times[row] < times[thread.waiting_from]):
            thread.waiting_from = row


def derived_status(
    plan: Plan, thread: Thread, now: datetime, quiet: timedelta
) -> tuple[str, datetime | None]:
    """(status, resolved_at) from the history: the customer had the last word -> open (and waiting
    since `thread.waiting_from`); answered and quiet since for `quiet` -> resolved at the brand's last
    reply; answered more recently -> pending."""
    if thread.waiting_from != NONE:
        return "open", None
    last = plan.graph.time(thread.last_out)
    if now - last >= quiet:
        return "resolved", last
    return "pending", None
