"""Reading twcs.csv as Kaggle published it and as pandas writes it back, one record at a time.

Variants seen in the wild: an extra unnamed index column first, ids written as floats (`123.0`),
inbound as True/False or TRUE/FALSE, empty fields. Tweets may hold bare carriage returns: with the
csv module's own line splitting a bare CR ends an unquoted record early (short rows whose missing
fields are None), so lines are split on LF only and a bare CR is kept as part of the text.
"""

from __future__ import annotations

import codecs
import csv
import html
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

COLUMNS = (
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
)
MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun"), 1)} | {
    m: i for i, m in enumerate(("Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 7)
}
INBOUND = {"true": True, "false": False, "1": True, "0": False}
ID = re.compile(r"\d{1,20}")
# A private-use character stands in for a bare CR while the csv module reads the record.
CR_STAND_IN = "\ue000"
_zones: dict[str, timezone] = {"+0000": UTC}


class TwcsError(ValueError):
    """The file cannot be imported (or, with --strict, a row is malformed); the message says where."""


class Malformed(ValueError):
    """One row is not a tweet; the reason names the field."""


@dataclass(frozen=True, slots=True)
class Tweet:
    line: int
    tweet_id: int
    author_id: str
    inbound: bool
    created_at: datetime
    text: str
    in_response_to: int  # 0: none


def _lf_lines(path: Path) -> Iterator[str]:
    """The file's lines, each decoded on its own so that a byte that is not UTF-8 is reported at its
    line (nothing has been written then: the import's first pass reads the whole file)."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            if number == 1:
                if b"\x00" in raw[:8192]:
                    raise TwcsError(f"{path}: a binary file, not a CSV (NUL byte at offset {raw.index(0):,})")
                raw = raw.removeprefix(codecs.BOM_UTF8)
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise TwcsError(
                    f"{path}: line {number}: not UTF-8 text "
                    f"(byte 0x{raw[exc.start]:02x} at byte {exc.start + 1})"
                ) from exc
            if "\r" not in line:  # nearly every line: nothing to change
                yield line if line.endswith("\n") else line + "\n"
                continue
            body = line[:-1] if line.endswith("\n") else line
            if body.endswith("\r"):
                body = body[:-1]
            # Inside a quoted field a CRLF is part of the text; csv rejoins lines with "\n" anyway.
            yield body.replace("\r", CR_STAND_IN) + "\n"


def _tweet_id(value: str, field: str) -> int:
    value = value.strip().removesuffix(".0")
    if not ID.fullmatch(value):
        raise Malformed(f"{field} {value!r} is not a tweet id")
    return int(value)


def parse_time(value: str) -> datetime:
    """'Tue Oct 31 22:10:47 +0000 2017' without strptime (the slowest step of a row otherwise)."""
    parts = value.split()
    try:
        _, month, day, clock, zone, year = parts
        hour, minute, second = clock.split(":")
        tz = _zones.get(zone)
        if tz is None:
            sign = -1 if zone[0] == "-" else 1
            if zone[0] not in "+-" or len(zone) != 5:
                raise ValueError(zone)
            tz = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5])))
            _zones[zone] = tz
        return datetime(int(year), MONTHS[month], int(day), int(hour), int(minute), int(second), tzinfo=tz)
    except (ValueError, KeyError) as exc:
        raise Malformed(f"created_at {value!r} is not like 'Tue Oct 31 22:10:47 +0000 2017'") from exc


def text_of(value: str) -> str:
    value = value.replace(CR_STAND_IN, "\r")
    return html.unescape(value) if "&" in value else value


class Reader:
    """Iterates tweets; malformed rows become (line, reason) and the reading goes on."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.at: dict[str, int] = {}
        self.width = 0

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """(first line, fields) of every non-empty record after the header, unchecked: the same
        records in the same order each time (the import's second pass reads only the text of each)."""
        reader = csv.reader(_lf_lines(self.path))
        header = next(reader, None)
        if header is None:
            raise TwcsError(f"{self.path}: the file is empty")
        names = [name.strip() for name in header]
        missing = [c for c in COLUMNS if c not in names]
        if missing:
            raise TwcsError(
                f"{self.path}: missing columns {', '.join(missing)} (expected {', '.join(COLUMNS)})"
            )
        self.at = {c: names.index(c) for c in COLUMNS}
        self.width = len(names)
        line = reader.line_num + 1
        try:
            for row in reader:
                start, line = line, reader.line_num + 1  # a record may span lines: report its first
                if row:
                    yield start, row
        except csv.Error as exc:  # a field past csv.field_size_limit(), say
            raise TwcsError(f"{self.path}: line {line}: {exc}") from exc

    def __iter__(self) -> Iterator[Tweet | tuple[int, str]]:
        records = self.records()
        first = next(records, None)  # reads the header (and fills `at`)
        if first is None:
            return
        at, width = self.at, self.width
        i_inbound, i_author, i_parent = at["inbound"], at["author_id"], at["in_response_to_tweet_id"]
        i_id, i_time, i_text = at["tweet_id"], at["created_at"], at["text"]
        for start, row in itertools.chain((first,), records):
            if len(row) != width:
                yield start, f"has {len(row)} fields, the header {width}"
                continue
            if any("\x00" in value for value in row):  # no database column takes one (PostgreSQL)
                yield start, "holds a NUL character"
                continue
            try:
                inbound = INBOUND.get(row[i_inbound].strip().lower())
                if inbound is None:
                    raise Malformed(f"inbound must be True or False, not {row[i_inbound]!r}")
                author = row[i_author].strip().removesuffix(".0")
                if not author:
                    raise Malformed("author_id is empty")
                parent = row[i_parent].strip()
                yield Tweet(
                    line=start,
                    tweet_id=_tweet_id(row[i_id], "tweet_id"),
                    author_id=author,
                    inbound=inbound,
                    created_at=parse_time(row[i_time]),
                    text=text_of(row[i_text]),
                    in_response_to=_tweet_id(parent, "in_response_to_tweet_id") if parent else 0,
                )
            except Malformed as exc:
                yield start, str(exc)
