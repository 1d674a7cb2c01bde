"""Import of the public "Customer Support on Twitter" dataset (twcs.csv).

Columns: tweet_id, author_id, inbound, created_at, text, response_tweet_id, in_response_to_tweet_id.
Customers' tweets (inbound=True) go through the same threading as live messages; brands' tweets
(inbound=False) become sent replies, so first-response times are the dataset's own.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db import transaction

from socialdesk.channels.models import AccountRole, Channel
from socialdesk.conversations.actions import thread_inbound
from socialdesk.conversations.models import Conversation, DeliveryStatus, Direction, Message
from socialdesk.ingest.schema import Author, InboundMessage
from socialdesk.workspaces.models import Workspace

COLUMNS = [
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
]
MENTION = re.compile(r"@(\w{1,50})")
BATCH = 1000


class TwcsError(ValueError):
    """The file is not in the twcs format; the message says where."""


@dataclass(frozen=True, slots=True)
class Tweet:
    tweet_id: str
    author_id: str
    inbound: bool
    created_at: datetime
    text: str
    in_response_to: str


@dataclass
class ImportResult:
    tweets: int = 0
    inbound: int = 0
    outbound: int = 0
    conversations: int = 0
    skipped: int = 0


def _parse_time(value: str, line: int) -> datetime:
    try:
        return datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y")
    except ValueError as exc:
        raise TwcsError(
            f"line {line}: created_at {value!r} is not like 'Tue Oct 31 22:10:47 +0000 2017'"
        ) from exc


def read_tweets(path: Path, limit: int | None = None) -> list[Tweet]:
    tweets: list[Tweet] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise TwcsError(f"{path}: missing columns {', '.join(missing)} (expected {', '.join(COLUMNS)})")
        for row in reader:
            if limit is not None and len(tweets) >= limit:
                break
            line = reader.line_num
            inbound = row["inbound"].strip().lower()
            if inbound not in {"true", "false"}:
                raise TwcsError(f"line {line}: inbound must be True or False, not {row['inbound']!r}")
            tweets.append(
                Tweet(
                    tweet_id=row["tweet_id"].strip(),
                    author_id=row["author_id"].strip(),
                    inbound=inbound == "true",
                    created_at=_parse_time(row["created_at"].strip(), line),
                    text=html.unescape(row["text"] or ""),
                    in_response_to=(row["in_response_to_tweet_id"] or "").strip().removesuffix(".0"),
                )
            )
    # Parents before children: threads can then be followed in one pass.
    tweets.sort(key=lambda t: (t.created_at, int(t.tweet_id) if t.tweet_id.isdigit() else 0))
    return tweets


class _Importer:
    def __init__(self, workspace: Workspace, tweets: list[Tweet]) -> None:
        self.workspace = workspace
        self.by_id = {t.tweet_id: t for t in tweets}
        self.brands = {t.author_id for t in tweets if not t.inbound}
        self.brand_by_lower = {b.lower(): b for b in self.brands}
        self.channels: dict[str, Channel] = {}
        self.responders: dict[str, str] = {}
        for t in tweets:
            if not t.inbound and t.in_response_to:
                self.responders.setdefault(t.in_response_to, t.author_id)

    def channel(self, brand: str) -> Channel:
        if brand not in self.channels:
            self.channels[brand], _ = Channel.objects.get_or_create(
                workspace=self.workspace,
                network="x",
                handle=f"@{brand}",
                account_role=AccountRole.SUPPORT,
                defaults={"name": f"{brand} (imported from twcs)"},
            )
        return self.channels[brand]

    def brand_for(self, tweet: Tweet) -> str | None:
        """Which brand a customer tweet was addressed to: the parent's author, a brand it mentions,
        or the brand that answered it."""
        seen: set[str] = set()
        current: Tweet | None = tweet
        while current is not None and current.in_response_to and current.tweet_id not in seen:
            seen.add(current.tweet_id)
            parent = self.by_id.get(current.in_response_to)
            if parent is not None and not parent.inbound:
                return parent.author_id
            current = parent
        for handle in MENTION.findall(tweet.text):
            if handle.lower() in self.brand_by_lower:
                return self.brand_by_lower[handle.lower()]
        return self.responders.get(tweet.tweet_id)

    def add(self, tweet: Tweet, result: ImportResult) -> None:
        if tweet.inbound:
            brand = self.brand_for(tweet)
            if brand is None:
                result.skipped += 1
                return
            channel = self.channel(brand)
            if Message.objects.filter(channel=channel, network_message_id=tweet.tweet_id).exists():
                result.skipped += 1
                return
            thread_inbound(
                channel,
                InboundMessage(
                    network="x",
                    message_id=tweet.tweet_id,
                    kind="reply" if tweet.in_response_to else "mention",
                    is_private=False,
                    author=Author(network_user_id=tweet.author_id, handle=tweet.author_id),
                    text=tweet.text,
                    created_at=tweet.created_at,
                    in_reply_to=tweet.in_response_to or None,
                ),
            )
            result.inbound += 1
            return
        channel = self.channel(tweet.author_id)
        parent = Message.objects.filter(channel=channel, network_message_id=tweet.in_response_to).first()
        exists = Message.objects.filter(channel=channel, network_message_id=tweet.tweet_id).exists()
        if parent is None or exists:
            # A brand tweet that answers nothing we imported (or was imported before) has no thread here.
            result.skipped += 1
            return
        Message.objects.create(
            workspace=self.workspace,
            conversation_id=parent.conversation_id,
            channel=channel,
            direction=Direction.OUTBOUND,
            is_private=False,
            kind="reply",
            network_message_id=tweet.tweet_id,
            in_reply_to=tweet.in_response_to,
            author_handle=f"@{tweet.author_id}",
            text=tweet.text,
            sent_at=tweet.created_at,
            delivery_status=DeliveryStatus.SENT,
        )
        conversation = Conversation.objects.filter(pk=parent.conversation_id)
        conversation.filter(first_response_at__isnull=True).update(first_response_at=tweet.created_at)
        conversation.filter(last_message_at__lt=tweet.created_at).update(last_message_at=tweet.created_at)
        result.outbound += 1


def _batches(items: list[Tweet], size: int) -> Iterable[list[Tweet]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_twcs_file(
    workspace: Workspace,
    path: Path,
    *,
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> ImportResult:
    tweets = read_tweets(path, limit)
    if on_total:
        on_total(len(tweets))
    importer = _Importer(workspace, tweets)
    result = ImportResult(tweets=len(tweets))
    before = Conversation.objects.filter(workspace=workspace).count()
    for batch in _batches(tweets, BATCH):
        with transaction.atomic():
            for tweet in batch:
                importer.add(tweet, result)
        if progress:
            progress(len(batch))
    result.conversations = Conversation.objects.filter(workspace=workspace).count() - before
    return result
